import MarginalCore
import MarginalPlot
import MarginalFigure

extension TemperatureScreen {
    /// Both charts on screen: the soft-max curves as `marginal softmax --tau 1,2,5,10,τ` writes
    /// them, and (`-proportions.svg`, `.csv`) p̂ at τ against the hard proportion as
    /// `marginal softmax --proportions` writes it.
    public func export() -> ExportRequest? {
        ExportRequest(name: "temperature-tau\(fileNumber((tau * 1000).rounded() / 1000))", table: curves.table(), figure: curves.figure(),
                      companions: [(suffix: "proportions", table: proportions.table(), figure: proportions.figure())])
    }

    /// The sample soft prediction the screen reads (MarginalPlot's, shared with the CLI).
    typealias Sample = TemperatureSample

    /// The sample's proportions over τ, the chosen τ marked.
    var proportions: TemperatureProportions { TemperatureProportions.sample(highlighted: tau) }

    /// The soft-max curves on screen and in the export: `marginal softmax`'s, the chosen τ highlighted.
    var curves: SoftmaxCurves { SoftmaxCurves(temperatures: temperatures, highlighted: tau) }

    /// The top chart (the export's figure).
    var softmaxChart: LineChart { curves.figure().lineChart! }
}
