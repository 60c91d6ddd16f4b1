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
        // Each curve's minimum as a ring in its colour: a ring is no series' shape (◆ is KL + λ·DB₁'s).
        var markers: [Marker] = []
        for penalty in penalties {
            guard let minimum = minimiser(penalty) else { continue }
            let y = derivative ? penalty.derivative(predicted: minimum.p, target: target, lambda: lambda) : minimum.value
            guard y.isFinite else { continue }
            markers.append(Marker(x: minimum.p, y: y, shape: .ring, size: 5, fill: .white, stroke: Self.color(penalty),
                                  label: nil))
        }
        // One legend row for all minima, drawn in a neutral colour.
        let minimumEntry = LegendEntry(sample: .marker(shape: .ring, fill: .white, stroke: Palette.neutral),
                                       label: derivative ? "where each penalty is smallest" : "minimum")
        let yAxisRange = resolvedYRange(series)
        // Where a curve leaves a cut y range at either end of p̂₁ (the slopes run to ±∞ there), an
        // arrow on the edge it crosses, so that a cut is never mistaken for the curve's end.
        var cutEntries: [LegendEntry] = []
        if let range = yAxisRange {
            for (penalty, item) in zip(penalties, series) {
                for arrow in cutArrows(item, range: range) {
                    markers.append(Marker(x: arrow.x, y: arrow.up ? range.upperBound : range.lowerBound,
                                          shape: arrow.up ? .arrowUp : .arrowDown, size: 4.5, fill: Self.color(penalty), stroke: .white))
                }
            }
            if markers.contains(where: { $0.shape == .arrowUp || $0.shape == .arrowDown }) {
                cutEntries = [LegendEntry(sample: .marker(shape: .arrowDown, fill: Palette.neutral, stroke: .white),
                                          label: "runs on past the y range (to ±∞ at the ends)")]
            }
        }
        let quantity = derivative ? "slope d/dp̂₁ of the penalty" : "penalty"
        var subtitle = "target foreground proportion ŷ₁ = \(short(target))"
        if penalties.contains(where: \.isComposite) { subtitle += " · λ = \(short(lambda))" }
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
            extraLegendEntries: (markers.contains { $0.shape == .ring } ? [minimumEntry] : []) + cutEntries,
            width: size.width, height: size.height)
        return .lines(chart)
    }

    /// Where `series` leaves `range` towards either end of p̂₁: the x of its last sample inside
    /// the range before the end, and whether it leaves at the top.
    func cutArrows(_ series: Series, range: ClosedRange<Double>) -> [(x: Double, up: Bool)] {
        var arrows: [(x: Double, up: Bool)] = []
        let finite = series.y.indices.filter { series.y[$0].map(\.isFinite) ?? false }
        guard let first = finite.first, let last = finite.last else { return [] }
        for (end, inward) in [(first, 1), (last, -1)] {
            let value = series.y[end]!
            guard !range.contains(value) else { continue }
            // Walk in from the end to the first sample inside the range.
            var index = end
            while index >= first, index <= last, let y = series.y[index], !range.contains(y) { index += inward }
            guard index >= first, index <= last else { continue }
            arrows.append((series.x[index], value > range.upperBound))
        }
        return arrows
    }

    /// The half-height M of the slopes' symmetric y range [−M, M] when none is given: twice the
    /// largest |slope| of the curves at p̂₁ = ŷ₁/2 and halfway from ŷ₁ to 1, up to a 1-2-5 number
    /// (and at most half of KL's slope at the first grid point, so that KL's fall crosses it).
    /// Both ends' divergence then crosses the range (and is marked with arrows) while the finite
    /// slopes around ŷ₁ fill it. The explorer's zoom keys halve or double it.
    public var slopeScale: Double {
        let probes = [target / 2, (1 + target) / 2]
        let largest = penalties.flatMap { penalty in
            probes.map { abs(penalty.derivative(predicted: $0, target: target, lambda: lambda)) }
        }.filter(\.isFinite).max() ?? 1
        func niceAbove(_ x: Double) -> Double {
            let decade = pow(10, floor(log10(x)))
            return [1.0, 2, 5, 10].map { $0 * decade }.first { $0 >= x * (1 - 1e-9) } ?? 10 * decade
        }
        func niceBelow(_ x: Double) -> Double {
            let decade = pow(10, floor(log10(x)))
            return [10.0, 5, 2, 1].map { $0 * decade }.first { $0 <= x * (1 + 1e-9) } ?? decade
        }
        var m = niceAbove(max(2 * largest, 1))
        // No higher than half KL's slope at the grid's first point past 0, so that KL's fall to
        // −∞ always crosses the bottom (a small ŷ₁ would otherwise keep it inside).
        if penalties.contains(.kl), grid.count > 1 {
            let fall = abs(BinaryPenalty.kl.derivative(predicted: grid[1], target: target, lambda: lambda))
            if fall.isFinite, fall / 2 >= 1 { m = min(m, niceBelow(fall / 2)) }
        }
        return m
    }

    /// The y range, the same on screen and in the file: the one given (either end alone keeps
    /// the automatic other end); else for values from the lowest to the 95th percentile of all
    /// samples (KL runs to ∞ at both ends), widened by 6 % of the span on each side; for slopes,
    /// which run to −∞ at p̂₁ = 0 and +∞ at 1, the symmetric [−M, M] of `slopeScale`.
    public func resolvedYRange(_ series: [Series]) -> ClosedRange<Double>? {
        var low = yRange.0, high = yRange.1
        if derivative {
            let m = slopeScale
            low = low ?? -m
            high = high ?? m
        } else if low == nil || high == nil {
            let all = series.flatMap { $0.y.compactMap { $0 } }.sorted()
            if !all.isEmpty {
                let a = all[0]
                let b = all[Int(Double(all.count - 1) * 0.95)]
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
