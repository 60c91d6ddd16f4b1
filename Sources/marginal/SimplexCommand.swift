import ArgumentParser
import Foundation
import MarginalCore
import MarginalPlot
import MarginalFigure

/// `marginal simplex`: a three-class label-marginal penalty over the simplex, as a ternary heat
/// map (SVG, PNG, PDF) or its grid of numbers (CSV, JSON).
struct SimplexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simplex",
        abstract: "Map a three-class label-marginal penalty over the simplex of predicted proportions.",
        discussion: """
        Three classes, with the paper's sums over k (exact, no ε):

          db      DB = Σ log(p̂ₖ + ŷₖ): Dice's bias (Eq. 1); concave, smallest
                  at the vertex of the largest ŷₖ (Proposition 1)
          kl      KL = Σ ŷₖ log(ŷₖ/p̂ₖ): CE's hidden bias (Eq. 4); smallest at
                  p̂ = ŷ, infinite on the edges
          l1      L1 = Σ |ŷₖ − p̂ₖ|: the paper's regulariser; smallest at p̂ = ŷ
          kl+db   KL + λ·DB, the marginal part of CE + λ·log-Dice
          kl+l1   KL + λ·L1, the marginal part of the paper's Ours(L1)

        The grid has n divisions per edge: the points (i, j, n − i − j)/n. \
        JSON gives every grid point (p1, p2, p3 and the value, null where \
        infinite) and the minimiser, found on the grid and refined by a compass \
        search; CSV gives one row per grid point. The figure is a ternary heat \
        map marking ŷ and the minimiser.

        Examples:
          marginal simplex --out dice-bias.png
          marginal simplex --yhat 0.5,0.3,0.2 --penalty kl+db --lambda 2 --out m.pdf
          marginal simplex --penalty kl --format json > kl.json
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Target proportions ŷ₁,ŷ₂,ŷ₃: each strictly between 0 and 1, summing to 1.", valueName: "list"))
    var yhat: String = "0.6,0.3,0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Penalty: \(SimplexPenalty.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var penalty: String = "db"

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight λ ≥ 0 of the composites KL + λ·R.", valueName: "λ"))
    var lambda: String = "1"

    @Option(parsing: .unconditional, help: ArgumentHelp("Grid divisions per edge, 1 to 1000 ((n+1)(n+2)/2 points).", valueName: "n"))
    var resolution: String = "100"

    @Option(parsing: .unconditional, help: ArgumentHelp("Figure size in points (SVG, PDF; PNG times --scale).", valueName: "WxH"))
    var size: String = "640x520"

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures("simplex") {
            let request = try SimplexRequest(yhat: yhat, penalty: penalty, lambda: lambda,
                                             resolution: resolution, size: size)
            try output.emit(request.product())
        }
    }
}

/// The validated parameters of `marginal simplex` and everything it computes from them.
struct SimplexRequest {
    let target: SimplexPoint
    let penalty: SimplexPenalty
    let lambda: Double
    let resolution: Int
    let size: (width: Double, height: Double)

    init(yhat: String, penalty: String, lambda: String, resolution: String, size: String) throws(MarginalError) {
        let values = try parseNumberList(yhat, option: "--yhat")
        guard values.count == 3 else {
            throw MarginalError("--yhat \(yhat) has \(values.count) proportions; the simplex map needs 3 (K = 3)")
        }
        for value in values where !(value > 0 && value < 1) {
            throw MarginalError("--yhat \(yhat): \(short(value, digits: 6)) is outside (0, 1); every class needs a proportion strictly between 0 and 1")
        }
        let sum = values.reduce(0, +)
        guard abs(sum - 1) <= 1e-9 else {
            throw MarginalError("--yhat \(yhat) sums to \(short(sum, digits: 9)), not 1: a point of the simplex sums to 1")
        }
        target = SimplexPoint(values[0], values[1], values[2])
        guard let chosen = SimplexPenalty(rawValue: penalty.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw MarginalError("unknown penalty '\(penalty)' (expected \(SimplexPenalty.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.penalty = chosen
        self.lambda = try parseLambda(lambda)
        self.resolution = try parseInteger(resolution, option: "--resolution", range: 1 ... 1000)
        self.size = try parseSize(size)
    }

    func product() -> PlotProduct {
        let figure = SimplexPenaltyMap(target: target, penalty: penalty, lambda: lambda, resolution: resolution, size: size)
        let map = figure.map()
        return PlotProduct(table: { figure.table(map) }, json: { figure.json(map) }, figure: { figure.figure(map) })
    }
}
