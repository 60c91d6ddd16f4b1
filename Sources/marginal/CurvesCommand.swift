import ArgumentParser
import Foundation
import MarginalCore
import MarginalPlot
import MarginalFigure

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

    @Flag(help: ArgumentHelp("Give first derivatives d/dp̂₁ instead of values (minimisers are still the penalties').",
                             discussion: "Figures then show the symmetric y range [−M, M] of the explorer's slopes view (M: twice the largest slope near ŷ₁, as a 1-2-5 number), and an arrow where a curve runs on past it towards ±∞; --ymin/--ymax set it, as the explorer's z/Z zoom does."))
    var derivative = false

    @Option(name: .customLong("ymin"), parsing: .unconditional, help: ArgumentHelp(
        "Lower end of the figure's y axis. (default: fitted to the curves; −M for --derivative)", valueName: "y"))
    var yMin: String?

    @Option(name: .customLong("ymax"), parsing: .unconditional, help: ArgumentHelp(
        "Upper end of the figure's y axis. (default: fitted to the curves; M for --derivative)", valueName: "y"))
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

    var curves: PenaltyCurves {
        PenaltyCurves(target: target, lambda: lambda, penalties: penalties, points: points, derivative: derivative,
                      yRange: yRange, logX: logX, size: size)
    }

    func product() -> PlotProduct {
        let curves = curves
        return PlotProduct(table: curves.table, json: curves.json, figure: curves.figure)
    }
}
