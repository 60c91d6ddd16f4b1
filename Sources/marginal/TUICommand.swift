import ArgumentParser
import CursesTerminal
import Foundation
import MarginalApp
import MarginalCore
import TerminalUI

/// `marginal tui` (and `marginal` alone): the explorer.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Explore the penalties, the simplex, K-class marginals, temperature and a toy, live (the default).",
        discussion: """
        A full-screen explorer for a terminal (over SSH too): 1 Curves (the paper's Fig. 2), 2 Simplex (Proposition 1), \
        3 Marginals (K classes, Cityscapes' proportions), 4 Temperature (Fig. 5, Appendix C), 5 Toy (a segmentation \
        trained under any loss). Press ? on any screen for its keys and what it shows; e exports the view as SVG and CSV \
        into exports/; q quits.

        NO_COLOR turns colours off; MARGINAL_COLORS=16 or mono forces fewer. A locale that is not UTF-8 gives plain ASCII.

        Examples:
          marginal
          marginal tui --screen simplex
        """
    )

    @Option(help: ArgumentHelp("The screen to open: \(ScreenID.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var screen = "curves"

    func run() throws {
        try reportingFailures("tui") {
            let name = screen.trimmingCharacters(in: .whitespaces).lowercased()
            if name == "runs" { throw MarginalError("--screen runs: not available yet (training runs come with marginal train)") }
            guard let id = ScreenID(rawValue: name) else {
                throw MarginalError("--screen \(screen): unknown; choose one of \(ScreenID.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try runExplorer(opening: id)
        }
    }
}

/// The explorer's loop: wait for an event (without using the CPU while nothing happens),
/// `update`, perform the effects, `render` into a buffer, show it. The terminal is restored on
/// every way out: `q`, an error (the `defer`), a signal (the terminal's handlers).
func runExplorer(opening screen: ScreenID) throws(MarginalError) {
    let terminal: CursesTerminal
    do { terminal = try CursesTerminal() } catch { throw MarginalError(error.description) }
    defer { terminal.end() }
    var state = AppState(screen: screen, width: terminal.width, height: terminal.height, theme: terminal.theme)
    let exports = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("exports")

    func draw() {
        var buffer = Buffer(width: state.width, height: state.height)
        render(state, into: &buffer)
        terminal.draw(buffer)
    }
    draw()
    var nextTick: UInt64?
    while true {
        let now = DispatchTime.now().uptimeNanoseconds
        if let interval = state.tickInterval {
            if nextTick == nil { nextTick = now + UInt64(interval) * 1_000_000 }
        } else {
            nextTick = nil
        }
        let timeout = nextTick.map { Int(($0 > now ? $0 - now : 0) / 1_000_000) }
        var pending: [Message] = []
        switch terminal.nextEvent(timeout: timeout) {
        case nil:
            guard nextTick != nil else { continue }
            nextTick = nil
            pending = [.tick]
        case .key(let key): pending = [.key(key)]
        case .mouse(let event): pending = [.mouse(event)]
        case .resize(let width, let height): pending = [.resize(width: width, height: height)]
        }
        while !pending.isEmpty {
            for effect in update(&state, pending.removeFirst()) {
                switch effect {
                case .quit: return
                case .export(let request):
                    draw()  // show "exporting…" while the files are written
                    pending.append(writeExport(request, into: exports))
                }
            }
        }
        draw()
    }
}
