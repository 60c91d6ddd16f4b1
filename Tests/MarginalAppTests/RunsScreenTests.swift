import Foundation
import Testing
import MarginalCore
import MarginalRuns
import TerminalUI
import TestSupport
@testable import MarginalApp

/// The Runs screen on recorded run folders: the list, the launch form's command, stop, the
/// monitor's keys and drawing, the comparison.
@Suite struct RunsScreenTests {
    let folder: URL
    let runs: [RunRecord]
    /// The "trainer" of organ-ce_l1, the running run.
    let trainer: TrainerStandIn

    /// Two organ runs (ce done, ce_l1 running in this very process) and a lesions run.
    init() throws {
        folder = try makeTemporaryFolder("runs-screen")
        let target = [0.8, 0.185, 0.015]
        var trainer: TrainerStandIn?
        for (name, loss, tumour) in [("organ-ce", "ce", 0.2), ("organ-ce_l1", "ce_l1", 0.45)] {
            let run = try RunFixture(runsFolder: folder, name: name, loss: loss, steps: 200)
            for step in stride(from: 10, through: 100, by: 10) {
                let ce = 1.0 / Double(step), loss = ce * (loss == "ce" ? 1 : 1.2)
                try run.append(RunFixture.trainLine(step: step, time: Double(step) / 20, loss: loss, ce: ce))
                if step % 20 == 0 {
                    let progress = Double(step) / 100
                    try run.append(RunFixture.evalLine(step: step, time: Double(step) / 20,
                                                       iou: [0.9 + 0.05 * progress, 0.5 * progress + 0.2, tumour * progress],
                                                       soft: [0.75, 0.2, 0.05], hard: [0.79, 0.19, 0.02], target: target))
                }
            }
            if loss == "ce" { try run.status("done", step: 100) } else { trainer = try TrainerStandIn(training: run, step: 100) }
        }
        self.trainer = try #require(trainer)
        let labels: [UInt8] = (0 ..< 64).map { $0 % 8 < 3 ? 1 : ($0 == 27 ? 2 : 0) }
        try RunPreview(width: 8, height: 8, truth: labels, prediction: labels.map { $0 == 2 ? 1 : $0 })
            .write(to: folder.appendingPathComponent("organ-ce_l1/preview.png"))
        let other = try RunFixture(runsFolder: folder, name: "lesions-dice", dataset: "lesions", loss: "dice",
                                   classes: ["background", "lesion"])
        try other.status("stopped", step: 0)
        runs = RunRecord.all(in: folder)
    }

    func state(width: Int = 120, height: Int = 40) -> AppState {
        var state = AppState(screen: .runs, width: width, height: height)
        state.runs.runsFolder = "runs"
        send(&state, [.runsChanged(runs)])
        return state
    }

    @Test func listShowsEveryRunWithItsStatus() throws {
        let text = screen(state()).text()
        #expect(text.contains("3 runs · 1 running"))
        for name in ["organ-ce ", "organ-ce_l1", "lesions-dice"] { #expect(text.contains(name)) }
        #expect(text.contains("running") && text.contains("done") && text.contains("stopped"))
        #expect(text.contains("100/200"))
    }

    /// Until the feed's first look arrives the screen says it is reading, not that there are no
    /// runs; an empty folder then says how to start one.
    @Test func readingIsNotEmpty() {
        var state = AppState(screen: .runs, width: 100, height: 30)
        var text = screen(state).text()
        #expect(text.contains("reading…") && text.contains("Reading the runs") && !text.contains("No runs here yet"))
        send(&state, [.runsChanged([])])
        text = screen(state).text()
        #expect(text.contains("0 runs") && text.contains("No runs here yet") && !text.contains("Reading"))
    }

    /// The form's values become `marginal train` arguments, every value explicit; a typed name
    /// takes q, e and digits as letters.
    @Test func formLaunchesTheCommandItShows() throws {
        var state = state()
        send(&state, keys("n"))
        #expect(state.runs.mode == .form)
        send(&state, [.key(.right)])  // dataset: lesions → organ
        #expect(state.runs.form.dataset == .synthetic(.organ) && state.runs.form.classes == 3)
        // The field's explanation comes from the dataset registry: the selected set's summary.
        #expect(RunsScreen.explanation(of: .dataset, form: state.runs.form)
            == "organ: background, organ ≈ 19 %, tumour ≈ 1.3 %. ←/→: lesions, organ, street, fashion.")
        send(&state, [.key(.down), .key(.right)])  // loss: ce_l1 → the next one
        let loss = state.runs.form.loss
        for _ in 0 ..< 11 { send(&state, [.key(.down)]) }  // from the loss down to the name field
        #expect(state.runs.form.field == .name && state.runs.capturesText)
        send(&state, keys("q1e/ é"))  // '/', ' ' and 'é' are not name characters
        send(&state, [.key(.backspace)])
        #expect(state.runs.form.typedName == "q1")
        send(&state, [.key(.tab)])  // Tab moves between the form's fields, it does not leave the screen
        #expect(state.screen == .runs && state.runs.form.field == .dataset)
        send(&state, [.key(.backTab)])
        #expect(state.runs.form.field == .name)
        let effects = send(&state, [.key(.enter)])
        let expected = LaunchRequest(name: "q1", arguments: [
            "train", "--dataset", "organ", "--loss", loss.rawValue, "--steps", "500", "--eval-every", "100", "--batch", "8",
            "--lr", "0.001", "--optimizer", "adam", "--seed", "1", "--run", "q1", "--runs-dir", "runs",
        ], runsFolder: "runs")
        #expect(!loss.usesTemperature && loss.defaultLambda == nil, "the loss after ce_l1 (\(loss)) has no λ or τ")
        #expect(effects == [.launch(expected)])
        #expect(state.runs.mode == .list && state.runs.selectedName == "q1")
        send(&state, [.launched(name: "q1", command: "marginal train …")])
        #expect(state.runs.lastCommand == "marginal train …")
    }

    /// The automatic name steps past a taken one; a typed name that exists is refused.
    @Test func formRefusesATakenName() {
        var state = state()
        send(&state, keys("n"))
        send(&state, [.key(.right)])  // organ
        state.runs.form.loss = .ce
        #expect(state.runs.form.name(taken: state.runs.takenNames) == "organ-ce-1")
        state.runs.form.typedName = "organ-ce"
        #expect(send(&state, [.key(.enter)]).isEmpty)
        #expect(state.message.contains("exists") && state.runs.mode == .form)
    }

    /// `s` asks the loop to SIGINT the selected run's process; a run that is not running says so.
    @Test func stopTargetsTheRunningProcess() {
        var state = state()
        state.runs.selectedName = "organ-ce_l1"
        #expect(send(&state, keys("s")) == [.stop(name: "organ-ce_l1", pid: trainer.pid)])
        state.runs.selectedName = "organ-ce"
        #expect(send(&state, keys("s")).isEmpty && state.message.contains("not running"))
    }

    /// The footer offers only what the selected run allows: s for a running run (until it is
    /// asked to stop), R for a stopped one, neither for a done one; "stopping" goes once it stopped.
    @Test func footerFollowsTheRunsState() throws {
        var state = state()
        func footer() -> [String] { state.runs.hints.map(\.key) }
        state.runs.selectedName = "organ-ce_l1"
        #expect(footer().contains("s") && !footer().contains("R"))
        state.runs.selectedName = "organ-ce"
        #expect(!footer().contains("s") && !footer().contains("R"))
        state.runs.selectedName = "lesions-dice"
        #expect(footer().contains("R") && !footer().contains("s"))
        send(&state, [.key(.enter)])
        #expect(state.runs.mode == .monitor && footer().contains("R") && !footer().contains("s"))
        send(&state, [.key(.escape)])
        state.runs.selectedName = "organ-ce_l1"
        send(&state, keys("s"))
        #expect(screen(state).text().contains("stopping organ-ce_l1") && !footer().contains("s"))
        // The trainer stops: the watcher reports the run stopped, and the line goes.
        trainer.end()
        try RunFixture(existing: folder, name: "organ-ce_l1").status("stopped", step: 100)
        send(&state, [.runsChanged(RunRecord.all(in: folder))])
        #expect(!screen(state).text().contains("stopping organ-ce_l1") && footer().contains("R"))
    }

    /// The engine field: PyTorch launches the CLI's own `marginal train --engine pytorch
    /// --processes N` (the same launcher as from a shell); the form refuses, before a launch,
    /// what that command would refuse (a batch not split evenly, a group of seeds).
    @Test func formLaunchesAPyTorchRunThroughTheCommandLine() throws {
        var state = state()
        send(&state, keys("n"))
        for _ in 0 ..< 9 { send(&state, [.key(.down)]) }
        #expect(state.runs.form.field == .engine && state.runs.form.engine == .marginal)
        #expect(screen(state).text().contains("processes     2 (unused: marginal is one process)"))
        send(&state, [.key(.right), .key(.down)])
        #expect(state.runs.form.engine == .pytorch && state.runs.form.field == .processes)
        send(&state, keys("3"))
        send(&state, [.key(.tab)])
        #expect(state.runs.form.processes == 3)
        #expect(send(&state, [.key(.enter)]).isEmpty && state.message == "batch 8 with 3 processes: the batch is split over them, so it must be a multiple of 3")
        send(&state, [.key(.up)])
        send(&state, keys("4"))
        send(&state, [.key(.tab)])
        let effects = send(&state, [.key(.enter)])
        guard case .launch(let request)? = effects.first else { Issue.record("no launch: \(state.message)"); return }
        #expect(request.arguments == [
            "train", "--dataset", "lesions", "--loss", "ce_l1", "--tau", "10", "--steps", "500", "--eval-every", "100", "--batch", "8",
            "--lr", "0.001", "--optimizer", "adam", "--engine", "pytorch", "--processes", "4", "--seed", "1", "--run", "lesions-ce_l1-1",
            "--runs-dir", "runs",
        ])
    }

    /// The form takes typed numbers, checked as marginal train checks them; its defaults are
    /// the CLI's; a second automatic name has no second number.
    @Test func formTakesTypedNumbers() {
        var state = state()
        send(&state, keys("n"))
        #expect(state.runs.form.evalEvery == 100)
        for _ in 0 ..< 4 { send(&state, [.key(.down)]) }
        #expect(state.runs.form.field == .steps)
        send(&state, keys("300"))
        #expect(state.screen == .runs && state.runs.form.typedNumber == "300", "digits are typed, not screen keys")
        send(&state, [.key(.tab)])
        #expect(state.runs.form.steps == 300 && state.runs.form.field == .evalEvery)
        send(&state, keys("0"))
        #expect(send(&state, [.key(.tab)]).isEmpty && state.message.contains("at least 1") && state.runs.form.field == .evalEvery)
        send(&state, [.key(.backspace)])
        send(&state, keys("25"))
        send(&state, [.key(.down), .key(.down)])  // batch, then learning rate
        send(&state, keys("3e-4"))
        let effects = send(&state, [.key(.enter)])
        guard case .launch(let request)? = effects.first else { Issue.record("no launch: \(state.message)"); return }
        let arguments = request.arguments
        #expect(arguments.contains("300") && arguments.contains("25") && arguments.contains("0.0003"), "\(arguments)")
        var form = LaunchForm()
        #expect(form.name(taken: []) == "lesions-ce_l1-1")
        #expect(form.name(taken: ["lesions-ce_l1-1"]) == "lesions-ce_l1-1b")
        #expect(form.name(taken: ["lesions-ce_l1-1", "lesions-ce_l1-1b"]) == "lesions-ce_l1-1c")
        form.seed = 2
        #expect(form.name(taken: ["lesions-ce_l1-1"]) == "lesions-ce_l1-2")
    }

    /// `/` filters the list by typed text, `o` sorts it; both round-trip through the state string.
    @Test func listFiltersAndSorts() throws {
        var state = state()
        send(&state, keys("/ce"))
        #expect(state.runs.typingFilter)
        send(&state, keys("_l1"))
        send(&state, [.key(.enter)])
        #expect(state.runs.listed.map(\.name) == ["organ-ce_l1"])
        #expect(screen(state).text().contains("1 shown") && !screen(state).text().contains("lesions-dice"))
        send(&state, [.key(.escape)])
        #expect(state.runs.listed.count == 3)
        send(&state, keys("/^organ"))
        send(&state, [.key(.enter)])
        #expect(state.runs.listed.map(\.name) == ["organ-ce", "organ-ce_l1"], "a regular expression")
        send(&state, keys("o"))
        #expect(state.runs.sort == .status && state.runs.listed.map(\.name) == ["organ-ce_l1", "organ-ce"])
        send(&state, keys("o"))
        #expect(state.runs.sort == .best && state.runs.listed.map(\.name) == ["organ-ce_l1", "organ-ce"])
        let line = state.runs.stateString
        #expect(line == "runs:sort=best,filter=^organ")
        var copy = RunsScreen()
        copy.show(runs)
        try copy.apply(state: line)
        #expect(copy.sort == .best && copy.filter == "^organ" && copy.listed.map(\.name) == state.runs.listed.map(\.name))
        #expect(throws: MarginalError.self) { try copy.apply(state: "runs:sort=size") }
    }

    /// Zoom and pan on x, log-y on the loss and class toggles change what the monitor draws
    /// (and exports), and round-trip through the state string.
    @Test func monitorZoomsLogsAndTogglesClasses() throws {
        var state = state()
        state.runs.selectedName = "organ-ce_l1"
        send(&state, [.key(.enter)])
        let run = try #require(state.runs.selectedRun)
        #expect(state.runs.iouChart(run).chart.domains().x == 0 ... 100)
        send(&state, keys("z"))
        #expect(state.runs.iouChart(run).chart.domains().x == 25 ... 75)
        send(&state, keys("}"))
        #expect(state.runs.iouChart(run).chart.domains().x == 37.5 ... 87.5)
        #expect(screen(state).text().contains("zoom: 38–88 % of x"))
        send(&state, keys("0"))
        #expect(state.runs.zoom == nil && state.screen == .runs)
        send(&state, keys("g"))
        #expect(state.runs.lossChart(run).chart.yAxis.scale == .logarithmic)
        #expect(try #require(state.runs.export()?.companions.first { $0.suffix == "loss" }?.figure.lineChart).yAxis.scale == .logarithmic)
        send(&state, keys("3"))
        #expect(state.screen == .runs, "3 toggles a class in the monitor, not the screen")
        #expect(state.runs.iouChart(run).chart.series.map(\.label) == ["background", "organ"])
        #expect(screen(state).text().contains("hidden: tumour"))
        send(&state, keys("12"))
        #expect(state.runs.hiddenClasses == [0, 2] && state.message.contains("one class at least"))
        send(&state, keys("z"))
        let line = state.runs.stateString
        #expect(line == "runs:logy=1,zoom=0.25..0.75,hide=0+2,run=organ-ce_l1")
        var copy = RunsScreen()
        copy.show(runs)
        try copy.apply(state: line)
        #expect(copy.mode == .monitor && copy.iouChart(run).chart == state.runs.iouChart(run).chart)
        #expect(copy.lossChart(run).chart == state.runs.lossChart(run).chart)
        // A click on a legend row hides its class.
        send(&state, keys("13"))
        #expect(state.runs.hiddenClasses.isEmpty)
        let chartArea = RunsScreen.monitorAreas(AppState.contentArea(width: 120, height: 40)).iou
        let box = try #require(state.runs.iouChart(run).legendBox(in: chartArea))
        send(&state, [.mouse(MouseEvent(.press, x: box.x + 2, y: box.y + 1))])
        #expect(state.runs.hiddenClasses == [1] && state.message.contains("organ hidden"))
    }

    /// `R` resumes a stopped run in the background with its own configuration; a done run says why not.
    @Test func resumeLaunchesTheStoppedRun() {
        var state = state()
        state.runs.selectedName = "lesions-dice"
        #expect(send(&state, keys("R")) == [.launch(LaunchRequest(
            name: "lesions-dice", arguments: ["train", "--run", "lesions-dice", "--resume", "--runs-dir", "runs"], runsFolder: "runs"))])
        #expect(send(&state, keys("R")).isEmpty && state.message.contains("starting already"), "no second trainer on one folder")
        send(&state, [.launchFailed(name: "lesions-dice", reason: "lesions-dice ended with an error: …")])
        #expect(state.message.contains("ended with an error"))
        #expect(send(&state, keys("R")).count == 1, "after a failed launch, R tries again")
        state.runs.selectedName = "organ-ce"
        #expect(send(&state, keys("R")).isEmpty && state.message.contains("is done"))
    }

    /// A launched run is selected before its folder appears; if its launch fails, the
    /// selection comes back to a run that exists.
    @Test func failedLaunchReleasesTheSelection() {
        var state = state()
        send(&state, keys("n"))
        send(&state, [.key(.enter)])
        let name = try! #require(state.runs.selectedName)
        #expect(state.runs.selectedIndex == nil && state.runs.takenNames.contains(name))
        send(&state, [.runsChanged(runs)])
        #expect(state.runs.selectedName == name, "still waited for")
        send(&state, [.launchFailed(name: name, reason: "cannot launch")])
        #expect(state.runs.selectedIndex != nil && !state.runs.takenNames.contains(name))
    }

    /// The monitor: per-class IoU with names and last values, the loss parts, the proportions,
    /// the preview; x switches to time, + and − move the smoothing within 0 … 0.999.
    @Test func monitorDrawsTheRunAndTakesItsKeys() throws {
        var state = state()
        state.runs.selectedName = "organ-ce_l1"
        send(&state, [.key(.enter)])
        #expect(state.runs.mode == .monitor)
        let text = screen(state).text()
        for piece in ["organ-ce_l1", "running", "step 100/200", "20.0 steps/s", "ETA 5s", "tumour 45.0", "organ 70.0",
                      "background 95.0", "CE ", "λ·L1 0.003", "smoothing 0.60", "truth │ prediction", "18.5", "1.5"] {
            #expect(text.contains(piece), "\(piece)")
        }
        try expectScreen(screen(state), named: "runs-monitor-120x40")
        send(&state, keys("x"))
        #expect(state.runs.axis == .time && screen(state).text().contains("training time (s)"))
        for _ in 0 ..< 20 { send(&state, keys("+")) }
        #expect(state.runs.smoothing == 0.999)
        for _ in 0 ..< 20 { send(&state, keys("-")) }
        #expect(state.runs.smoothing == 0)
        send(&state, [.key(.escape)])
        #expect(state.runs.mode == .list)
    }

    /// `,` and `.` walk the monitor's panel through earlier evaluations (a rule marks the step on
    /// both charts); an inspected evaluation stays put while new ones arrive; End, or `.` up to
    /// the latest, follows the latest again; a click on a chart inspects the nearest evaluation.
    @Test func monitorInspectsEarlierEvaluations() throws {
        var state = state()
        state.runs.selectedName = "organ-ce_l1"
        send(&state, [.key(.enter)])
        #expect(state.runs.inspectedStep == nil && screen(state).text().contains("latest evaluation · step 100"))
        send(&state, keys(","))
        var text = screen(state).text()
        #expect(state.runs.inspectedStep == 80)
        // At step 80 the tumour's IoU was 0.45 · 0.8 = 36 %, organ's 0.5 · 0.8 + 0.2 = 60 %.
        for piece in ["evaluation 4 of 5 · step 80", "36.0", "60.0", "step 80", "truth │ prediction (latest, step 100)"] {
            #expect(text.contains(piece), "\(piece)")
        }
        send(&state, [.key(.home)])
        send(&state, keys(","))
        #expect(state.runs.inspectedStep == 20 && screen(state).text().contains("evaluation 1 of 5 · step 20"))
        // A new evaluation arrives: the panel stays on step 20.
        let run = RunFixture(existing: folder, name: "organ-ce_l1")
        try run.append(RunFixture.evalLine(step: 120, time: 6, iou: [0.96, 0.75, 0.5], soft: [0.75, 0.2, 0.05],
                                           hard: [0.79, 0.19, 0.02], target: [0.8, 0.185, 0.015]))
        send(&state, [.runsChanged(RunRecord.all(in: folder))])
        text = screen(state).text()
        #expect(text.contains("evaluation 1 of 6 · step 20"))
        send(&state, [.key(.end)])
        #expect(state.runs.inspectedStep == nil && screen(state).text().contains("latest evaluation · step 120"))
        send(&state, keys(",."))
        #expect(state.runs.inspectedStep == nil, "back at the latest: following again")
        // A click on the IoU chart, left of its middle (x = 60 of 0 … 120 steps, the data so far): step 60.
        let area = AppState.contentArea(width: 120, height: 40)
        let chartArea = RunsScreen.monitorAreas(area).iou
        let monitored = try #require(state.runs.selectedRun)
        let layout = try #require(state.runs.iouChart(monitored).layout(in: chartArea))
        let column = try #require(layout.cell(x: 60, y: 0.5)).column  // IoU 50 %: the chart's data are fractions (ticks in %)
        send(&state, [.mouse(MouseEvent(.press, x: column, y: layout.plot.y + 1))])
        #expect(state.runs.inspectedStep == 60)
        send(&state, [.key(.escape)])
        #expect(state.runs.mode == .list && state.runs.inspectedStep == nil)
    }

    /// Table 4 with the best values in bold; one class's IoU curves across runs; runs of two
    /// datasets are refused in one line.
    @Test func comparisonHighlightsTheBest() throws {
        var state = state()
        state.runs.selectedName = "organ-ce"
        send(&state, keys("c"))
        #expect(state.runs.mode == .compare && state.runs.compared == ["organ-ce", "organ-ce_l1"])
        let buffer = screen(state)
        let text = buffer.text()
        #expect(text.contains("mean proportion (%)") && text.contains("18.50") && text.contains("45.0"))
        #expect(text.contains("validation IoU of organ (%)"))
        // The row of organ-ce_l1 holds the best tumour IoU (45.0 against 20.0): drawn bold.
        let lines = buffer.lines()
        let row = try #require(lines.firstIndex { $0.hasPrefix("organ-ce_l1") })
        let column = try #require(lines[row].range(of: "45.0")).lowerBound.utf16Offset(in: lines[row])
        #expect(buffer[column, row].attributes.contains(.bold))
        send(&state, [.key(.right)])
        #expect(screen(state).text().contains("validation IoU of tumour (%)"))
        try expectScreen(screen(state), named: "runs-compare-120x40")
        // A click in the background column (on its header or a value) draws background's curves.
        let header = try #require(lines.firstIndex { $0.hasPrefix("run ") })
        let backgroundX = try #require(lines[header].range(of: "background")).lowerBound.utf16Offset(in: lines[header])
        send(&state, [.mouse(MouseEvent(.press, x: backgroundX + 2, y: row))])
        #expect(state.runs.compareClass == 0 && screen(state).text().contains("validation IoU of background (%)"))
        send(&state, [.mouse(MouseEvent(.press, x: 1, y: header))])  // the run column: no class
        #expect(state.runs.compareClass == 0)
        send(&state, [.key(.escape)])
        send(&state, keys(" "))  // mark organ-ce, the cursor moves on to organ-ce_l1
        state.runs.selectedName = "lesions-dice"
        send(&state, keys(" "))
        send(&state, keys("c"))
        #expect(state.runs.mode == .list && state.message.contains("different datasets"))
    }

    /// A watcher report keeps the selection on the same run; a run that disappears while
    /// monitored sends the screen back to the list.
    @Test func selectionFollowsNames() {
        var state = state()
        state.runs.selectedName = "organ-ce_l1"
        send(&state, [.key(.enter)])
        send(&state, [.runsChanged(runs.filter { $0.name != "organ-ce" })])
        #expect(state.runs.selectedName == "organ-ce_l1" && state.runs.mode == .monitor)
        send(&state, keys(","))  // an earlier evaluation inspected: forgotten with its run
        send(&state, [.runsChanged(runs.filter { $0.name == "organ-ce" })])
        #expect(state.runs.mode == .list && state.runs.selectedName == "organ-ce" && state.runs.inspectedStep == nil)
    }

    /// Every mode draws at tiny sizes without a crash, and plain ASCII without colours.
    @Test func everyModeDrawsAtAnySize() {
        for mode in [RunsScreen.Mode.list, .form, .monitor, .compare] {
            for (width, height) in [(0, 0), (60, 16), (61, 17), (80, 24), (200, 60)] {
                var state = state(width: width, height: height)
                state.runs.selectedName = "organ-ce_l1"  // the run with every part: metrics, evaluations, a preview
                if mode == .compare { send(&state, keys("c")) } else { state.runs.mode = mode }
                _ = screen(state)
            }
            var state = state(width: 100, height: 30)
            state.runs.selectedName = "organ-ce_l1"
            state.theme = Theme(colors: .monochrome, unicode: false)
            if mode == .compare { send(&state, keys("c")) } else { state.runs.mode = mode }
            #expect(screen(state).asciiOnly().lines().allSatisfy { $0.allSatisfy(\.isASCII) }, "\(mode)")
        }
    }

    /// `e`: nothing from the list; the monitor's curves (IoU, loss, proportions) as SVG and CSV;
    /// the comparison's table as Markdown and CSV with its curves.
    @Test func exportsWriteTheViewsFiles() throws {
        var state = state()
        #expect(send(&state, keys("e")).isEmpty && state.message.contains("nothing to export"))
        let exports = folder.appendingPathComponent("exports")
        state.runs.selectedName = "organ-ce_l1"
        send(&state, [.key(.enter)])
        guard case .export(let request) = try #require(send(&state, keys("e")).first),
              case .exported(.success(let paths)) = writeExport(request, into: exports) else { Issue.record("monitor export"); return }
        #expect(paths.map { URL(fileURLWithPath: $0).lastPathComponent } == [
            "runs-iou-organ-ce_l1.svg", "runs-iou-organ-ce_l1.csv", "runs-iou-organ-ce_l1-loss.svg", "runs-iou-organ-ce_l1-loss.csv",
            "runs-iou-organ-ce_l1-proportion.svg", "runs-iou-organ-ce_l1-proportion.csv",
        ])
        send(&state, [.key(.escape)])
        send(&state, keys("c"))
        guard case .export(let comparison) = try #require(send(&state, keys("e")).first),
              case .exported(.success(let files)) = writeExport(comparison, into: exports) else { Issue.record("compare export"); return }
        let markdown = try String(contentsOfFile: try #require(files.first { $0.hasSuffix("-table.md") }), encoding: .utf8)
        #expect(markdown.contains("| organ-ce | **95.0** | **70.0** | 20.0 | 61.7 |"))  // ties are best for both
        #expect(markdown.contains("| organ-ce_l1 | **95.0** | **70.0** | **45.0** | **70.0** |"))
        let csv = try String(contentsOfFile: try #require(files.first { $0.hasSuffix("-table.csv") }), encoding: .utf8)
        #expect(csv.hasPrefix("run,background IoU (%),organ IoU (%),tumour IoU (%),mIoU (%)\nmean proportion (%),80.00,18.50,1.50,\n"))
        #expect(files.contains { $0.hasSuffix(".svg") })
    }

    /// A click selects the run under it, a second click monitors it; on the form, a field.
    @Test func clicksSelectRunsAndFields() {
        var state = state()
        let top = AppState.contentArea(width: 120, height: 40).y + RunsScreen.listFirstRow
        let row = try! #require(state.runs.runs.firstIndex { $0.name == "organ-ce_l1" })
        send(&state, [.mouse(MouseEvent(.press, x: 10, y: top + row))])
        #expect(state.runs.selectedName == "organ-ce_l1" && state.runs.mode == .list)
        let text = screen(state).lines()[top + row]
        #expect(text.contains("organ-ce_l1"), "the clicked line is the run's: \(text)")
        send(&state, [.mouse(MouseEvent(.press, x: 10, y: top + row))])
        #expect(state.runs.mode == .monitor)
        send(&state, [.key(.escape)])
        send(&state, [.mouse(MouseEvent(.press, x: 10, y: top + 30))])  // below the runs: nothing
        #expect(state.runs.selectedName == "organ-ce_l1")
        send(&state, keys("n"))
        let formTop = AppState.contentArea(width: 120, height: 40).y + RunsScreen.formFirstRow
        send(&state, [.mouse(MouseEvent(.press, x: 4, y: formTop + 4))])
        #expect(state.runs.form.field == .steps && screen(state).lines()[formTop + 4].contains("steps"))
    }
}
