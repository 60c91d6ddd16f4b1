import Foundation
import MarginalCore
import MarginalFigure

/// The two-class soft-max with temperature, s(τz)₁ = 1/(1 + e^{−τz}), for a few τ (the paper's
/// Fig. 5) as numbers and as a figure: what `marginal softmax` writes and what the explorer's
/// Temperature screen exports.
public struct SoftmaxCurves: Sendable {
    public let temperatures: [Double]
    public let zmax: Double
    public let points: Int
    public let size: (width: Double, height: Double)
    /// The temperature the explorer's user chose: its curve in the accent colour, marked "←".
    public let highlighted: Double?

    public init(temperatures: [Double], zmax: Double = 3, points: Int = 601, size: (width: Double, height: Double) = (720, 450),
                highlighted: Double? = nil) {
        self.temperatures = temperatures; self.zmax = zmax; self.points = points; self.size = size; self.highlighted = highlighted
    }

    /// z from −zmax to zmax; the middle sample is exactly 0 when the count is odd. Each is
    /// `zmax·(2i − n)/n` with one rounding (the product is exact for a zmax of few digits), so
    /// a file shows −2.97, not the −2.9699999999999998 of `zmax·(2·(i/n) − 1)`.
    public var grid: [Double] {
        let last = points - 1
        return (0 ..< points).map { zmax * Double(2 * $0 - last) / Double(last) }
    }

    public func name(_ t: Double) -> String { "tau=\(exactNumber(t))" }

    public func samples(_ t: Double) -> [Double] { grid.map { temperedSoftmax(logitDifference: $0, temperature: t) } }

    public func table() -> DataTable {
        DataTable(columns: [("z", grid.map { Optional($0) })] + temperatures.map { (name($0), samples($0).map { Optional($0) }) })
    }

    public func json() -> JSONValue {
        .object([
            ("command", .string("softmax")),
            ("parameters", .object([
                ("tau", .numbers(temperatures)),
                ("zmax", .number(zmax)),
                ("points", .number(Double(points))),
            ])),
            ("formula", .string("s(τz)₁ = 1 / (1 + exp(−τz)), z = z₁ − z₂")),
            ("z", .numbers(grid)),
            ("series", .array(temperatures.map { t in
                .object([("name", .string(name(t))), ("tau", .number(t)), ("values", .numbers(samples(t)))])
            })),
        ])
    }

    public func figure() -> Figure {
        let x = grid
        // Ordered temperatures get ordered colours: viridis from dark (small τ) to green (large τ).
        let order = temperatures.enumerated().sorted { $0.element < $1.element }.map(\.offset)
        var rank = [Int](repeating: 0, count: temperatures.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        let series = temperatures.enumerated().map { index, t in
            let fraction = temperatures.count == 1 ? 0.3 : 0.82 * Double(rank[index]) / Double(temperatures.count - 1)
            let isHighlighted = t == highlighted
            let shortLabel = isHighlighted ? "τ = " + String(format: t < 10 ? "%.2f" : "%.1f", t) + " ←" : nil
            return Series(name: name(t), label: "τ = \(short(t))" + (isHighlighted ? " ←" : ""), shortLabel: shortLabel,
                          x: x, y: x.map { Optional(temperedSoftmax(logitDifference: $0, temperature: t)) },
                          style: StrokeStyle(color: isHighlighted ? Palette.accent : Colormap.viridis.color(at: fraction), width: 2.2))
        }
        let chart = LineChart(
            title: "Soft-max with temperature τ (two classes)",
            subtitle: "s(τz)₁ = 1 / (1 + exp(−τz)): the larger τ, the more confident the prediction",
            xAxis: Axis(label: "logit difference z = z₁ − z₂", range: -zmax ... zmax),
            yAxis: Axis(label: "probability of class 1, s(τz)₁", range: -0.02 ... 1.02),
            series: series,
            referenceLines: [ReferenceLine(.horizontal, at: 0.5)],
            width: size.width, height: size.height)
        return .lines(chart)
    }
}
