import MarginalRuns
import Synchronization

/// The monitor's last few figures, kept by what determines them, so that a frame of an unchanged
/// run (the explorer redraws four times a second, and at every key) does not build its curves
/// again: a long run's mean, smoothing and band are most of a frame. A figure is a pure function
/// of its key — the runs' names, configurations and history revisions (`RunHistory.revision`,
/// new whenever the lines change) and every parameter of `RunPlot.init` — so a kept one is the
/// one that would be built. Shared by every screen value (a screen is copied at each update).
final class RunPlotCache: Sendable {
    /// What a `RunPlot` is built from.
    struct Key: Equatable {
        struct Run: Equatable {
            let name: String
            let configuration: RunConfiguration
            let configurationKnown: Bool
            let tensorBoardFolder: String?
            let revision: Int
        }
        let runs: [Run]
        let metric: RunMetric
        let axis: HistoryAxis
        let smoothing: Double
        let xRange: ClosedRange<Double>?
        let inspectedX: Double?
        let hiddenClasses: Set<Int>
        let logarithmicLoss: Bool
        let plannedSteps: Int?
        let asGroup: Bool

        init(runs: [RunRecord], metric: RunMetric, axis: HistoryAxis, smoothing: Double, xRange: ClosedRange<Double>?,
             inspectedX: Double?, hiddenClasses: Set<Int>, logarithmicLoss: Bool, plannedSteps: Int?, asGroup: Bool) {
            self.runs = runs.map {
                Run(name: $0.name, configuration: $0.configuration, configurationKnown: $0.configurationKnown,
                    tensorBoardFolder: $0.tensorBoard?.folder.path, revision: $0.history.revision)
            }
            self.metric = metric; self.axis = axis; self.smoothing = smoothing; self.xRange = xRange
            self.inspectedX = inspectedX; self.hiddenClasses = hiddenClasses; self.logarithmicLoss = logarithmicLoss
            self.plannedSteps = plannedSteps; self.asGroup = asGroup
        }
    }

    /// How many figures are kept: the monitor's three (IoU, loss, proportions) for the run shown
    /// and the one shown before it, so going back and forth stays quick.
    static let capacity = 6

    private let kept = Mutex<[(key: Key, plot: RunPlot)]>([])

    /// The explorer's one cache.
    static let shared = RunPlotCache()

    /// The plot of `key`, built by `build` unless kept (a failed build is not kept).
    func plot(_ key: Key, build: () -> RunPlot?) -> RunPlot? {
        if let found = kept.withLock({ list in list.first { $0.key == key }?.plot }) { return found }
        guard let plot = build() else { return nil }
        kept.withLock { list in
            list.removeAll { $0.key == key }
            list.append((key, plot))
            if list.count > Self.capacity { list.removeFirst(list.count - Self.capacity) }
        }
        return plot
    }
}
