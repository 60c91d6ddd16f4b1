import Foundation
import MarginalCore
import MarginalPlot
import MarginalFigure

extension CurvesScreen {
    /// The curves on screen as `marginal curves` draws and tabulates them.
    public func export() -> ExportRequest? {
        return ExportRequest(name: "curves-yhat\(fileNumber(target))-lambda\(fileNumber(lambda))" + (derivative ? "-slopes" : "")
                                 + (derivative && slopeZoom != 0 ? "-zoom\(slopeZoom)" : ""),
                             table: curves.table(), figure: curves.figure())
    }

    /// The curves on screen, as `marginal curves` and the export make them (same grid, ranges,
    /// colours, rules and minima).
    var curves: PenaltyCurves {
        let automatic = PenaltyCurves(target: target, lambda: lambda, penalties: penalties, derivative: derivative)
        guard derivative, slopeZoom != 0 else { return automatic }
        // Zoomed: `marginal curves --derivative --ymin −M --ymax M`.
        let m = automatic.slopeScale / pow(2, Double(slopeZoom))
        return PenaltyCurves(target: target, lambda: lambda, penalties: penalties, derivative: true, yRange: (-m, m))
    }

    static func penaltyColor(_ penalty: BinaryPenalty) -> Color { PenaltyCurves.color(penalty) }
    static func penaltyShortName(_ penalty: BinaryPenalty) -> String { PenaltyCurves.shortName(penalty) }
    static func penaltySymbol(_ penalty: BinaryPenalty) -> Int { PenaltyCurves.symbol(penalty) }
}
