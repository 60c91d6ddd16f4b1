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
            guard let run = selectedRun, !run.evaluations.isEmpty,
                  let iou = try? RunPlot(runs: [run], metric: .iou, axis: axis) else { return nil }
            var request = iou.export()
            if let loss = try? RunPlot(runs: [run], metric: .loss, axis: axis, smoothing: smoothing) {
                request.companions.append(("loss", loss.table(), loss.figure()))
            }
            if let proportion = try? RunPlot(runs: [run], metric: .proportion, axis: axis) {
                request.companions.append(("proportion", proportion.table(), proportion.figure()))
            }
            return request
        case .compare:
            // The curves of the runs evaluated so far (a run just launched has none yet).
            guard let comparison,
                  let curves = try? RunPlot(runs: comparison.runs.filter { !$0.evaluations.isEmpty }, metric: .iou,
                                            classIndex: compareClass, axis: axis) else { return nil }
            var request = curves.export()
            request.documents = [("-table.md", comparison.render(.markdown)), ("-table.csv", comparison.render(.csv))]
            return request
        }
    }
}
