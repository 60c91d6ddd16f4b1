import Foundation
import MarginalCore

/// The two-class soft-max with temperature, s(τz)₁ = 1/(1 + e^{−τz}), for a few τ (the paper's
/// Fig. 5) as numbers and as a figure: what `marginal softmax` writes and what the explorer's
/// Temperature screen exports.
public struct SoftmaxCurves: Sendable {
    public let temperatures: [Double]
    public let zmax: Double
    public let points: Int
    public let size: (width: Double, height: Double)

    public init(temperatures: [Double], zmax: Double = 3, points: Int = 601, size: (width: Double, height: Double) = (720, 450)) {
        self.temperatures = temperatures; self.zmax = zmax; self.points = points; self.size = size
    }

    /// z from −zmax to zmax; the middle sample is exactly 0 when the count is odd.
    public var grid: [Double] { evenlySpaced(count: points).map { zmax * (2 * $0 - 1) } }

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
            return Series(name: name(t), label: "τ = \(short(t))", x: x, y: samples(t).map { Optional($0) },
                          style: StrokeStyle(color: Colormap.viridis.color(at: fraction), width: 2.2))
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
