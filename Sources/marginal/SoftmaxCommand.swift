import ArgumentParser
import Foundation
import MarginalCore
import MarginalPlot

/// `marginal softmax`: the two-class soft-max with temperature, s(τz)₁ = 1/(1 + e^{−τz}), for a
/// few τ (the paper's Fig. 5).
struct SoftmaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "softmax",
        abstract: "Plot or tabulate the soft-max with temperature τ (the paper's Fig. 5).",
        discussion: """
        For two classes with logit difference z = z₁ − z₂, the soft-max with \
        temperature τ (Eq. 22) gives class 1 the probability

          s(τz)₁ = exp(τz₁) / (exp(τz₁) + exp(τz₂)) = 1 / (1 + exp(−τz)).

        A large τ pushes predictions towards 0 or 1, so that p̂ (the mean of s \
        over the pixels) estimates the predicted region proportion; the paper \
        uses τ = 10, for p̂ only.

        Examples:
          marginal softmax --out fig5.svg
          marginal softmax --tau 1,10,100 --zmax 1 --format csv
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Comma-separated temperatures τ > 0.", valueName: "list"))
    var tau: String = "1,2,5,10"

    @Option(parsing: .unconditional, help: ArgumentHelp("The logit difference z runs over [−zmax, zmax]; zmax > 0.", valueName: "z"))
    var zmax: String = "3"

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of evenly spaced samples of z, both ends included (3 to 1000001).",
                               valueName: "n"))
    var points: String = "601"

    @Option(parsing: .unconditional, help: ArgumentHelp("Figure size in points (SVG, PDF; PNG times --scale).", valueName: "WxH"))
    var size: String = "720x450"

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures("softmax") {
            let request = try SoftmaxRequest(tau: tau, zmax: zmax, points: points, size: size)
            try output.emit(request.product())
        }
    }
}

/// The validated parameters of `marginal softmax` and everything it computes from them.
struct SoftmaxRequest {
    let temperatures: [Double]
    let zmax: Double
    let points: Int
    let size: (width: Double, height: Double)

    init(tau: String, zmax: String, points: String, size: String) throws(MarginalError) {
        temperatures = try parseNumberList(tau, option: "--tau")
        for t in temperatures where t <= 0 {
            throw MarginalError("--tau \(tau): \(short(t, digits: 6)) is not > 0; a temperature must be positive")
        }
        let z = try parseNumber(zmax, option: "--zmax")
        guard z > 0 else { throw MarginalError("--zmax \(zmax) is not > 0") }
        self.zmax = z
        self.points = try parseInteger(points, option: "--points", range: 3 ... 1_000_001)
        self.size = try parseSize(size)
    }

    /// z from −zmax to zmax; the middle sample is exactly 0 when the count is odd.
    var grid: [Double] { evenlySpaced(count: points).map { zmax * (2 * $0 - 1) } }

    func name(_ t: Double) -> String { "tau=\(exactNumber(t))" }

    func samples(_ t: Double) -> [Double] { grid.map { temperedSoftmax(logitDifference: $0, temperature: t) } }

    func product() -> PlotProduct { PlotProduct(table: table, json: json, figure: figure) }

    func table() -> DataTable {
        DataTable(columns: [("z", grid.map { Optional($0) })] + temperatures.map { (name($0), samples($0).map { Optional($0) }) })
    }

    func json() -> JSONValue {
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

    func figure() -> Figure {
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
