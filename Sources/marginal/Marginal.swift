import ArgumentParser
import Foundation
import MarginalCore

@main
struct Marginal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marginal",
        abstract: "See the hidden label-marginal biases of segmentation losses.",
        discussion: """
        Dice and cross-entropy each split into a ground-truth matching term and a label-marginal penalty on the predicted class proportions p̂. Every number marginal prints follows docs/CONVENTIONS.md. Start with:
          marginal                                        the explorer (marginal tui): press ? for help
          marginal curves --yhat 0.1 --out fig2.png      the paper's Fig. 2
          marginal toy --scenario small-lesion --compare  every loss on a toy segmentation
          marginal decompose --logits z.npy --labels y.npy
          marginal train --dataset lesions --loss ce_l1 --run demo   a UNet-S on the CPU, then: marginal runs
        """,
        version: marginalVersion,
        subcommands: [TUICommand.self, CurvesCommand.self, SimplexCommand.self, SoftmaxCommand.self, DecomposeCommand.self,
                      ToyCommand.self, LessonCommand.self, TrainCommand.self, EvalCommand.self, RunsCommand.self, DatasetCommand.self, BenchCommand.self],
        defaultSubcommand: TUICommand.self
    )

    /// ArgumentParser's own errors (an unknown flag, a value that does not parse) become one
    /// line and exit status 2, like every other bad input; help still prints in full.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = oneLine(self.message(for: error))
            FileHandle.standardError.write(Data("marginal: \(message) (see --help)\n".utf8))
            Foundation.exit(2)
        }
    }

    /// ArgumentParser's message in one line: its first line, and when that introduces a list
    /// ("Please provide one of the following:", then "- ce", "- focal", …), the list's items.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first else { return "invalid arguments" }
        let items = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
        guard first.hasSuffix(":"), !items.isEmpty else { return first }
        return first + " " + items.joined(separator: ", ") + "."
    }
}
