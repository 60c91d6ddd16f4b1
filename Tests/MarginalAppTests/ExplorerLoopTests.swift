import Foundation
import Testing
import MarginalCore
import MarginalRuns
import TerminalUI
import TestSupport
@testable import MarginalApp

/// The outside world as a test sees it: it records what the loop asked (launches, signals,
/// exports, the feed's watching) and answers from a script.
final class FakeWorld: World {
    /// The lists the runs feed delivers, one a take (nil: nothing new).
    var feed: [[RunRecord]?] = []
    /// The live trainers, as the runs' statuses read afresh would name them.
    var trainers: [String: Int32] = [:]
    /// What a launch comes to.
    var launchOutcome: (LaunchRequest) -> Result<String, ExportFailure> = { .success("marginal " + $0.arguments.joined(separator: " ")) }
    /// Launched runs whose trainer ended with an error, reported on the next reap.
    var failures: [(name: String, reason: String)] = []
    var clock: UInt64 = 1_000_000_000

    private(set) var launches: [LaunchRequest] = []
    private(set) var interrupted: [Int32] = []
    private(set) var exports: [ExportRequest] = []
    private(set) var patience: [Double] = []
    var watchingRuns = false

    func launch(_ request: LaunchRequest) -> Result<String, ExportFailure> {
        launches.append(request)
        return launchOutcome(request)
    }

    func reapLaunched() -> [(name: String, reason: String)] {
        defer { failures = [] }
        return failures
    }

    /// Signals (records) `pid` only while `trainers` names it for the run, as `RunControl.stop`.
    func stop(run name: String, expecting pid: Int32) -> RunControlError? {
        guard trainers[name] == pid else { return .trainerEnded(name: name) }
        interrupted.append(pid)
        return nil
    }

    func write(_ request: ExportRequest) -> Result<[String], ExportFailure> {
        exports.append(request)
        return .success(["/nowhere/exports/\(request.name).svg", "/nowhere/exports/\(request.name).csv"])
    }

    func now() -> UInt64 { clock }

    func takeRuns(waitingUpTo patience: Double) -> [RunRecord]? {
        self.patience.append(patience)
        return feed.isEmpty ? nil : feed.removeFirst()
    }

    /// What the last computation started reports, one news a take (the work itself is not run:
    /// `ComputationTests` runs it).
    var computationNews: [ComputationNews] = []
    private(set) var computations: [Computation] = []
    private(set) var stoppedComputations: [String] = []

    func start(_ computation: Computation) { computations.append(computation) }

    func stopComputing(_ id: String) { stoppedComputations.append(id) }

    func takeComputed() -> [Message] {
        guard let id = computations.last?.id, !computationNews.isEmpty else { return [] }
        return [.computed(id: id, computationNews.removeFirst())]
    }

    var computing: Bool { !computations.isEmpty && !computationNews.isEmpty }
}

/// Keys through the whole loop (`runExplorer`) without a terminal: a recording terminal plays
/// the events and keeps the frames, a fake world performs the effects.
@Suite struct ExplorerLoopTests {
    func run(_ state: AppState, _ script: [TerminalEvent?], world: FakeWorld = FakeWorld())
        -> (state: AppState, terminal: RecordingTerminal, world: FakeWorld) {
        let terminal = RecordingTerminal(width: state.width, height: state.height, theme: state.theme, script: script)
        let last = runExplorer(state, terminal: terminal, world: world)
        return (last, terminal, world)
    }

    func typed(_ text: String) -> [TerminalEvent?] { text.map { .key(.character($0)) } }

    /// `e` on Curves: "exporting…" shows while the world writes the files, then their paths.
    @Test func exportIsWrittenByTheWorldAndItsPathsShown() throws {
        let (_, terminal, world) = run(AppState(screen: .curves, width: 100, height: 30), typed("e"))
        #expect(world.exports.map(\.name) == ["curves-yhat0.1-lambda1"])
        #expect(terminal.frames.count == 3, "the first frame, the one while exporting, the one after")
        #expect(terminal.frames[1].text().contains("exporting…"))
        let last = try #require(terminal.lastFrame).text()
        #expect(last.contains("saved /nowhere/exports/curves-yhat0.1-lambda1.svg"))
    }

    @Test func quitEndsTheLoopAtOnce() {
        let (state, terminal, _) = run(AppState(screen: .simplex), typed("q") + [.key(.up)])
        #expect(terminal.frames.count == 1 && terminal.script == [.key(.up)], "nothing after q is read or drawn")
        #expect(state.screen == .simplex)
    }

    @Test func resizeDrawsAtTheNewSize() throws {
        let (state, terminal, _) = run(AppState(screen: .marginals), [.resize(width: 120, height: 40)])
        let last = try #require(terminal.lastFrame)
        #expect(state.width == 120 && last.width == 120 && last.height == 40)
        #expect(terminal.frames.first?.width == 80)
    }

    /// The loop waits without a timeout until the toy plays; then every 60 ms a tick advances it.
    @Test func theToyTicksWhilePlaying() throws {
        let (state, terminal, _) = run(AppState(screen: .toy, width: 100, height: 30), typed("p") + [nil, nil] + typed("p") + [nil])
        #expect(terminal.timeouts == [nil, 60, 60, 60, nil, nil])
        #expect(state.toy.report.step == 2, "two ticks while playing; the wait after the pause has no timeout")
        #expect(terminal.frames.count == 5)
        #expect(terminal.frames[1] != terminal.frames[2], "a tick draws the toy's next step")
    }

    /// Runs from the feed: the first look is waited for when the screen opens, later ones arrive
    /// on the poll ticks, a poll with nothing new draws nothing, and the feed watches only while
    /// the runs screen is open.
    @Test func runsFromTheFeedAreDrawn() throws {
        let fixtures = try RunsFolder()
        let world = FakeWorld()
        world.feed = [[], nil, fixtures.runs]
        let (state, terminal, _) = run(AppState(screen: .runs, width: 120, height: 40), [nil, nil], world: world)
        #expect(world.patience.first == 0.5, "the first look is waited for")
        #expect(terminal.frames.first?.text().contains("No runs here yet") == true)
        #expect(terminal.frames.count == 2, "the empty poll drew nothing")
        let last = try #require(terminal.lastFrame).text()
        #expect(last.contains("3 runs · 1 running") && last.contains("organ-ce_l1"))
        #expect(state.runs.runs.count == 3)
        #expect(terminal.timeouts.prefix(2) == [125, 125])
        #expect(world.watchingRuns)

        let away = run(AppState(screen: .runs), typed("1"), world: FakeWorld())
        #expect(!away.world.watchingRuns && away.state.screen == .curves)
    }

    /// `s` on the monitor of a running run: the world is asked to signal its trainer's pid.
    @Test func stopSignalsTheTrainerTheStatusNames() throws {
        let fixtures = try RunsFolder()
        let world = FakeWorld()
        world.trainers = ["organ-ce_l1": fixtures.trainer.pid]
        let (state, terminal, _) = run(fixtures.state(monitoring: "organ-ce_l1"), typed("s"), world: world)
        #expect(world.interrupted == [fixtures.trainer.pid])
        // The screen says so while the run still runs (the status bar keeps no stale line).
        #expect(state.message == "")
        #expect(try #require(terminal.lastFrame).text().contains("stopping organ-ce_l1: it finishes its step"))
        #expect(state.runs.hints.map(\.key).first != "s", "no second stop offered while it stops")
    }

    /// A stop whose trainer has ended since the list was read signals nothing and says why.
    @Test func stopOfAnEndedRunSaysSo() throws {
        let fixtures = try RunsFolder()
        let world = FakeWorld()  // no live trainers: the status, read afresh, names none
        let (state, terminal, _) = run(fixtures.state(monitoring: "organ-ce_l1"), typed("s"), world: world)
        #expect(world.interrupted.isEmpty)
        #expect(state.message == "cannot stop organ-ce_l1: its trainer has already ended")
        #expect(try #require(terminal.lastFrame).text().contains("its trainer has already ended"))
        // A status that names another pid (a resumed run's new trainer) is not signalled either.
        world.trainers = ["organ-ce_l1": fixtures.trainer.pid + 1]
        let again = run(fixtures.state(monitoring: "organ-ce_l1"), typed("s"), world: world)
        #expect(world.interrupted.isEmpty && again.state.message.contains("already ended"))
    }

    @Test func launchSuccessAndFailureAreShown() throws {
        let fixtures = try RunsFolder()
        var state = fixtures.state()
        state.runs.runsFolder = "runs"
        let launched = run(state, typed("n") + [.key(.enter)])
        let request = try #require(launched.world.launches.first)
        #expect(launched.state.message == "launched \(request.name) in the background")
        #expect(launched.state.runs.lastCommand == "marginal " + request.arguments.joined(separator: " "))
        #expect(try #require(launched.terminal.lastFrame).text().contains("launched \(request.name)"))

        let refusing = FakeWorld()
        refusing.launchOutcome = { .failure(ExportFailure("cannot launch \($0.name): no space left")) }
        let failed = run(state, typed("n") + [.key(.enter)], world: refusing)
        #expect(failed.state.message == "cannot launch \(request.name): no space left")
        #expect(!failed.state.runs.takenNames.contains(request.name), "a failed launch is not waited for")

        // A launched trainer that ends with an error is reported on the next poll.
        let ending = FakeWorld()
        ending.failures = [(request.name, "\(request.name) ended with an error: out of memory")]
        let ended = run(state, typed("n") + [.key(.enter), nil], world: ending)
        #expect(ended.state.message == "\(request.name) ended with an error: out of memory")
        #expect(try #require(ended.terminal.lastFrame).text().contains("ended with an error"))
    }

    /// A typed name takes q and digits as letters through the loop too; Ctrl-C still quits.
    @Test func aTypedNameTakesQ() throws {
        let fixtures = try RunsFolder()
        let state = fixtures.state()
        let toName: [TerminalEvent?] = typed("n") + [.key(.backTab)]  // the form opens on the dataset; Shift-Tab wraps to the name
        let (last, terminal, _) = run(state, toName + typed("q1") + [.key(.control("c"))])
        #expect(last.runs.capturesText && last.runs.form.typedName == "q1")
        #expect(terminal.script.isEmpty)
    }

    /// The real world's stop goes through run control: a live stand-in trainer is signalled
    /// (and ends), a pid the status no longer names is refused, a missing run is named.
    @Test func systemWorldStopsThroughRunControl() throws {
        let fixtures = try RunsFolder()
        let world = SystemWorld(runsFolder: fixtures.folder.path, exportsFolder: fixtures.folder.appendingPathComponent("exports"))
        #expect(world.stop(run: "organ-ce_l1", expecting: fixtures.trainer.pid + 1) == .trainerEnded(name: "organ-ce_l1"))
        #expect(world.stop(run: "missing", expecting: fixtures.trainer.pid) == .noSuchRun(name: "missing", folder: fixtures.folder.path))
        #expect(world.stop(run: "organ-ce_l1", expecting: fixtures.trainer.pid) == nil)
        let run = try RunControl.existingRun("organ-ce_l1", in: fixtures.folder)
        #expect(RunControl.waitForEnd(of: run, pid: fixtures.trainer.pid, timeout: 10), "SIGINT ends the stand-in")
    }
}

/// Two organ runs (ce done, ce_l1 running under a stand-in trainer) and a stopped lesions run.
struct RunsFolder {
    let folder: URL
    let runs: [RunRecord]
    let trainer: TrainerStandIn

    init() throws {
        folder = try makeTemporaryFolder("explorer-loop")
        let done = try RunFixture(runsFolder: folder, name: "organ-ce", loss: "ce", steps: 200)
        let running = try RunFixture(runsFolder: folder, name: "organ-ce_l1", loss: "ce_l1", steps: 200)
        for run in [done, running] {
            for step in stride(from: 10, through: 40, by: 10) {
                try run.append(RunFixture.trainLine(step: step, time: Double(step) / 20, loss: 1 / Double(step), ce: 1 / Double(step)))
                if step % 20 == 0 {
                    try run.append(RunFixture.evalLine(step: step, time: Double(step) / 20, iou: [0.9, 0.5, 0.2],
                                                       soft: [0.75, 0.2, 0.05], hard: [0.79, 0.19, 0.02], target: [0.8, 0.185, 0.015]))
                }
            }
        }
        try done.status("done", step: 40)
        trainer = try TrainerStandIn(training: running, step: 40)
        let other = try RunFixture(runsFolder: folder, name: "lesions-dice", dataset: "lesions", loss: "dice", classes: ["background", "lesion"])
        try other.status("stopped", step: 0)
        runs = RunRecord.all(in: folder)
    }

    /// The runs screen with these runs; with `monitoring`, that run's monitor open.
    func state(monitoring name: String? = nil) -> AppState {
        var state = AppState(screen: .runs, width: 120, height: 40)
        state.runs.runsFolder = folder.path
        _ = update(&state, .runsChanged(runs))
        if let name {
            state.runs.selectedName = name
            _ = update(&state, .key(.enter))
        }
        return state
    }
}
