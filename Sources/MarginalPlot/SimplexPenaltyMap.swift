import Foundation
import MarginalCore
import MarginalFigure

/// A three-class label-marginal penalty over the simplex as numbers and as a ternary heat map:
/// what `marginal simplex` writes and what the explorer's Simplex screen exports.
public struct SimplexPenaltyMap: Sendable {
    public let target: SimplexPoint
    public let penalty: SimplexPenalty
    public let lambda: Double
    public let resolution: Int
    public let size: (width: Double, height: Double)

    public init(target: SimplexPoint, penalty: SimplexPenalty, lambda: Double, resolution: Int = 100,
                size: (width: Double, height: Double) = (640, 520)) {
        self.target = target; self.penalty = penalty; self.lambda = lambda; self.resolution = resolution; self.size = size
    }

    /// The penalty sampled on the grid, with its minimiser.
    public func map() -> SimplexMap { SimplexMap(penalty: penalty, target: target, lambda: lambda, resolution: resolution) }

    public func table(_ map: SimplexMap) -> DataTable {
        DataTable(columns: [
            ("p1", map.points.map { Optional($0.x) }),
            ("p2", map.points.map { Optional($0.y) }),
            ("p3", map.points.map { Optional($0.z) }),
            (penalty.rawValue, map.values.map { $0.isFinite ? $0 : nil }),
        ])
    }

    public func json(_ map: SimplexMap) -> JSONValue {
        let minimum: JSONValue = map.minimiser.map { m in
            .object([("p", .numbers([m.p.x, m.p.y, m.p.z])), ("value", .number(m.value))])
        } ?? .null
        return .object([
            ("command", .string("simplex")),
            ("parameters", .object([
                ("yhat", .numbers([target.x, target.y, target.z])),
                ("penalty", .string(penalty.rawValue)),
                ("lambda", .number(lambda)),
                ("resolution", .number(Double(resolution))),
            ])),
            ("formula", .string(formula)),
            ("minimizer", minimum),
            ("grid", .object([
                ("p1", .numbers(map.points.map(\.x))),
                ("p2", .numbers(map.points.map(\.y))),
                ("p3", .numbers(map.points.map(\.z))),
                ("value", .numbers(map.values.map { Optional($0) })),
            ])),
        ])
    }

    public var formula: String { penalty.formula }

    public var title: String {
        switch penalty {
        case .db: "Dice's label-marginal bias over the simplex"
        case .kl: "CE's hidden label-marginal bias over the simplex"
        case .l1: "The L1 label-marginal regulariser over the simplex"
        case .klPlusDB: "CE + λ·log-Dice: label-marginal part over the simplex"
        case .klPlusL1: "CE + λ·L1: label-marginal part over the simplex"
        }
    }

    public func figure(_ map: SimplexMap) -> Figure {
        func point(_ p: SimplexPoint) -> String { "(\(short(p.x, digits: 3)), \(short(p.y, digits: 3)), \(short(p.z, digits: 3)))" }
        // The target's ring is drawn on top, so that it stays visible around the minimiser's star
        // when they coincide.
        var markers = [
            TernaryMarker(point: BarycentricPoint(target), shape: .ring, size: 9, fill: .white, stroke: Palette.cursor,
                          label: "target ŷ = \(point(target))"),
        ]
        if let m = map.minimiser {
            markers.append(TernaryMarker(point: BarycentricPoint(m.p), shape: .star, size: 6, fill: Palette.vermillion, stroke: .white,
                                         label: "minimum at p̂ = \(point(m.p))"))
        }
        var subtitle = formula
        if penalty.isComposite { subtitle += " with λ = \(short(lambda))" }
        let ternary = TernaryMap(
            title: title, subtitle: subtitle,
            vertexLabels: ["class 1 (p̂₁ = 1)", "class 2 (p̂₂ = 1)", "class 3 (p̂₃ = 1)"],
            resolution: resolution, values: map.values,
            colorbarLabel: penalty.rawValue.uppercased().replacingOccurrences(of: "+", with: " + λ·"),
            markers: markers, width: size.width, height: size.height)
        return .ternary(ternary)
    }
}
