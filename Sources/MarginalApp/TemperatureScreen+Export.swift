import MarginalCore
import MarginalPlot
import MarginalFigure

extension TemperatureScreen {
    /// The soft-max curves on screen, as `marginal softmax --tau 1,2,5,10,τ` writes them.
    public func export() -> ExportRequest? {
        return ExportRequest(name: "temperature-tau\(fileNumber((tau * 1000).rounded() / 1000))", table: curves.table(), figure: curves.figure())
    }

    /// The soft-max curves on screen and in the export: `marginal softmax`'s, the chosen τ highlighted.
    var curves: SoftmaxCurves { SoftmaxCurves(temperatures: temperatures, highlighted: tau) }

    /// The top chart (the export's figure).
    var softmaxChart: LineChart { curves.figure().lineChart! }
}
