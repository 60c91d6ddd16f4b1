import MarginalCore
import MarginalRuns
import TerminalUI
import MarginalFigure

/// Training runs, live: the list of runs under the runs folder, a form that launches
/// `marginal train` in the background, a monitor for one run (per-class IoU, the loss and its
/// parts, ŷ against p̂, the latest prediction) and a comparison of several (the paper's Table 4).
/// The runs arrive as `Message.runsChanged` from the loop's `RunWatcher`; this screen only
/// shows them and asks for effects (launch, stop).
public struct RunsScreen: Screen, Sendable {
    static let id = ScreenID.runs
    static let title = "Runs"
    static let summary = "training runs: launch one, watch its per-class IoU and p̂ against ŷ live, stop it, compare runs as in Table 4"

    /// Which view the screen shows.
    public enum Mode: Sendable, Equatable { case list, form, monitor, compare }

    /// The view, with what only it keeps: the monitor the evaluation it inspects, the
    /// comparison its runs. What outlives a visit (the form's values, to launch a variant; the
    /// smoothing, the axis, the compared class) is the screen's own.
    enum View: Sendable, Equatable {
        case list, form
        /// `inspectedStep`: the step of the evaluation the monitor's panel shows and its charts
        /// mark (`,` `.` or a click on a chart); nil follows the latest, as new evaluations arrive.
        case monitor(inspectedStep: Int?)
        /// The runs compared, by name, in the order they were listed.
        case compare(runs: [String])
    }

    var view = View.list
    /// The folder the runs are read from and launched into, as given (`--runs-dir`).
    public var runsFolder = "runs"
    public internal(set) var runs: [RunRecord] = []
    /// Whether the watcher has reported at least once (before, the list says "reading…").
    public internal(set) var loaded = false
    /// The run under the cursor, by name (so that it stays put when runs come and go).
    public var selectedName: String?
    /// Runs picked for the comparison (space).
    public var marked: Set<String> = []
    /// Groups of seeds shown unfolded in the list, by their first run's name (`g`).
    public var unfoldedGroups: Set<String> = []
    /// Whether the cursor is on a group's folded row (then the monitor draws the group) rather
    /// than on one run.
    public var selectedIsGroup = false
    public var form = LaunchForm()
    /// The monitor's smoothing weight of the loss curves (TensorBoard's slider).
    public var smoothing = 0.6
    public var axis = HistoryAxis.step
    /// The monitor's zoom on x, as a fraction of the data's range (nil: all of it).
    public var zoom: ClosedRange<Double>?
    /// A mouse drag across a monitor chart: the data x where the button went down and where the
    /// pointer is (nil: no drag). Releasing it two columns or more away zooms to the span.
    var drag: (start: Double, current: Double, startColumn: Int)?
    /// Whether the monitor's loss chart has a logarithmic y axis.
    public var logarithmicLoss = false
    /// Classes the monitor's charts leave out (keys 1…K).
    public var hiddenClasses: Set<Int> = []
    /// The TensorBoard scalar outside the tag convention that the monitor's lower chart draws
    /// instead of the loss (`t` steps through the run's tags); nil: the loss.
    public var scalarTag: String?
    /// The list's order.
    public var sort = RunSort.name
    /// The list's filter: runs whose name, dataset, loss or status match it (a regular
    /// expression, else plain text; case ignored), like TensorBoard's run filter.
    public var filter = ""
    /// True while the filter is typed (`/`).
    var typingFilter = false
    /// Runs asked to stop that still run: the screen says so until they have stopped.
    var stopping: Set<String> = []
    /// The class whose IoU curves the comparison draws.
    public var compareClass = 1
    /// The last launch's command line, shown under the list so that it can be rerun from a shell.
    public var lastCommand: String?
    /// A run just launched, selected before its folder appears.
    var awaitedName: String?
    /// Runs launched or resumed from here whose trainer has not said "running" yet: a second
    /// launch of one is refused (two trainers would write one folder).
    var launching: Set<String> = []
    /// A group launched from the form, by the name its launch is known by (its first seed's
    /// run): every name it reserved in `launching`, so that a failed launch frees them all.
    var groupLaunches: [String: [String]] = [:]

    public init() {}

    /// The view; a new one starts afresh (the monitor at the latest evaluation).
    public var mode: Mode {
        get {
            switch view {
            case .list: .list
            case .form: .form
            case .monitor: .monitor
            case .compare: .compare
            }
        }
        set {
            guard newValue != mode else { return }
            switch newValue {
            case .list: view = .list
            case .form: view = .form
            case .monitor: view = .monitor(inspectedStep: nil)
            case .compare: view = .compare(runs: [])
            }
        }
    }

    /// The monitor's inspected evaluation, by step (nil: the latest; always nil elsewhere).
    public var inspectedStep: Int? {
        get { if case .monitor(let step) = view { step } else { nil } }
        set { if case .monitor = view { view = .monitor(inspectedStep: newValue) } }
    }

    /// The comparison's runs, by name (none elsewhere); setting them opens their comparison.
    public var compared: [String] {
        get { if case .compare(let runs) = view { runs } else { [] } }
        set { view = .compare(runs: newValue) }
    }

    static let smoothingChoices = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]

    /// The selected row's place in the list as shown (nil: filtered out, or not there yet).
    var selectedIndex: Int? { index(ofRowFor: selectedName, group: selectedIsGroup, in: listRows) }
    var selectedRun: RunRecord? { runs.first { $0.name == selectedName } }

    /// The runs the list shows: those matching the filter, in the chosen order.
    var listed: [RunRecord] {
        let pattern = filter.trimmingCharacters(in: .whitespaces)
        let matching = pattern.isEmpty ? runs : runs.filter { run in
            [run.name, run.configuration.dataset.description, run.configuration.loss.rawValue, run.state.rawValue].contains { text in
                if let range = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) { return !range.isEmpty }
                return text.lowercased().contains(pattern.lowercased())
            }
        }
        return sort.ordered(matching)
    }
    /// Names of runs, and of launches not yet in the folder.
    var takenNames: Set<String> { Set(runs.map(\.name)).union(launching) }

    /// True while the form's name field takes typed text (so q, e, r and digits are letters).
    public var capturesText: Bool { mode == .form && form.field == .name }

    /// Keys the screen takes before the app's own: every key but Ctrl-C while a name is typed,
    /// digits and the like on a numeric field of the form, Tab / Shift-Tab in the form (they
    /// move between its fields there), digits 1…K in the monitor (class toggles) and every key
    /// while the list's filter is typed.
    func takesFirst(_ key: Key) -> Bool {
        guard key != .control("c") else { return false }
        if capturesText || (mode == .form && (key == .tab || key == .backTab)) { return true }
        if mode == .form, case .character(let c) = key, form.takesTyped(c) { return true }
        if mode == .form, form.typedNumber != nil, key == .backspace || key == .escape { return true }
        if mode == .list, typingFilter { return true }
        if mode == .monitor, case .character(let c) = key, let digit = c.wholeNumberValue, digit >= 1,
           digit <= (selectedRun?.classNames.count ?? 0) { return true }
        return false
    }

    /// The feed reads the runs folder while this screen is open.
    var watchesRuns: Bool { true }

    /// The loop takes the feed's news twice an interval: a change shows ≤ 1.5 intervals after
    /// it is written.
    var tickInterval: Int? { AppState.runsPollInterval / 2 }

    var nothingToExport: String {
        "nothing to export here yet: a run's monitor (Enter) or a comparison (c) exports once a run has an evaluation"
    }

    /// The runs folder's news, and the outcome of a launch, whichever screen is open.
    mutating func receive(_ message: Message) {
        switch message {
        case .runsChanged(let runs): show(runs)
        case .launched(_, let command): lastCommand = command
        case .launchFailed(let name, _): launchFailed(name)
        default: break
        }
    }

    /// A launch did not happen (the reason is on the status bar): no longer waited for.
    mutating func launchFailed(_ name: String) {
        launching.subtract(groupLaunches.removeValue(forKey: name) ?? [name])
        if awaitedName == name {
            awaitedName = nil
            if selectedIndex == nil { selectFirstRow() }
        }
    }

    /// New runs from the watcher; the selection and the marks follow names.
    mutating func show(_ runs: [RunRecord]) {
        self.runs = runs
        loaded = true
        let names = Set(runs.map(\.name))
        marked = marked.intersection(names)
        if let awaitedName, names.contains(awaitedName) { self.awaitedName = nil }
        launching = launching.filter { name in !runs.contains { $0.name == name && $0.state == .running } }
        groupLaunches = groupLaunches.filter { _, names in names.contains(where: launching.contains) }
        stopping = stopping.filter { name in runs.contains { $0.name == name && $0.state == .running } }
        if let selectedName, !names.contains(selectedName), selectedName != awaitedName {
            selectFirstRow()
            if mode == .monitor { mode = .list }  // the monitored run is gone
        }
        if selectedName == nil { selectFirstRow() }
    }

    // MARK: Input

    /// A click on the list selects a run (on the selected one, opens its monitor); on the form,
    /// a field; on the monitor's charts, the nearest evaluation; on the comparison's table, a class.
    public mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Response {
        if mode == .monitor, mouse.kind != .press { return handleDrag(mouse, in: area) }
        guard mouse.kind == .press else { return .ignored }
        switch mode {
        case .list:
            let (_, first, visible) = listWindow(height: area.height)
            let row = mouse.y - area.y - Self.listFirstRow
            let rows = listRows
            guard row >= 0, row < visible, first + row < rows.count else { return .ignored }
            if first + row == selectedIndex { mode = .monitor } else { select(rows[first + row]) }
            return .changed
        case .form:
            let row = mouse.y - area.y - Self.formFirstRow
            guard row >= 0, row < LaunchForm.Field.allCases.count, mouse.x < area.x + min(56, area.width / 2) else { return .ignored }
            form.field = LaunchForm.Field.allCases[row]
            return .changed
        case .monitor:
            guard let run = selectedRun else { return .ignored }
            let areas = Self.monitorAreas(area)
            // A click on a row of the IoU legend hides that class (show it again with its number key).
            let iou = iouChart(run)
            if let box = iou.legendBox(in: areas.iou), box.contains(x: mouse.x, y: mouse.y) {
                let rows = iou.chart.series.filter(\.inLegend)
                let row = mouse.y - box.y
                guard row < rows.count, let k = rows[row].symbol, rows.count > 1 else { return .changed }
                hiddenClasses.insert(k)
                return .message("\(run.classNames[k]) hidden: \(k + 1) shows it again")
            }
            for (chart, chartArea) in [(iouChart(run), areas.iou), (lossChart(run), areas.loss)] {
                guard let layout = chart.layout(in: chartArea), layout.plot.contains(x: mouse.x, y: mouse.y) else { continue }
                let x = layout.dataX(column: mouse.x)
                inspect(run, nearest: x)
                drag = (x, x, mouse.x)
                return .changed
            }
            return .ignored
        case .compare:
            // A click in a class's column of the table draws that class's curves.
            guard let comparison else { return .ignored }
            let (_, tableArea, columns) = Self.comparisonTable(comparison, in: area)
            guard tableArea.contains(x: mouse.x, y: mouse.y),
                  let column = columns.prefix(comparison.classes.count).firstIndex(where: { $0.contains(mouse.x) }) else { return .ignored }
            compareClass = column
            return .changed
        }
    }

    /// Applies a key in the current mode: a change, a line for the status bar, an effect for
    /// the loop (launch, stop), or nothing.
    public mutating func handle(_ key: Key) -> Response {
        switch mode {
        case .list: return handleList(key)
        case .form: return handleForm(key)
        case .monitor: return handleMonitor(key)
        case .compare: return handleCompare(key)
        }
    }

    private mutating func moveSelection(_ step: Int) {
        let rows = listRows
        guard !rows.isEmpty else { return }
        guard let index = selectedIndex else { select(rows[0]); return }
        select(rows[min(max(index + step, 0), rows.count - 1)])
    }

    private mutating func handleList(_ key: Key) -> Response {
        if typingFilter {
            switch key {
            case .enter: typingFilter = false
            case .escape: typingFilter = false; filter = ""
            case .backspace: if !filter.isEmpty { filter.removeLast() }
            case .character(let c): if filter.count < 64 { filter.append(c) }
            default: return .handled
            }
            if selectedIndex == nil, !listRows.isEmpty { selectFirstRow() }
            return .handled
        }
        switch key {
        case .character("/"):
            typingFilter = true
        case .character("o"):
            sort = sort.next
        case .escape where !filter.isEmpty:
            filter = ""
        case .up, .character("k"): moveSelection(-1)
        case .down, .character("j"): moveSelection(1)
        case .pageUp: moveSelection(-10)
        case .pageDown: moveSelection(10)
        case .enter, .right, .character("l"):
            guard selectedRun != nil else { return .handled }
            if let index = selectedIndex { select(listRows[index]) }  // a run folded away: its group's row
            mode = .monitor
        case .character(" "):
            // A group's row marks (or unmarks) all its seeds.
            let names = selectedGroup.map { $0.runs.map(\.name) } ?? selectedRun.map { [$0.name] } ?? []
            guard !names.isEmpty else { return .handled }
            if names.allSatisfy(marked.contains) { marked.subtract(names) } else { marked.formUnion(names) }
            moveSelection(1)
        case .character("g"):
            return toggleGroupFold()
        case .character("n"):
            // The last values stay (to launch a variant), the cursor starts at the top.
            form.field = .dataset
            form.typedName = nil
            mode = .form
        case .character("c"):
            return openComparison()
        case .character("s"):
            return stop()
        case .character("R"):
            return resume()
        default: return .ignored
        }
        return .handled
    }

    private mutating func handleForm(_ key: Key) -> Response {
        switch key {
        case .escape:
            if form.typedNumber != nil { form.typedNumber = nil } else { mode = .list }
        // On the name field letters are typed, so hjkl are letters there; elsewhere they nudge.
        case .backspace where form.field == .name: form.deleteBackward()
        case .character(let c) where form.field == .name: form.type(c)
        case .backspace: _ = form.deleteNumberBackward()
        case .character(let c) where form.takesTyped(c): form.typeNumber(c)
        case .backTab:
            guard form.commitTyped() else { return .message(form.typedProblem ?? "") }
            form.moveField(by: -1)
        case .tab:
            guard form.commitTyped() else { return .message(form.typedProblem ?? "") }
            form.moveField(by: 1)
        case .enter:
            guard form.commitTyped() else { return .message(form.typedProblem ?? "") }
            if let problem = form.problem(taken: takenNames) { return .message(problem) }
            let name = form.name(taken: takenNames), names = form.names(taken: takenNames)
            let arguments = form.arguments(name: name, runsFolder: runsFolder)
            selectedName = name
            selectedIsGroup = names.count > 1
            awaitedName = name
            launching.formUnion(names)  // a group's later seeds stay taken until they start
            if names.count > 1 { groupLaunches[name] = names }
            mode = .list
            return Response(message: names.count > 1 ? "launching \(names.count) seeds, one after the other: \(names.joined(separator: ", "))…" : "launching \(name)…",
                            effects: [.launch(LaunchRequest(name: name, arguments: arguments, runsFolder: runsFolder))])
        default:
            guard let nudge = Nudge(key) else { return .ignored }
            guard form.commitTyped() else { return .message(form.typedProblem ?? "") }
            switch nudge.direction {
            case .up: form.moveField(by: -1)
            case .down: form.moveField(by: 1)
            case .left: form.adjust(by: -1)
            case .right: form.adjust(by: 1)
            }
        }
        return .handled
    }

    private mutating func handleMonitor(_ key: Key) -> Response {
        switch key {
        case .escape, .backspace, .left, .character("h"): mode = .list
        case .up, .character("k"): moveSelection(-1); inspectedStep = nil
        case .down, .character("j"): moveSelection(1); inspectedStep = nil
        case .character(","), .character("<"): inspect(by: -1)
        case .character("."), .character(">"): inspect(by: 1)
        case .home: inspect(by: -Int.max / 2)
        case .end: inspectedStep = nil
        case .character("x"): axis = axis == .step ? .time : .step
        case .character("+"), .character("="), .character("]"):
            smoothing = Self.smoothingChoices.first { $0 > smoothing + 1e-9 } ?? smoothing
        case .character("-"), .character("_"), .character("["):
            smoothing = Self.smoothingChoices.last { $0 < smoothing - 1e-9 } ?? smoothing
        case .character("s"): return stop()
        case .character("R"): return resume()
        case .character("z"): zoom(by: 0.5)
        case .character("Z"): zoom(by: 2)
        case .character("{"): pan(by: -0.25)
        case .character("}"): pan(by: 0.25)
        case .character("0"): zoom = nil
        case .character("g"): logarithmicLoss.toggle()
        case .character("t"): return nextScalar()
        case .character(let c) where c.wholeNumberValue.map { $0 >= 1 && $0 <= (selectedRun?.classNames.count ?? 0) } == true:
            let k = c.wholeNumberValue! - 1
            if hiddenClasses.contains(k) { hiddenClasses.remove(k) } else { hiddenClasses.insert(k) }
            if hiddenClasses.count >= (selectedRun?.classNames.count ?? 0) {
                hiddenClasses.remove(k)
                return .message("one class at least stays drawn")
            }
        default: return .ignored
        }
        return .handled
    }

    /// The pointer moving with the button held (the span follows it), or let go: a span of two
    /// columns or more becomes the zoom (a press and release in place was a click).
    mutating func handleDrag(_ mouse: MouseEvent, in area: Rect) -> Response {
        guard let started = drag, let run = selectedRun else { return .ignored }
        let areas = Self.monitorAreas(area)
        let layouts = [iouChart(run).layout(in: areas.iou), lossChart(run).layout(in: areas.loss)].compactMap { $0 }
        // The x under the pointer on the chart the drag began on (both share the x range).
        guard let layout = layouts.first(where: { $0.plot.contains(x: started.startColumn, y: $0.plot.y) }) ?? layouts.first else { return .ignored }
        let x = layout.dataX(column: mouse.x)
        switch mouse.kind {
        case .drag:
            drag = (started.start, x, started.startColumn)
            return .changed
        default:
            drag = nil
            guard abs(mouse.x - started.startColumn) >= 2 else { return .changed }
            zoom(toData: min(started.start, x) ... max(started.start, x), of: run)
            let shown = xRange(run)
            return .message("zoomed to \(Self.axisLabel(axis)) \(exactNumber(shown.lowerBound.rounded()))–\(exactNumber(shown.upperBound.rounded())) · 0: the whole range")
        }
    }

    /// Zooms to the data x range `span` (within the whole of the monitored x range).
    mutating func zoom(toData span: ClosedRange<Double>, of run: RunRecord) {
        let full = monitoredDomain(run)
        let width = max(full.upperBound - full.lowerBound, 1e-9)
        let low = min(max(0, (span.lowerBound - full.lowerBound) / width), 1), high = min(max(0, (span.upperBound - full.lowerBound) / width), 1)
        guard high - low < 1 else { zoom = nil; return }
        zoom = low ... max(high, low + 1.0 / 1024)
    }

    /// Zooms the monitor's x range by `factor` (½: in), about the inspected evaluation, else the
    /// window's middle; back to the whole range once it covers it.
    mutating func zoom(by factor: Double) {
        let window = zoom ?? 0 ... 1
        let width = min(1, (window.upperBound - window.lowerBound) * factor)
        guard width < 1 else { zoom = nil; return }
        var centre = (window.lowerBound + window.upperBound) / 2
        if let run = selectedRun, let x = inspectedX(run) {
            let full = monitoredDomain(run)
            centre = (x - full.lowerBound) / max(full.upperBound - full.lowerBound, 1e-9)
        }
        let low = min(max(0, centre - width / 2), 1 - width)
        zoom = low ... low + max(width, 1.0 / 1024)
    }

    /// Moves a zoomed x range by `fraction` of its width (nothing when not zoomed).
    mutating func pan(by fraction: Double) {
        guard let window = zoom else { return }
        let width = window.upperBound - window.lowerBound
        let low = min(max(0, window.lowerBound + fraction * width), 1 - width)
        zoom = low ... low + width
    }

    /// Moves the monitor's inspected evaluation by `offset` evaluations; reaching the latest
    /// follows it again.
    private mutating func inspect(by offset: Int) {
        guard let run = selectedRun, let index = inspectedIndex(run) else { return }
        let evaluations = run.evaluations
        let target = min(max(index + offset, 0), evaluations.count - 1)
        inspectedStep = target == evaluations.count - 1 ? nil : evaluations[target].step
    }

    /// Inspects the evaluation nearest to `x` on the current axis (a click on a chart).
    private mutating func inspect(_ run: RunRecord, nearest x: Double) {
        let xs = run.evaluations.map { run.history.x(step: $0.step, time: $0.time, axis: axis) }
        guard let nearest = xs.indices.min(by: { abs(xs[$0] - x) < abs(xs[$1] - x) }) else { return }
        inspectedStep = nearest == xs.count - 1 ? nil : run.evaluations[nearest].step
    }

    private mutating func handleCompare(_ key: Key) -> Response {
        let classes = comparedRuns.first?.classNames.count ?? 0
        switch key {
        case .escape, .backspace: mode = .list
        case .left, .character("h"), .character("["): if classes > 0 { compareClass = (compareClass + classes - 1) % classes }
        case .right, .character("l"), .character("]"): if classes > 0 { compareClass = (compareClass + 1) % classes }
        case .character("x"): axis = axis == .step ? .time : .step
        default: return .ignored
        }
        return .handled
    }

    /// The marked runs, or (none marked) every run on the selected run's dataset.
    private mutating func openComparison() -> Response {
        guard let selected = selectedRun else { return .message("no runs to compare yet") }
        let chosen = marked.isEmpty ? runs.filter { RunRecord.classConflict([$0, selected]) == nil } : runs.filter { marked.contains($0.name) }
        if let conflict = RunRecord.classConflict(chosen) {
            return .message("the marked runs are on different datasets (\(conflict)); compare runs of one")
        }
        let classes = chosen[0].classNames.count
        if compareClass >= classes { compareClass = classes > 1 ? 1 : 0 }
        view = .compare(runs: chosen.map(\.name))
        return .handled
    }

    var comparedRuns: [RunRecord] { compared.compactMap { name in runs.first { $0.name == name } } }

    /// `s`: SIGINT to the selected run's trainer, which finishes its step, saves and says stopped.
    /// The screen (not the status bar) says "stopping" until the run has stopped.
    private mutating func stop() -> Response {
        guard let run = selectedRun else { return .handled }
        guard !run.isTensorBoard else { return .message("\(run.name) is a TensorBoard run: its writer, not marginal, trains it") }
        guard let pid = run.trainerPID else { return .message("\(run.name) is \(run.state.rawValue), not running") }
        stopping.insert(run.name)
        return Response(message: "", effects: [.stop(name: run.name, pid: pid)])
    }

    /// `R`: continues a stopped (or failed) run from its checkpoint, in the background.
    private mutating func resume() -> Response {
        guard let run = selectedRun else { return .handled }
        guard !run.isTensorBoard else { return .message("\(run.name) is a TensorBoard run: its writer, not marginal, trains it") }
        if let refusal = run.configuration.resumeRefusal { return .message("cannot resume \(run.name): \(refusal)") }
        guard run.state == .stopped || run.state == .failed else {
            return .message("\(run.name) is \(run.state.rawValue); only a stopped or failed run resumes")
        }
        guard !launching.contains(run.name) else { return .message("\(run.name) is starting already") }
        launching.insert(run.name)
        return Response(message: "launching \(run.name)…",
                        effects: [.launch(.resuming(run.name, runsFolder: runsFolder))])
    }

    /// `t`: the monitor's lower chart draws the run's next plain scalar (a TensorBoard tag outside
    /// the convention), and after the last one the loss again.
    mutating func nextScalar() -> Response {
        guard let run = selectedRun else { return .ignored }
        let tags = run.tensorBoard?.otherScalars.map(\.tag) ?? []
        guard !tags.isEmpty else { return .message("\(run.name) logged no scalar outside iou, loss and proportions (t steps through a TensorBoard run's other tags)") }
        let shown = shownScalarTag(run).flatMap { tags.firstIndex(of: $0) }
        let next = shown.map { $0 + 1 } ?? 0
        // A run without a loss has no loss to come back to: round the tags again.
        scalarTag = next < tags.count ? tags[next] : (run.history.train.isEmpty ? tags[0] : nil)
        return .message(scalarTag.map { "lower chart: \($0) (scalar \(tags.firstIndex(of: $0)! + 1) of \(tags.count); t: the next)" } ?? "lower chart: the loss again")
    }

    public mutating func reset() {
        mode = .list
        marked = []
        smoothing = 0.6
        axis = .step
        form = LaunchForm()
        zoom = nil
        drag = nil
        unfoldedGroups = []
        logarithmicLoss = false
        hiddenClasses = []
        scalarTag = nil
        sort = .name
        filter = ""
        typingFilter = false
    }

    // MARK: Help

    public var keys: [(key: String, action: String)] {
        switch mode {
        case .list:
            [("↑↓ j k", "select a run (or click it; click again to monitor)"), ("Enter →", "monitor the selected run"), ("n", "new run: the launch form"),
             ("space", "mark a run for the comparison"), ("c", "compare the marked runs (none marked: every run on this dataset)"),
             ("s", "stop the selected run (SIGINT: it saves and can be resumed)"),
             ("R", "resume a stopped run from its checkpoint, in the background"),
             ("/", "filter the runs by typed text or a regular expression (name, dataset, loss, status); Enter keeps it, Esc clears it"),
             ("o", "sort by name, status, best mIoU or start time"),
             ("g", "unfold a group of seeds (runs that differ only in their seed) into its runs, or fold it; Enter on its row: the seeds' mean"), ("r", "unmark all, clear the filter, back to this list")]
        case .form:
            [("↑↓ Tab", "field"), ("←→", "change the value"), ("typing", "a number on a numeric field (Tab or Enter takes it), the name on the name field"),
             ("Enter", "launch marginal train in the background"), ("Esc", "back to the list")]
        case .monitor:
            [("Esc ←", "back to the list"), ("↑↓", "previous / next run"),
             (", .", "inspect the previous / next evaluation (or click a chart); End: the latest again"),
             ("s", "stop this run (SIGINT)"),
             ("R", "resume this run, when stopped"),
             ("x", "x axis: step or training time"), ("+ − [ ]", "loss smoothing 0 … 0.999 (debiased EMA)"),
             ("z Z", "zoom in / out on x (about the inspected evaluation); or drag across a chart"), ("{ }", "pan the zoomed x range"), ("0", "the whole x range again"),
             ("g", "logarithmic y for the loss, or linear"), ("1…K", "hide or show class k's curves (1: the first class; a click on its legend row hides it)"),
             ("t", "a TensorBoard run's scalars outside marginal's tags, one after another in the lower chart, then the loss again"),
             ("e", "export the IoU, loss and proportion curves as drawn (SVG, CSV)")]
        case .compare:
            [("← →", "the class whose IoU curves are drawn (or click its column)"), ("x", "x axis: step or training time"),
             ("e", "export the table (Markdown, CSV) and the curves (SVG)"), ("Esc", "back to the list")]
        }
    }

    public var hints: [(key: String, action: String)] {
        switch mode {
        case .list:
            typingFilter ? [("typing", "filter"), ("Enter", "keep"), ("Esc", "clear")]
                : [("n", "new run"), ("Enter", "monitor"), ("space", "mark"), ("c", "compare")] + runActions + [("/", "filter"), ("o", "sort")]
        case .form: [("↑↓", "field"), ("←→ 0-9", "value"), ("Enter", "launch"), ("Esc", "cancel")]
        case .monitor:
            runActions + [(", .", "evaluation"), ("z Z 0", "zoom"), ("g", "log loss"), ("1…\(max(1, selectedRun?.classNames.count ?? 1))", "classes"),
                          ("x", "axis"), ("+−", "smoothing")] + (selectedRun?.tensorBoard?.otherScalars.isEmpty == false ? [("t", "other scalars")] : [])
                + [("Esc", "list"), ("e", "export")]
        case .compare: [("←→", "class"), ("x", "axis"), ("e", "export"), ("Esc", "list")]
        }
    }

    var sharedHints: [(key: String, action: String)] { [] }

    /// The actions the selected run allows: stop while it runs, resume once stopped or failed.
    var runActions: [(key: String, action: String)] {
        guard let run = selectedRun, !run.isTensorBoard else { return [] }  // a TensorBoard run has no trainer here
        switch run.state {
        case .running: return stopping.contains(run.name) ? [] : [("s", "stop")]
        case .stopped, .failed: return [("R", "resume")]
        case .done: return []
        }
    }

    public var about: String {
        "Training runs under \(runsFolder)/, refreshed live (four times a second; a run launched from a shell shows too). "
            + "The monitor plots each class's validation IoU, the training loss with its CE and regulariser parts (smoothed "
            + "like TensorBoard), and bars of ŷ against the soft p̂ (τ = 1) and the hard proportion: watch whether p̂ drifts "
            + "from ŷ (the paper's finding for Dice, Sec. 2) or stays with it (CE + λ·L1, Eq. 5). The comparison is the "
            + "paper's Table 4; R resumes a stopped run."
    }
}

extension ScreenID {
    public static let runs = ScreenID("runs")
}

extension AppState {
    /// The Runs screen's state.
    public var runs: RunsScreen {
        get { self[RunsScreen.self] }
        set { self[RunsScreen.self] = newValue }
    }
}
