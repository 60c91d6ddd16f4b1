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
        """
    )

    @Option(help: ArgumentHelp("The screen to open: \(ScreenID.allCases.map(\.rawValue).joined(separator: ", ")) (default: curves).", valueName: "name"),
            transform: ScreenID.parse)
    var screen = ScreenID.curves

    @Option(help: ArgumentHelp("The folder of training runs the Runs screen shows and launches into.", valueName: "dir"))
    var runsDir = "runs"

    func run() throws {
        try reportingFailures("tui") {
            try runExplorer(opening: screen, runsFolder: runsDir)
        }
    }
}

/// Sets up the terminal and the real world, and runs the explorer's loop (`MarginalApp.runExplorer`).
/// The terminal is restored on every way out: `q`, an error (the `defer`), a signal (the
/// terminal's handlers). Launched runs live on after it.
func runExplorer(opening screen: ScreenID, runsFolder: String, lessonStep: Int? = nil) throws(MarginalError) {
    let terminal: CursesTerminal
    do { terminal = try CursesTerminal() } catch { throw MarginalError(error.description) }
    defer { terminal.end() }
    var state = AppState(screen: screen, width: terminal.width, height: terminal.height, theme: terminal.theme)
    state.runs.runsFolder = runsFolder
    if let lessonStep { state.openLesson(at: lessonStep) }
    let exports = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("exports")
    MarginalApp.runExplorer(state, terminal: terminal, world: SystemWorld(runsFolder: runsFolder, exportsFolder: exports))
}
