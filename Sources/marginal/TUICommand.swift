import ArgumentParser
import CursesTerminal
import Foundation
import MarginalApp
import MarginalCore
import MarginalEngine
import MarginalRuns
import TerminalUI

/// `marginal tui` (and `marginal` alone): the explorer.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Explore the penalties, the simplex, K-class marginals, temperature and a toy, live (the default).",
        discussion: """
        A full-screen explorer for a terminal (over SSH too): \(ScreenID.overview). Press ? on any screen for its keys and what it shows; e exports the view as SVG and CSV \
        into exports/; q quits.

        NO_COLOR turns colours off; MARGINAL_COLORS=16 or mono forces fewer. A locale that is not UTF-8 gives plain ASCII.

        Examples:
          marginal
          marginal tui --screen simplex
          marginal tui --screen runs --runs-dir runs
          marginal tui --state 'curves:yhat=0.1,lambda=1,penalties=kl+db1,kl+l1'

        --state opens a screen set as a state string says: the screen's name, then its settings \
        as name=value separated by commas. The status line shows the current view's string.
        """
    )

    @Option(help: ArgumentHelp("The screen to open: \(ScreenID.allCases.map(\.rawValue).joined(separator: ", ")) (default: curves).", valueName: "name"),
            transform: ScreenID.parse)
    var screen = ScreenID.curves

    @Option(help: ArgumentHelp("The folder of training runs the Runs screen shows and launches into.", valueName: "dir"))
    var runsDir = "runs"

    @Option(help: ArgumentHelp("A view to open, as the status line writes it: 'toy:loss=ce_l1,steps=100' (instead of --screen).",
                               valueName: "string"))
    var state: String?

    func validate() throws {
        guard let state else { return }
        var app = AppState()
        do { try app.open(state: state) } catch { throw ValidationError("--state: \(error.description)") }
    }

    func run() throws {
        try reportingFailures("tui") {
            try runExplorer(opening: screen, runsFolder: runsDir, state: state)
        }
    }
}

/// Sets up the terminal and the real world, and runs the explorer's loop (`MarginalApp.runExplorer`).
/// The terminal is restored on every way out: `q`, an error (the `defer`), a signal (the
/// terminal's handlers). Launched runs live on after it.
func runExplorer(opening screen: ScreenID, runsFolder: String, state stateString: String? = nil, lessonStep: Int? = nil) throws(MarginalError) {
    let terminal: CursesTerminal
    do { terminal = try CursesTerminal() } catch { throw MarginalError(error.description) }
    defer { terminal.end() }
    var state = AppState(screen: screen, width: terminal.width, height: terminal.height, theme: terminal.theme)
    if let stateString {
        do { try state.open(state: stateString) } catch { throw MarginalError("--state: \(error.description)") }
    }
    state.runs.runsFolder = runsFolder
    if let lessonStep { state.openLesson(at: lessonStep) }
    let exports = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("exports")
    MarginalApp.runExplorer(state, terminal: terminal, world: SystemWorld(runsFolder: runsFolder, exportsFolder: exports))
}
