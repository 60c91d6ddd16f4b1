import MarginalCore
import MarginalRuns
import TerminalUI
import MarginalFigure

extension RunsScreen {
    static func axisLabel(_ axis: HistoryAxis) -> String { axis == .step ? "step" : "training time (s)" }

    /// The x range of a run's data: from 0 to its last logged step (or second of training), so
    /// that early in a long run the curves fill the chart (the planned end is named on the axis).
    static func xDomain(_ run: RunRecord, axis: HistoryAxis) -> ClosedRange<Double> {
        switch axis {
        case .step: return 0 ... Double(max(run.history.lastStep, 1))
        case .time:
            let elapsed = max(run.history.train.last?.time ?? 0, run.history.evaluations.last?.time ?? 0)
            return 0 ... (elapsed.isFinite ? max(1, elapsed) : 1)  // a damaged file's absurd time draws nothing, not a crash
        }
    }

    /// The x range the monitor's charts draw: the data's, or the zoomed part of it.
    func xRange(_ run: RunRecord) -> ClosedRange<Double> {
        let full = monitoredDomain(run)
        guard let zoom else { return full }
        let span = full.upperBound - full.lowerBound
        return (full.lowerBound + zoom.lowerBound * span) ... (full.lowerBound + zoom.upperBound * span)
    }

    /// The x of the inspected evaluation (nil while following the latest).
    func inspectedX(_ run: RunRecord) -> Double? {
        guard inspectedStep != nil, let index = inspectedIndex(run) else { return nil }
        let evaluation = run.evaluations[index]
        return run.history.x(step: evaluation.step, time: evaluation.time, axis: axis)
    }

    /// Seconds left at the current speed, while running (a run that logged no configuration
    /// has no planned end).
    static func eta(_ run: RunRecord) -> Double? {
        guard run.state == .running, run.configurationKnown, let speed = run.history.stepsPerSecond, speed > 0 else { return nil }
        return Double(max(0, run.configuration.steps - run.step)) / speed
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        guard seconds < 360_000 else { return "> 100h" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(padLeft("\(s % 3600 / 60)", 2).replacingOccurrences(of: " ", with: "0"))m"
            : s >= 60 ? "\(s / 60)m\(padLeft("\(s % 60)", 2).replacingOccurrences(of: " ", with: "0"))s" : "\(s)s"
    }

    /// Per-class IoU over the evaluations, each evaluation marked, the legend naming each shown
    /// class with its value at the inspected evaluation: `RunPlot`'s figure (the export's).
    func iouChart(_ run: RunRecord) -> LineChartView {
        LineChartView(iouFigure(run) ?? Self.emptyChart(axis), markerSpacing: 0)
    }

    /// The training loss and its CE and regulariser parts, smoothed (debiased EMA), the raw
    /// total faint behind, drawn as lines: `RunPlot`'s figure (the export's).
    /// A TensorBoard run's plain scalar instead, when one is shown (`t`, `shownScalarTag`).
    func lossChart(_ run: RunRecord) -> LineChartView {
        if let tag = shownScalarTag(run), let figure = scalarPlot(run, tag: tag)?.figure().lineChart {
            return LineChartView(figure, markerSpacing: 0)
        }
        return LineChartView(lossFigure(run) ?? Self.emptyChart(axis), markerSpacing: 0)
    }

    /// The second term of a composite loss, as its legend names it ("λ·L1" for ce_l1); nil for a
    /// loss of one term (`RunPlot`'s rule, the one for screen and file).
    static func regulariserLabel(_ loss: LossName) -> String? { RunPlot.regulariserLabel(loss) }

    /// The axes alone, for a run with nothing to plot yet.
    static func emptyChart(_ axis: HistoryAxis) -> LineChart {
        LineChart(title: "", xAxis: Axis(label: axisLabel(axis)), yAxis: Axis(label: ""))
    }

    /// The rule at the inspected evaluation (nil while following the latest): the one thing the
    /// monitor's charts draw that their exports leave out.
    func inspectedRule(_ run: RunRecord) -> ReferenceLine? {
        guard inspectedStep != nil, let index = inspectedIndex(run) else { return nil }
        let evaluation = run.evaluations[index]
        let x = run.history.x(step: evaluation.step, time: evaluation.time, axis: axis)
        return ReferenceLine(.vertical, at: x, label: "step \(evaluation.step)", style: StrokeStyle(color: Palette.cursor, width: 1, dash: [4, 3]))
    }

    /// The edges of a mouse drag under way, as rules (where the zoom will land on release).
    var dragRules: [ReferenceLine] {
        guard let drag, drag.start != drag.current else { return [] }
        return [drag.start, drag.current].map { ReferenceLine(.vertical, at: $0, label: "", style: StrokeStyle(color: Palette.yellow, width: 1)) }
    }

    func renderMonitor(_ run: RunRecord, in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let c = run.configuration
        let stateStyle = Style(foreground: theme.color(Self.color(of: run.state)), attributes: .bold)
        var x = area.x
        x += buffer.write(run.name + "  ", x: x, y: area.y, .bold, limit: area.maxX - x)
        x += buffer.write(run.state.rawValue, x: x, y: area.y, stateStyle, limit: area.maxX - x)
        let lambda = run.lambda.map { " λ " + exactNumber($0) } ?? ""
        let tau = c.loss.usesTemperature ? " τ " + exactNumber(c.tau) : ""
        // A TensorBoard run that logged no configuration has none to show: what its files say
        // instead. A run of another engine says which, and over how many processes (config.json).
        let scalars = run.tensorBoard?.otherScalars.count ?? 0, plural = scalars == 1 ? "" : "s"
        let engine = c.engine.map { " · \($0)" + (c.processes.map { " × \($0) processes" } ?? "") } ?? ""
        // The longest wording that fits the line whole (at 80 and 60 columns the first is cut).
        let wordings = run.configurationKnown
            ? ["\(engine)  · \(c.dataset) · \(c.loss)\(lambda)\(tau) · \(c.optimizer) lr \(exactNumber(c.learningRate)) · batch \(c.batch) · seed \(c.seed)"]
            : ["  · TensorBoard event files, no marginal configuration logged · \(scalars) scalar\(plural) outside the convention",
               "  · TensorBoard, no configuration logged · \(scalars) other scalar\(plural)",
               "  · TensorBoard · \(scalars) other scalar\(plural)"]
        let about = wordings.first { $0.count <= area.maxX - x } ?? wordings.last!
        buffer.write(about, x: x, y: area.y, .dim, limit: area.maxX - x)
        var progress = run.configurationKnown
            ? "step \(run.step)/\(c.steps) " + Self.progressBar(step: run.step, of: c.steps, width: 20, theme: theme)
                + " \(Int((100 * min(1, max(0, Double(run.step) / Double(max(1, c.steps))))).rounded(.down)))%"
            : "last logged step \(run.step)"
        if let speed = run.history.stepsPerSecond { progress += " · \(fixed(speed, 1)) steps/s" }
        if let eta = Self.eta(run) { progress += " · ETA \(Self.duration(eta))" }
        if let best = run.bestMIoU { progress += " · best mIoU \(percent(best)) %" }
        buffer.write(progress, x: area.x, y: area.y + 1, .plain, limit: area.width)
        if let failure = run.failure {
            buffer.write("failed: " + failure, x: area.x, y: area.y + 2, Style(foreground: theme.color(Palette.vermillion.terminal)), limit: area.width)
        } else if stopping.contains(run.name) {
            buffer.write("stopping \(run.name): it finishes its step and saves…", x: area.x, y: area.y + 2, Style(foreground: theme.color(Palette.yellow.terminal)), limit: area.width)
        } else if let note = run.collapseNote, let summary = run.collapseSummary(), let compact = run.collapseSummary(compact: true) {
            // The whole note where it fits, else its one-line summary (the list gives it whole).
            buffer.write([note, summary].first { $0.count <= area.width } ?? compact, x: area.x, y: area.y + 2, Style(foreground: theme.color(Palette.orange.terminal), attributes: .bold), limit: area.width)
        } else {
            // What the charts' settings leave out, so that a zoomed or filtered view is never mistaken for the whole.
            var settings: [String] = []
            if let group = selectedGroup {
                settings.append("group of \(group.runs.count) seeds (\(group.runs.map { "\($0.configuration.seed)" }.joined(separator: ", "))): charts their mean (legend: mean ± std), band min–max · panel seed \(c.seed)")
            }
            if let zoom { settings.append("zoom: \(Int((zoom.lowerBound * 100).rounded()))–\(Int((zoom.upperBound * 100).rounded())) % of x (0: all)") }
            if logarithmicLoss { settings.append("loss on a log scale (g)") }
            let hidden = hiddenClasses.sorted().filter { $0 < run.classNames.count }.map { run.classNames[$0] }
            if !hidden.isEmpty { settings.append("hidden: " + hidden.joined(separator: ", ") + " (1…\(run.classNames.count))") }
            if !settings.isEmpty { buffer.write(settings.joined(separator: " · "), x: area.x, y: area.y + 2, .dim, limit: area.width) }
        }

        let areas = Self.monitorAreas(area)
        let inspected = inspectedIndex(run)
        // A rule marks the inspected evaluation on both charts (none while following the latest).
        let rules = (inspectedRule(run).map { [$0] } ?? []) + dragRules
        if run.evaluations.isEmpty {
            let why = !run.isTensorBoard ? "no evaluation yet: the first comes at step \(c.evalEvery)"
                : "no iou/ or proportion/ tags (docs/TENSORBOARD.md)" + (scalars > 0 ? " · t: \(scalars) other scalar\(plural)" : "")
            buffer.write(why, in: areas.iou.top(1), .dim)
        } else {
            var chart = iouChart(run)
            chart.chart.referenceLines += rules
            chart.render(in: areas.iou, into: &buffer, theme: theme)
        }
        if run.history.train.isEmpty && shownScalarTag(run) == nil {
            buffer.write("no training step logged yet", in: areas.loss.top(1), .dim)
        } else {
            var chart = lossChart(run)
            chart.chart.referenceLines += rules
            chart.render(in: areas.loss, into: &buffer, theme: theme)
        }
        renderEvaluation(run, at: inspected, in: areas.panel, into: &buffer, theme: theme)
    }

    /// Where the monitor draws, below its three lines of heading: the IoU chart above the loss
    /// chart on the left, the evaluation's panel on the right (one function for drawing and clicks).
    static func monitorAreas(_ area: Rect) -> (iou: Rect, loss: Rect, panel: Rect) {
        let columns = area.droppingTop(3).columns([.fill, .fixed(1), .fixed(panelWidth(area.width) + 4)])
        let charts = columns[0].rows([.fill(3), .fill(2)])
        return (charts[0], charts[1], columns[2])
    }

    /// The index of the evaluation the monitor shows: the inspected step's (the last at or
    /// before it, should a resume have rewritten the steps), else the latest; nil before the first.
    func inspectedIndex(_ run: RunRecord) -> Int? {
        let evaluations = run.evaluations
        guard !evaluations.isEmpty else { return nil }
        guard let step = inspectedStep else { return evaluations.count - 1 }
        return evaluations.lastIndex { $0.step <= step } ?? 0
    }

    /// One evaluation (the latest, or the inspected one): proportions per class (table and
    /// bars), and the latest preview images.
    private func renderEvaluation(_ run: RunRecord, at index: Int?, in area: Rect, into buffer: inout Buffer, theme: Theme) {
        var panel = Panel(area)
        guard let index else {
            // Only the keys the run allows (`runActions`): a TensorBoard or finished run cannot be stopped.
            let actions = runActions.map { "\($0.key) \($0.action == "stop" ? "stops" : "resumes") the run; " }.joined()
            panel.paragraph("The monitor fills in at the first evaluation. \(actions)Esc goes back to the list.", into: &buffer)
            return
        }
        let evaluation = run.evaluations[index], isLatest = index == run.evaluations.count - 1
        panel.line(isLatest ? "latest evaluation · step \(evaluation.step)"
                   : "evaluation \(index + 1) of \(run.evaluations.count) · step \(evaluation.step)", .bold, into: &buffer)
        panel.line("mIoU \(percent(evaluation.result.miou)) %  ·  val loss \(fixed(evaluation.result.loss, 4))", into: &buffer)
        let names = run.classNames, result = evaluation.result
        // Prop. 2 on this evaluation's logits, whole; its note on H only if the table keeps its rows.
        renderPropositionTwo(result, keeping: names.count + 2, panel: &panel, into: &buffer)
        func value(_ values: [Double], _ k: Int) -> Double? { k < values.count ? values[k] : nil }
        // Per class: ŷ, the soft p̂ (τ = 1), p̂ at the run's τ (what L1 and KL penalise), the hard
        // proportion and the IoU (issue 12's claim 7: the penalised marginal beside the predicted region).
        // Names cut so that the IoU column stays in a narrow panel (2 + name + 5 columns of 5).
        let nameLength = max(3, min(10, area.width - 27))
        let rows = names.indices.map { k in
            ["\(theme.fullBlock) " + String(names[k].prefix(nameLength)), percent(value(result.targetProportion, k)),
             percent(value(result.predProportion, k)), percent(result.temperedProportion.flatMap { value($0, k) }),
             percent(value(result.hardProportion, k)), percent(k < result.iou.count ? result.iou[k] : nil)]
        }
        let tableArea = panel.take(names.count + 1)
        TableView(header: ["class", "ŷ %", "p̂ %", "p̂τ %", "hard", "IoU"], rows: rows, spacing: 1).render(in: tableArea, into: &buffer, theme: theme)
        for k in names.indices where theme.hasColor {
            buffer.restyle(Rect(x: tableArea.x, y: tableArea.y + 1 + k, width: 1, height: 1), Style(foreground: Palette.classColor(k).terminal))
        }
        // p̂ is at τ = 1 (the Temperature screen's claim 6: it nears the hard share as τ grows).
        panel.line("p̂τ: p̂ at τ = \(exactNumber(run.configuration.tau))" + (run.configuration.loss.usesTemperature ? ", seen by L1/KL" : " (\(run.configuration.loss): unused)"), .dim, into: &buffer)
        panel.gap()
        // Bars: ŷ (upper half) against the soft p̂ (lower), log scale; the hard proportion too
        // when there is room for two rows a class.
        let previewRows = run.preview == nil ? 0 : 8
        let twoRows = panel.remaining - previewRows - 2 >= 2 * names.count
        if panel.remaining - previewRows - 2 >= names.count {
            panel.line(twoRows ? "ŷ (upper) vs soft p̂ / hard (lower), log" : "ŷ (upper) vs soft p̂ (lower), log", .dim, into: &buffer)
            // Labels get a third of the width (BarPairsView's limit), the suffix included.
            let nameWidth = max(3, area.width / 3 - (twoRows ? 5 : 3))
            let bars = names.indices.flatMap { k -> [BarPair] in
                let target = value(result.targetProportion, k) ?? 0, name = String(names[k].prefix(nameWidth))
                let soft = BarPair(label: name + (twoRows ? " p̂" : ""), first: target, second: value(result.predProportion, k) ?? 0)
                let hard = BarPair(label: name + " hard", first: target, second: value(result.hardProportion, k) ?? 0)
                return twoRows ? [soft, hard] : [soft]
            }
            BarPairsView(rows: bars, firstColor: Palette.blue.terminal, secondColor: Palette.orange.terminal, maximum: 1, logarithmicFloor: 0.001)
                .render(in: panel.take(bars.count), into: &buffer, theme: theme)
            panel.gap()
        }
        if let preview = run.preview, panel.remaining >= 3 {
            let latestStep = run.evaluations[run.evaluations.count - 1].step
            panel.line(isLatest ? "truth │ prediction (validation image)" : "truth │ prediction (latest, step \(latestStep))", .dim, into: &buffer)
            let rest = panel.take(panel.remaining)
            let side = min(2 * rest.height, (rest.width - 2) / 2)
            guard side >= 2 else { return }
            let classes = max(2, names.count)
            func image(_ labels: [UInt8]) -> HalfBlockImage {
                HalfBlockImage(resampling: labels, sourceWidth: preview.width, sourceHeight: preview.height, width: side, height: side) {
                    Palette.labelPixel($0, classes: classes)
                }
            }
            image(preview.truth).draw(into: &buffer, x: rest.x, y: rest.y, clip: rest, theme: theme)
            image(preview.prediction).draw(into: &buffer, x: rest.x + side + 2, y: rest.y, clip: rest, theme: theme)
        }
    }
}
