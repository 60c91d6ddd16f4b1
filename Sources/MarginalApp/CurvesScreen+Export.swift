import MarginalCore
import MarginalPlot

extension CurvesScreen {
    /// The curves on screen as `marginal curves` draws and tabulates them.
    public func export() -> ExportRequest? {
        let curves = PenaltyCurves(target: target, lambda: lambda, penalties: penalties, derivative: derivative)
        return ExportRequest(name: "curves-yhat\(fileNumber(target))-lambda\(fileNumber(lambda))" + (derivative ? "-slopes" : ""),
                             table: curves.table(), figure: curves.figure())
    }
}
