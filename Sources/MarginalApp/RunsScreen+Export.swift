import MarginalEngine

extension RunsScreen {
    /// The monitor exports its run's IoU curves (and the loss as a companion); the comparison,
    /// its table as Markdown and CSV and the compared class's IoU curves. The list and the form
    /// have nothing to export.
    public func export() -> ExportRequest? {
        nil
    }
}
