import Foundation
import MarginalCore
import MarginalFigure

/// The binary label-marginal penalties over p̂₁ ∈ [0, 1] (the paper's Fig. 2) as numbers and as a
/// figure: what `marginal curves` writes and what the explorer's Curves screen exports.
public struct PenaltyCurves: Sendable {
    public let target: Double
    public let lambda: Double
    public let penalties: [BinaryPenalty]
    public let points: Int
    public let derivative: Bool
    public let yRange: (Double?, Double?)
    public let logX: Bool
    public let size: (width: Double, height: Double)

    public init(target: Double, lambda: Double, penalties: [BinaryPenalty], points: Int = 1001, derivative: Bool = false,
                yRange: (Double?, Double?) = (nil, nil), logX: Bool = false, size: (width: Double, height: Double) = (720, 450)) {
        self.target = target; self.lambda = lambda; self.penalties = penalties; self.points = points
        self.derivative = derivative; self.yRange = yRange; self.logX = logX; self.size = size
    }

    public var grid: [Double] { evenlySpaced(count: points) }

    /// The values (or derivatives) of `penalty` on the grid; nil where infinite.
    public func samples(_ penalty: BinaryPenalty) -> [Double?] { samples(penalty, on: grid) }

    /// The values (or derivatives) of `penalty` on `grid` (this one's, made once for every curve).
    func samples(_ penalty: BinaryPenalty, on grid: [Double]) -> [Double?] {
        grid.map { p in
            let v = derivative
                ? penalty.derivative(predicted: p, target: target, lambda: lambda)
                : penalty.value(predicted: p, target: target, lambda: lambda)
            return v.isFinite ? v : nil
        }
    }

    public func minimiser(_ penalty: BinaryPenalty) -> (p: Double, value: Double)? {
        penalty.minimiser(target: target, lambda: lambda, points: points)
    }

    public func table() -> DataTable {
        DataTable(columns: [("p", grid.map { Optional($0) })] + penalties.map { ($0.rawValue, samples($0)) })
    }

    public func json() -> JSONValue {
        .object([
            ("command", .string("curves")),
            ("parameters", .object([
                ("yhat", .number(target)),
                ("lambda", .number(lambda)),
                ("points", .number(Double(points))),
                ("derivative", .bool(derivative)),
                ("penalties", .array(penalties.map { .string($0.rawValue) })),
            ])),
            ("quantity", .string(derivative ? "derivative" : "value")),
            ("p", .numbers(grid)),
            ("series", .array(penalties.map { penalty in
                let minimum = minimiser(penalty)
                return .object([
                    ("name", .string(penalty.rawValue)),
                    ("formula", .string(formula(penalty))),
                    ("values", .numbers(samples(penalty))),
                    ("minimizer", minimum.map { .object([("p", .number($0.p)), ("value", .number($0.value))]) } ?? .null),
                ])
            })),
        ])
    }

    /// The penalty's formula, as the legend and the JSON give it.
    public func formula(_ penalty: BinaryPenalty) -> String {
        switch penalty {
        case .db1: "DB₁ = log(p̂₁ + ŷ₁)"
        case .kl: "KL = ŷ₁ log(ŷ₁/p̂₁) + ŷ₀ log(ŷ₀/p̂₀)"
        case .l1: "L1 = |p̂₁ − ŷ₁|"
        case .klPlusDB1: "KL + λ·DB₁"
        case .klPlusL1: "KL + λ·L1"
        case .klPlusKL: "KL + λ·KL"
        }
    }

    /// The legend's words: what the penalty is and where it comes from.
    public func legendLabel(_ penalty: BinaryPenalty) -> String {
        let weight = "λ = \(short(lambda))"
        return switch penalty {
        case .db1: "DB₁ = log(p̂₁ + ŷ₁)   Dice's bias"
        case .kl: "KL(ŷ ‖ p̂)   CE's hidden bias"
        case .l1: "L1 = |p̂₁ − ŷ₁|"
        case .klPlusDB1: "KL + λ·DB₁   CE + λ·log-Dice (\(weight))"
        case .klPlusL1: "KL + λ·L1   CE + λ·L1 (\(weight))"
        case .klPlusKL: "KL + λ·KL   CE + λ·KL (\(weight))"
        }
    }

    /// The penalty's colour, the same on screen and on paper. KL + λ·KL is yellow: sky blue
    /// would be KL's blue on a dark terminal (where blue shows as sky blue).
    public static func color(_ penalty: BinaryPenalty) -> Color {
        switch penalty {
        case .db1: Palette.vermillion
        case .kl: Palette.blue
        case .l1: Palette.green
        case .klPlusDB1: Palette.purple
        case .klPlusL1: Palette.orange
        case .klPlusKL: Palette.yellow
        }
    }

    /// The penalty's short name, for a legend with little room (the explorer's).
    public static func shortName(_ penalty: BinaryPenalty) -> String {
        switch penalty {
        case .db1: "DB₁"
        case .kl: "KL"
        case .l1: "L1"
        case .klPlusDB1: "KL+λ·DB₁"
        case .klPlusL1: "KL+λ·L1"
        case .klPlusKL: "KL+λ·KL"
        }
    }

    /// The penalty's symbol where colour cannot tell curves apart: its place among all six, so
    /// a curve keeps its shape whichever others show.
    public static func symbol(_ penalty: BinaryPenalty) -> Int { BinaryPenalty.allCases.firstIndex(of: penalty)! }

    public func figure() -> Figure {
        let x = grid
        let series = penalties.map { penalty in
            Series(name: penalty.rawValue, label: legendLabel(penalty), shortLabel: Self.shortName(penalty), x: x, y: samples(penalty, on: x),
                   style: StrokeStyle(color: Self.color(penalty), width: 2.2, dash: penalty.isComposite ? [7, 4] : []),
                   symbol: Self.symbol(penalty))
        }
        var markers: [Marker] = []
        for penalty in penalties {
            guard let minimum = minimiser(penalty) else { continue }
            let y = derivative ? penalty.derivative(predicted: minimum.p, target: target, lambda: lambda) : minimum.value
            guard y.isFinite else { continue }
            markers.append(Marker(x: minimum.p, y: y, shape: .diamond, size: 5, fill: Self.color(penalty),
                                  stroke: .white, label: nil))
        }
        // One legend row for all minima, drawn in a neutral colour.
        let minimumEntry = LegendEntry(sample: .marker(shape: .diamond, fill: Palette.neutral, stroke: .white),
                                       label: derivative ? "where each penalty is smallest" : "minimum")
        let quantity = derivative ? "slope d/dp̂₁ of the penalty" : "penalty"
        var subtitle = "target foreground proportion ŷ₁ = \(short(target))"
        if penalties.contains(where: \.isComposite) { subtitle += " · λ = \(short(lambda))" }
        let yAxisRange = resolvedYRange(series)
        let xAxis = Axis(label: "predicted foreground proportion p̂₁", scale: logX ? .logarithmic : .linear,
                         range: logX ? (1 / Double(points - 1)) ... 1 : 0 ... 1)
        // The target; for slopes, zero (where each penalty is smallest).
        var referenceLines = [ReferenceLine(.vertical, at: target, label: "ŷ₁ = \(short(target))", shortLabel: "ŷ₁")]
        if derivative { referenceLines.append(ReferenceLine(.horizontal, at: 0)) }
        let chart = LineChart(
            title: derivative ? "Slopes of the label-marginal penalties (binary)" : "Label-marginal penalties (binary)",
            subtitle: subtitle,
            xAxis: xAxis,
            yAxis: Axis(label: quantity, range: yAxisRange),
            series: series,
            markers: markers,
            referenceLines: referenceLines,
            extraLegendEntries: markers.isEmpty ? [] : [minimumEntry],
            width: size.width, height: size.height)
        return .lines(chart)
    }

    /// The y range, the same on screen and in the file: the one given, else for values from the
    /// lowest to the 95th percentile of all samples (KL runs to ∞ at both ends), for slopes (which
    /// run to ±∞) from the 2nd to the 98th, widened by 6 % of the span on each side.
    public func resolvedYRange(_ series: [Series]) -> ClosedRange<Double>? {
        var low = yRange.0, high = yRange.1
        if low == nil || high == nil {
            let all = series.flatMap { $0.y.compactMap { $0 } }.sorted()
            if !all.isEmpty {
                let a = derivative ? all[Int(Double(all.count - 1) * 0.02)] : all[0]
                let b = all[Int(Double(all.count - 1) * (derivative ? 0.98 : 0.95))]
                let pad = max((b - a) * 0.06, 1e-6)
                if low == nil { low = a - pad }
                if high == nil { high = b + pad }
            }
        }
        if low == nil && high == nil { return nil }
        let values = series.flatMap { $0.y.compactMap { $0 } }
        let lower = low ?? values.min() ?? 0
        let upper = high ?? values.max() ?? 1
        return lower < upper ? lower ... upper : lower ... (lower + 1)
    }
}
