import ArgumentParser
import Foundation
import MarginalApp
import MarginalCore
import MarginalDatasets
import MarginalRuns

// The typed values of the command line: ArgumentParser parses them, lists their choices in
// --help and refuses any other value with one line (`Marginal.main`) and exit status 2, before
// a command runs.

extension LossName: ExpressibleByArgument {}
extension OptimizerName: ExpressibleByArgument {}
extension EngineName: ExpressibleByArgument {}
extension ToyOptimizer: ExpressibleByArgument {}
extension ToyScenario: ExpressibleByArgument {}

extension DatasetName: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { choices }
    public var defaultValueDescription: String { description }
}

/// The loss, λ and τ of a loss-trained command (`toy`, `train`).
struct LossOptions: ParsableArguments {
    @Option(help: "The loss (names and definitions in docs/CONVENTIONS.md).")
    var loss = LossName.ce

    @Option(name: .customLong("lambda"), parsing: .unconditional,
            help: "λ of a composite loss (default: the loss's own, 1 for ce_l1, 0.1 for the others).")
    var lambda: Double?

    @Option(parsing: .unconditional, help: "Temperature τ of p̂ in the label-marginal penalties.")
    var tau: Double = 10
}

extension ScreenID {
    /// `--screen`: a screen's name, in any case; anything else is refused with the choices.
    static func parse(_ text: String) throws -> ScreenID {
        guard let id = ScreenID(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ValidationError("unknown; choose one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return id
    }
}
