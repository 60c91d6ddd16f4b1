import ArgumentParser
import Foundation
import MarginalApp
import MarginalCore

/// `marginal lesson`: the guided lesson through the paper's seven claims, in the explorer
/// (each step a prepared state, a question, then the answer on the live screen), or as text.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Walk through the paper's seven claims in the explorer, each with a question, then the live answer.",
        discussion: """
        Opens the explorer on the lesson's first step. → and ← move between steps (each sets \
        the screen to the state that shows its claim), space or Enter reveals the answer, Esc \
        closes the lesson (w on any screen reopens it). --print writes the lesson as text \
        instead: for each claim, the paper's reference, the question, the answer, the keys \
        that reach it by hand and the command that reproduces it from the shell.

        Examples:
          marginal lesson
          marginal lesson --step 5
          marginal lesson --print
        """
    )

    @Option(help: ArgumentHelp("The step to open on, 1 to \(lessonSteps.count).", valueName: "n"))
    var step = 1

    @Flag(help: "Print the lesson (claims, questions, answers, keys, commands) instead of opening the explorer.")
    var print = false

    @Option(help: ArgumentHelp("The folder of training runs the Runs screen shows.", valueName: "dir"))
    var runsDir = "runs"

    func run() throws {
        try reportingFailures("lesson") {
            guard (1 ... lessonSteps.count).contains(step) else {
                throw MarginalError("--step \(step) is outside 1…\(lessonSteps.count)")
            }
            if print {
                Swift.print(lessonText(), terminator: "")
                return
            }
            try runExplorer(opening: .curves, runsFolder: runsDir, lessonStep: step - 1)
        }
    }
}

/// The lesson as text, one block a step.
func lessonText() -> String {
    lessonSteps.enumerated().map { index, step in
        """
        \(index + 1). \(step.claim) (\(step.reference))
           Q: \(step.question)
           A: \(step.answer)
           keys:  \(step.keys)
           shell: \(step.command)
           open:  marginal tui --state '\(step.state)'

        """
    }.joined()
}
