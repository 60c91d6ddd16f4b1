import MarginalCore
import MarginalPlot

extension TemperatureScreen {
    /// The soft-max curves on screen, as `marginal softmax --tau 1,2,5,10,τ` writes them.
    public func export() -> ExportRequest? {
        var temperatures = Self.fixedTemperatures
        if !temperatures.contains(tau) { temperatures.append(tau) }
        let curves = SoftmaxCurves(temperatures: temperatures)
        return ExportRequest(name: "temperature-tau\(fileNumber((tau * 1000).rounded() / 1000))", table: curves.table(), figure: curves.figure())
    }
}
