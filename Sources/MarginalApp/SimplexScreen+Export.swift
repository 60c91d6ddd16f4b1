import MarginalCore
import MarginalPlot
import MarginalFigure

extension SimplexScreen {
    /// The map on screen as `marginal simplex` draws and tabulates it.
    public func export() -> ExportRequest? {
        let figure = SimplexPenaltyMap(target: target, penalty: penalty, lambda: lambda)
        let map = figure.map()
        let name = "simplex-\(penalty.rawValue.replacingOccurrences(of: "+", with: "-"))-yhat"
            + [target.x, target.y, target.z].map(fileNumber).joined(separator: "_")
            + (penalty.isComposite ? "-lambda\(fileNumber(lambda))" : "")
        return ExportRequest(name: name, table: figure.table(map), figure: figure.figure(map))
    }

    /// The export's ternary map for `map` (the screen's resolution): its markers and colour map
    /// are what the screen draws.
    func ternaryMap(_ map: SimplexMap) -> TernaryMap {
        SimplexPenaltyMap(target: target, penalty: penalty, lambda: lambda, resolution: map.resolution).figure(map).ternaryMap!
    }
}
