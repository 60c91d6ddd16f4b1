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
        A full-screen explorer for a terminal (over SSH too): 1 Curves (the paper's Fig. 2), 2 Simplex (Proposition 1), \
        3 Marginals (K classes, Cityscapes' proportions), 4 Temperature (Fig. 5, Appendix C), 5 Toy (a segmentation \
        trained under any loss), 6 Runs (training runs: launch one, watch its per-class IoU and p̂ against ŷ live, stop it, \
        compare runs as in Table 4). Press ? on any screen for its keys and what it shows; e exports the view as SVG and CSV \
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

/// The explorer's loop: wait for an event (without using the CPU while nothing happens),
/// `update`, perform the effects, `render` into a buffer, show it. While the Runs screen is open
/// a `RunFeed` reads the runs folder on a thread of its own every `AppState.runsPollInterval` ms,
/// and the wait ends twice as often to take what it found; the screen is drawn again only when
/// a run changed. The terminal is restored on every way out: `q`, an
/// error (the `defer`), a signal (the terminal's handlers). Launched runs live on after it.
func runExplorer(opening screen: ScreenID, runsFolder: String) throws(MarginalError) {
    let terminal: CursesTerminal
    do { terminal = try CursesTerminal() } catch { throw MarginalError(error.description) }
    defer { terminal.end() }
    var state = AppState(screen: screen, width: terminal.width, height: terminal.height, theme: terminal.theme)
    state.runs.runsFolder = runsFolder
    let feed = RunFeed(folder: URL(fileURLWithPath: runsFolder), interval: Double(AppState.runsPollInterval) / 1000)
    var launched: [(pid: Int32, request: LaunchRequest)] = []
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]

    /// New runs, and the end of launched children (a failure to report, and no zombies).
    func pollRuns() -> [Message] {
        var messages: [Message] = []
        launched.removeAll { child in
            switch reapLaunched(pid: child.pid, request: child.request) {
            case .running: return false
            case .succeeded: return true
            case .failed(let reason): messages.append(.launchFailed(name: child.request.name, reason: reason)); return true
            }
        }
        if state.screen == .runs, let runs = feed.take() { messages.append(.runsChanged(runs)) }
        return messages
    }
    /// The feed reads while the Runs screen is open. When the screen opens for the first time,
    /// the feed's first look is waited for (once, half a second at most), so that the screen
    /// opens with its runs; a slower folder shows "reading…" until the feed delivers.
    func followRunsScreen() {
        let opening = state.screen == .runs && !feed.watching
        feed.watching = state.screen == .runs
        guard opening, !state.runs.loaded, let runs = feed.take(waitingUpTo: 0.5) else { return }
        _ = update(&state, .runsChanged(runs))
    }
    followRunsScreen()
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
            if state.screen == .runs {
                pending = pollRuns()
                guard !pending.isEmpty else { continue }  // nothing changed: no drawing either
            } else {
                pending = [.tick]
            }
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
                case .launch(let request):
                    do {
                        let child = try RunControl.launch(request, executable: executable)
                        launched.append((child.pid, request))
                        pending.append(.launched(name: request.name, command: child.command))
                    } catch {
                        pending.append(.launchFailed(name: request.name, reason: error.reason))
                    }
                case .stop(let name, let pid):
                    do {
                        try RunControl.stop(RunControl.existingRun(name, in: URL(fileURLWithPath: runsFolder)), expecting: pid)
                    } catch {
                        pending.append(.effectFailed(error.reason))
                    }
                }
            }
        }
        followRunsScreen()
        draw()
    }
}
