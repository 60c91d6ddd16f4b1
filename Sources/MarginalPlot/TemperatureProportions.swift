import Foundation
import MarginalCore
import MarginalFigure

/// Claim 6 of the paper (Appendix C): on one prediction, the predicted proportion
/// p̂ₖ = mean of softmax(τz)ₖ over the pixels, as τ grows, against the hard (argmax) proportion it
/// approaches. What `marginal softmax --proportions` writes and what the explorer's Temperature
/// screen draws (its lower chart) and exports.
public struct TemperatureProportions: Sendable {
    /// The prediction: logits and labels of one image.
    public let batch: SegmentationBatch<Double>
    public let names: [String]
    /// The temperatures swept, evenly spaced in log τ.
    public let temperatures: [Double]
    /// The τ the explorer's user chose: a rule on the chart.
    public var highlighted: Double?
    public var size: (width: Double, height: Double)
    /// p̂ at every swept τ, one row a τ; ŷ and the hard (argmax) proportions: computed once, in
    /// `init`, since a sweep is 61 soft-maxes of every pixel and the explorer draws it each frame.
    public let sweep: [[Double]]
    public let target: [Double]
    public let hard: [Double]

    /// The sweep's range: τ from 0.1 to 100.
    public static let tauRange = 0.1 ... 100.0

    public init(batch: SegmentationBatch<Double>, names: [String], points: Int = 61, highlighted: Double? = nil,
                size: (width: Double, height: Double) = (720, 450)) {
        self.batch = batch; self.names = names; self.highlighted = highlighted; self.size = size
        let (a, b) = (log10(Self.tauRange.lowerBound), log10(Self.tauRange.upperBound))
        let temperatures = evenlySpaced(count: points).map { pow(10, a + (b - a) * $0) }
        self.temperatures = temperatures
        sweep = temperatures.map { labelMarginals(batch, temperature: $0).predicted[0]! }
        target = labelMarginals(batch, temperature: 1).target[0]!
        hard = hardProportions(batch)[0]!
    }

    /// The explorer's sample (`TemperatureSample`); its sweep at the default 61 points is made once a process.
    public static func sample(points: Int = 61, highlighted: Double? = nil, size: (width: Double, height: Double) = (720, 450)) -> Self {
        var sample = points == defaultSample.temperatures.count
            ? defaultSample : Self(batch: TemperatureSample.batch, names: TemperatureSample.names, points: points)
        sample.highlighted = highlighted
        sample.size = size
        return sample
    }

    private static let defaultSample = Self(batch: TemperatureSample.batch, names: TemperatureSample.names)

    /// p̂ at τ.
    public func soft(_ tau: Double) -> [Double] { labelMarginals(batch, temperature: tau).predicted[0]! }

    /// The class's colour: blue, orange, green for the first three (the explorer's), then the palette's.
    public static func color(_ k: Int) -> Color { k < 3 ? [Palette.blue, Palette.orange, Palette.green][k] : Palette.classColor(k) }

    public func table() -> DataTable {
        let rows = sweep
        var columns: [(String, [Double?])] = [("tau", temperatures.map { Optional($0) })]
        for k in names.indices { columns.append(("soft:\(names[k])", rows.map { Optional($0[k]) })) }
        let hard = self.hard
        for k in names.indices { columns.append(("hard:\(names[k])", temperatures.map { _ in Optional(hard[k]) })) }
        return DataTable(columns: columns)
    }

    public func json() -> JSONValue {
        let rows = sweep, hard = self.hard, target = self.target
        return .object([
            ("command", .string("softmax --proportions")),
            ("classes", .array(names.map { .string($0) })),
            ("pixels", .number(Double(batch.height * batch.width))),
            ("target", .numbers(target)),
            ("hard", .numbers(hard)),
            ("tau", .numbers(temperatures)),
            ("soft", .array(rows.map { .numbers($0) })),
            ("l1_to_hard", .numbers(rows.map { SimplexPenalty.l1.value(predicted: $0, target: hard) })),
        ])
    }

    public func figure() -> Figure {
        let rows = sweep, hard = self.hard
        let series = names.indices.map { k in
            Series(name: "soft:\(names[k])", label: "p̂ \(names[k])", x: temperatures, y: rows.map { Optional($0[k]) },
                   style: StrokeStyle(color: Self.color(k), width: 2.2))
        }
        var rules = hard.indices.map {
            ReferenceLine(.horizontal, at: hard[$0], label: "hard \(names[$0])",
                          style: StrokeStyle(color: Self.color($0), width: 1.2, dash: [7, 4]))
        }
        if let tau = highlighted {
            rules.append(ReferenceLine(.vertical, at: tau, label: "τ = \(short(tau))", shortLabel: "τ", style: StrokeStyle(color: Palette.accent)))
        }
        let largest = (rows.flatMap { $0 } + hard).max() ?? 1
        let top = min(1, ((largest * 1.1) * 10).rounded(.up) / 10)
        return .lines(LineChart(
            title: "Predicted proportions over the temperature τ",
            subtitle: "p̂ₖ = mean of softmax(τz)ₖ (lines) approaches the hard proportion (dashes) as τ grows",
            xAxis: Axis(label: "temperature τ (log scale)", scale: .logarithmic, range: Self.tauRange),
            yAxis: Axis(label: "p̂ at τ (lines) and hard proportion (dashes)", range: 0 ... top),
            series: series, referenceLines: rules, width: size.width, height: size.height))
    }
}

/// The explorer's sample soft prediction: a 48 × 48 image of three classes (ŷ ≈ 70 / 25 / 5 %)
/// whose logits are z_k = 1.2·[k = y] + 0.9·ε with seeded normal noise ε: a plausible, unsure
/// prediction. Data, not a loss: every proportion shown of it comes from MarginalCore.
public enum TemperatureSample {
    public static let side = 48, classes = 3
    public static let names = ["bg", "organ", "tumour"]

    public static let batch: SegmentationBatch<Double> = {
        var generator = SeededRandom(seed: 7)
        let pixels = side * side
        let labels: [UInt8] = (0 ..< pixels).map { _ in
            let u = generator.uniform(0, 1)
            return u < 0.70 ? 0 : (u < 0.95 ? 1 : 2)
        }
        var logits = [Double](repeating: 0, count: classes * pixels)
        for k in 0 ..< classes {
            for i in 0 ..< pixels { logits[k * pixels + i] = (Int(labels[i]) == k ? 1.2 : 0) + 0.9 * generator.normal() }
        }
        // Labels in range and finite logits by construction.
        return try! SegmentationBatch(logits: logits, labels: labels, batchSize: 1, classes: classes, height: side, width: side)
    }()

    public static let target: [Double] = labelMarginals(batch, temperature: 1).target[0]!
    public static let hard: [Double] = hardProportions(batch)[0]!
    public static let softAtOne: [Double] = labelMarginals(batch, temperature: 1).predicted[0]!
}
