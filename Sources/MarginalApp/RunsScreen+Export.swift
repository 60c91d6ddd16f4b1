import MarginalFigure
import MarginalRuns

extension RunsScreen {
    /// The monitor exports its run's per-class IoU curves, with the smoothed loss and the
    /// proportions as companions; the comparison, its table (Markdown, and CSV as a companion)
    /// with the compared class's IoU curves across runs. The list and the form have nothing to
    /// export. Every figure is `marginal runs plot`'s for the same settings (`RunPlot`).
    public func export() -> ExportRequest? {
        switch mode {
        case .list, .form: return nil
        case .monitor:
            guard let run = selectedRun else { return nil }
            let scalar = shownScalarTag(run).flatMap { scalarPlot(run, tag: $0) }
            guard !run.evaluations.isEmpty, let iou = plot(run, .iou) else { return scalar?.export() }
            var request = iou.export()
            if let scalar, let tag = scalar.tag {
                request.companions.append(("scalar-" + RunPlot.fileSafe(tag), scalar.table(), scalar.figure()))
            }
            if let loss = plot(run, .loss) {
                request.companions.append(("loss", loss.table(), loss.figure()))
            }
            if let proportion = plot(run, .proportion) {
                request.companions.append(("proportion", proportion.table(), proportion.figure()))
            }
            return request
        case .compare:
            // The curves of the runs evaluated so far (a run just launched has none yet).
            guard let comparison,
                  let curves = Self.classPlot(comparison.runs, classIndex: compareClass, axis: axis) else { return nil }
            var request = curves.export()
            request.documents = [("-table.md", comparison.render(.markdown)), ("-table.csv", comparison.render(.csv))]
            return request
        }
    }

    /// One of the monitor's figures as its settings draw it (zoom, inspected step, hidden
    /// classes, log scale): `RunPlot`'s, the same for the screen and the export.
    /// On a group's row, the group's: its seeds' mean with a min…max band (the seeds evaluated so far).
    func plot(_ run: RunRecord, _ metric: RunMetric) -> RunPlot? {
        if metric != .loss, run.evaluations.isEmpty { return nil }
        let seeds = selectedGroup?.runs.filter { metric == .loss ? !$0.history.train.isEmpty : !$0.evaluations.isEmpty } ?? []
        let runs = seeds.count > 1 ? seeds : [run]
        let key = RunPlotCache.Key(runs: runs, metric: metric, axis: axis, smoothing: smoothing,
                                   xRange: metric == .proportion ? nil : xRange(run), inspectedX: inspectedX(run),
                                   hiddenClasses: hiddenClasses, logarithmicLoss: logarithmicLoss,
                                   plannedSteps: run.configurationKnown ? run.configuration.steps : nil, asGroup: seeds.count > 1)
        return RunPlotCache.shared.plot(key) {
            try? RunPlot(runs: runs, metric: metric, axis: key.axis, smoothing: key.smoothing, xRange: key.xRange,
                         inspectedX: key.inspectedX, hiddenClasses: key.hiddenClasses, logarithmicLoss: key.logarithmicLoss,
                         plannedSteps: key.plannedSteps, asGroup: key.asGroup)
        }
    }

    /// The plain scalar the monitor's lower chart draws for `run`: the one `t` chose, else the
    /// first, for a run that logged no loss; nil: the loss.
    func shownScalarTag(_ run: RunRecord) -> String? {
        let tags = run.tensorBoard?.otherScalars.map(\.tag) ?? []
        if let scalarTag, tags.contains(scalarTag) { return scalarTag }
        return run.history.train.isEmpty ? tags.first : nil
    }

    /// A plain scalar's figure as the monitor draws it: `marginal runs plot NAME --tag TAG`'s, in
    /// the monitor's x range (its data's own for a run with no other curve). Not kept in
    /// `RunPlotCache`: its points are not the history that `RunHistory.revision` follows.
    func scalarPlot(_ run: RunRecord, tag: String) -> RunPlot? {
        let alone = run.history.train.isEmpty && run.evaluations.isEmpty
        return try? RunPlot(runs: [run], metric: .scalar, axis: axis, xRange: alone ? nil : xRange(run), inspectedX: inspectedX(run), tag: tag)
    }

    /// The monitor's IoU chart and its export.
    func iouFigure(_ run: RunRecord) -> LineChart? { plot(run, .iou)?.figure().lineChart }

    /// The monitor's loss chart and its export's companion.
    func lossFigure(_ run: RunRecord) -> LineChart? { plot(run, .loss)?.figure().lineChart }

    /// The comparison's curves: the class's IoU in each run evaluated so far (a run just
    /// launched has none yet), across the longest run's data.
    static func classPlot(_ runs: [RunRecord], classIndex k: Int, axis: HistoryAxis) -> RunPlot? {
        let high = runs.map { xDomain($0, axis: axis).upperBound }.max() ?? 1
        return try? RunPlot(runs: runs.filter { !$0.evaluations.isEmpty }, metric: .iou, classIndex: k, axis: axis, xRange: 0 ... high,
                            plannedSteps: runs.map(\.configuration.steps).max())
    }

    static func classFigure(_ runs: [RunRecord], classIndex k: Int, axis: HistoryAxis) -> LineChart? {
        classPlot(runs, classIndex: k, axis: axis)?.figure().lineChart
    }
}
