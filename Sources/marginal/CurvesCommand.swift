import ArgumentParser
import Foundation
import MarginalCore
import MarginalPlot

/// `marginal curves`: the binary label-marginal penalties over p̂₁ ∈ [0, 1] (the paper's Fig. 2),
/// as numbers (CSV, JSON) or a figure (SVG, PNG, PDF).
struct CurvesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curves",
        abstract: "Plot or tabulate the binary label-marginal penalties (the paper's Fig. 2).",
        discussion: """
        For two classes with target foreground proportion ŷ₁, each penalty is a \
        function of the predicted proportion p̂₁ ∈ [0, 1]:

          db1     DB₁ = log(p̂₁ + ŷ₁): Dice's bias (Eq. 21), smallest at p̂₁ = 0
          kl      KL = ŷ₁ log(ŷ₁/p̂₁) + ŷ₀ log(ŷ₀/p̂₀): CE's hidden bias (Eq. 4),
                  smallest at p̂₁ = ŷ₁, infinite at 0 and 1
          l1      L1 = |p̂₁ − ŷ₁|: the paper's regulariser, smallest at ŷ₁
          kl+db1  KL + λ·DB₁, the marginal part of CE + λ·log-Dice: smallest
                  strictly below ŷ₁, the lower the larger λ
          kl+l1   KL + λ·L1 (the paper's Ours(L1)): smallest at ŷ₁
          kl+kl   KL + λ·KL (the paper's Ours(KL)): smallest at ŷ₁

        Infinite values (KL at p̂₁ = 0 or 1) are empty CSV cells, JSON null and \
        gaps in a figure. JSON also gives each penalty's minimiser (p and value), \
        found on the samples and refined by bisection to the last bit. The format \
        follows the extension of --out unless --format is given.

        Examples:
          marginal curves --out fig2.pdf
          marginal curves --penalties kl,kl+db1,kl+l1 --lambda 2 --out bias.svg
          marginal curves --yhat 0.05 --derivative --format csv > slopes.csv
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Target foreground proportion ŷ₁, strictly between 0 and 1.", valueName: "y"))
    var yhat: String = "0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight λ ≥ 0 of the composites KL + λ·R.", valueName: "λ"))
    var lambda: String = "1"

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Comma-separated penalties among \(BinaryPenalty.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "list"))
    var penalties: String = "db1,kl,l1"

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of evenly spaced samples of p̂₁ on [0, 1], both ends included (3 to 1000001).",
                               valueName: "n"))
    var points: String = "1001"

    @Flag(help: "Give first derivatives d/dp̂₁ instead of values (minimisers are still the penalties').")
    var derivative = false

    @Option(name: .customLong("ymin"), parsing: .unconditional, help: ArgumentHelp(
        "Lower end of the figure's y axis. (default: fitted to the curves)", valueName: "y"))
    var yMin: String?

    @Option(name: .customLong("ymax"), parsing: .unconditional, help: ArgumentHelp(
        "Upper end of the figure's y axis. (default: fitted to the curves)", valueName: "y"))
    var yMax: String?

    @Flag(name: .customLong("log-x"), help: "Logarithmic p̂₁ axis in figures (the sample at p̂₁ = 0 is left out).")
    var logX = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Figure size in points (SVG, PDF; PNG times --scale).", valueName: "WxH"))
    var size: String = "720x450"

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures("curves") {
            let request = try CurvesRequest(
                yhat: yhat, lambda: lambda, penalties: penalties, points: points, derivative: derivative,
                yMin: yMin, yMax: yMax, logX: logX, size: size)
            try output.emit(request.product())
        }
    }
}

/// The validated parameters of `marginal curves` and everything it computes from them.
struct CurvesRequest {
    let target: Double
    let lambda: Double
    let penalties: [BinaryPenalty]
    let points: Int
    let derivative: Bool
    let yRange: (Double?, Double?)
    let logX: Bool
    let size: (width: Double, height: Double)

    init(yhat: String, lambda: String, penalties: String, points: String, derivative: Bool,
         yMin: String?, yMax: String?, logX: Bool, size: String) throws(MarginalError) {
        target = try parseProportion(yhat, option: "--yhat")
        self.lambda = try parseLambda(lambda)
        var chosen: [BinaryPenalty] = []
        for name in penalties.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let penalty = BinaryPenalty(rawValue: trimmed) else {
                throw MarginalError("unknown penalty '\(name)' (expected \(BinaryPenalty.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !chosen.contains(penalty) else { throw MarginalError("penalty '\(trimmed)' is named twice") }
            chosen.append(penalty)
        }
        self.penalties = chosen
        self.points = try parseInteger(points, option: "--points", range: 3 ... 1_000_001)
        self.derivative = derivative
        let low = try yMin.map { (text: String) throws(MarginalError) in try parseNumber(text, option: "--ymin") }
        let high = try yMax.map { (text: String) throws(MarginalError) in try parseNumber(text, option: "--ymax") }
        if let low, let high, low >= high { throw MarginalError("--ymin \(short(low)) is not below --ymax \(short(high))") }
        yRange = (low, high)
        self.logX = logX
        self.size = try parseSize(size)
    }

    var grid: [Double] { evenlySpaced(count: points) }

    /// The values (or derivatives) of `penalty` on the grid; nil where infinite.
    func samples(_ penalty: BinaryPenalty) -> [Double?] {
        grid.map { p in
            let v = derivative
                ? penalty.derivative(predicted: p, target: target, lambda: lambda)
                : penalty.value(predicted: p, target: target, lambda: lambda)
            return v.isFinite ? v : nil
        }
    }

    func minimiser(_ penalty: BinaryPenalty) -> (p: Double, value: Double)? {
        penalty.minimiser(target: target, lambda: lambda, points: points)
    }

    func product() -> PlotProduct {
        PlotProduct(table: table, json: json, figure: figure)
    }

    func table() -> DataTable {
        DataTable(columns: [("p", grid.map { Optional($0) })] + penalties.map { ($0.rawValue, samples($0)) })
    }

    func json() -> JSONValue {
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
    func formula(_ penalty: BinaryPenalty) -> String {
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
    func legendLabel(_ penalty: BinaryPenalty) -> String {
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

    static func color(_ penalty: BinaryPenalty) -> Color {
        switch penalty {
        case .db1: Palette.vermillion
        case .kl: Palette.blue
        case .l1: Palette.green
        case .klPlusDB1: Palette.purple
        case .klPlusL1: Palette.orange
        case .klPlusKL: Palette.skyBlue
        }
    }

    func figure() -> Figure {
        let x = grid
        let series = penalties.map { penalty in
            Series(name: penalty.rawValue, label: legendLabel(penalty), x: x, y: samples(penalty),
                   style: StrokeStyle(color: Self.color(penalty), width: 2.2, dash: penalty.isComposite ? [7, 4] : []))
        }
        var markers: [Marker] = []
        for penalty in penalties {
            guard let minimum = minimiser(penalty) else { continue }
            let y = derivative ? penalty.derivative(predicted: minimum.p, target: target, lambda: lambda) : minimum.value
            guard y.isFinite else { continue }
            markers.append(Marker(x: minimum.p, y: y, shape: .circle, size: 4.5, fill: Self.color(penalty),
                                  stroke: .white, label: nil))
        }
        // One legend row for all minima, drawn in a neutral colour.
        let minimumEntry = LegendEntry(sample: .marker(shape: .circle, fill: Color(hex: 0x555555), stroke: .white),
                                       label: derivative ? "where each penalty is smallest" : "minimum")
        let quantity = derivative ? "slope d/dp̂₁ of the penalty" : "penalty"
        var subtitle = "target foreground proportion ŷ₁ = \(short(target))"
        if penalties.contains(where: \.isComposite) { subtitle += " · λ = \(short(lambda))" }
        let yAxisRange = resolvedYRange(series)
        let xAxis = Axis(label: "predicted foreground proportion p̂₁", scale: logX ? .logarithmic : .linear,
                         range: logX ? (1 / Double(points - 1)) ... 1 : 0 ... 1)
        let chart = LineChart(
            title: derivative ? "Slopes of the label-marginal penalties (binary)" : "Label-marginal penalties (binary)",
            subtitle: subtitle,
            xAxis: xAxis,
            yAxis: Axis(label: quantity, range: yAxisRange),
            series: series,
            markers: markers,
            referenceLines: [ReferenceLine(.vertical, at: target, label: "ŷ₁ = \(short(target))")],
            extraLegendEntries: markers.isEmpty ? [] : [minimumEntry],
            width: size.width, height: size.height)
        return .lines(chart)
    }

    /// The y range: the one given, else automatic for values; for derivatives, which run to ±∞
    /// at the ends, the 2nd to 98th percentile of all slopes, widened by 10 %.
    func resolvedYRange(_ series: [Series]) -> ClosedRange<Double>? {
        var low = yRange.0, high = yRange.1
        if derivative && (low == nil || high == nil) {
            let all = series.flatMap { $0.y.compactMap { $0 } }.sorted()
            if !all.isEmpty {
                let a = all[Int(Double(all.count - 1) * 0.02)], b = all[Int(Double(all.count - 1) * 0.98)]
                let pad = max((b - a) * 0.1, 1e-9)
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
