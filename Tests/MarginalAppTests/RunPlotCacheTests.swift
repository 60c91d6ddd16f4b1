import Foundation
import Testing
import MarginalCore
import MarginalRuns
import TestSupport
@testable import MarginalApp

/// The monitor keeps its figures by what determines them: a kept figure is never one of
/// other data — a run that gained lines, or whose file was rewritten with the same number of
/// lines but other values (a resume), draws its new numbers at once.
@Suite struct RunPlotCacheTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("run-plot-cache") }

    func write(_ name: String, iou: Double, evaluations: Int) throws -> RunRecord {
        let run = try RunFixture(runsFolder: folder, name: name, loss: "ce_l1", steps: 1000)
        for step in stride(from: 50, through: 50 * evaluations, by: 50) {
            try run.append(RunFixture.trainLine(step: step, time: Double(step), loss: iou, ce: iou / 2))
            try run.append(RunFixture.evalLine(step: step, time: Double(step), iou: [iou, iou, iou], soft: [0.5, 0.3, 0.2],
                                               hard: [0.5, 0.3, 0.2], target: [0.5, 0.3, 0.2]))
        }
        return try #require(RunRecord.all(in: folder).first { $0.name == name })
    }

    func monitor(_ run: RunRecord) -> RunsScreen {
        var state = AppState(screen: .runs, width: 120, height: 40)
        _ = send(&state, [.runsChanged([run])])
        state.runs.selectedName = run.name
        state.runs.mode = .monitor
        return state.runs
    }

    /// The IoU of class 0 the monitor's figure draws, at each evaluation.
    func drawnIoU(_ screen: RunsScreen) throws -> [Double?] {
        let run = try #require(screen.selectedRun)
        return try #require(screen.plot(run, .iou)).curves.first { $0.classIndex == 0 }?.y ?? []
    }

    @Test func aRunThatChangedDrawsItsNewNumbers() throws {
        let first = try write("a", iou: 0.5, evaluations: 3)
        #expect(try drawnIoU(monitor(first)) == [0.5, 0.5, 0.5])
        #expect(try drawnIoU(monitor(first)) == [0.5, 0.5, 0.5])  // kept: the same figure
        // More lines.
        let grown = try write("b", iou: 0.5, evaluations: 4)
        #expect(try drawnIoU(monitor(grown)) == [0.5, 0.5, 0.5, 0.5])
        // The same name, configuration and number of lines, other values (a rewritten file).
        try FileManager.default.removeItem(at: folder.appendingPathComponent("a"))
        let rewritten = try write("a", iou: 0.7, evaluations: 3)
        #expect(rewritten.name == first.name && rewritten.configuration == first.configuration)
        #expect(try drawnIoU(monitor(rewritten)) == [0.7, 0.7, 0.7])
        // Each plot the cache gives equals one built afresh from the same settings.
        let screen = monitor(rewritten)
        let fresh = try RunPlot(runs: [rewritten], metric: .iou, axis: screen.axis, smoothing: screen.smoothing,
                                xRange: screen.xRange(rewritten), plannedSteps: rewritten.configuration.steps)
        #expect(screen.plot(rewritten, .iou)?.figure() == fresh.figure())
    }

    /// A history's revision names its lines: a copy keeps it, a change takes a new one, and
    /// equality is the lines' alone.
    @Test func aHistoryTakesANewRevisionWhenItsLinesChange() {
        let line = RunFixture.trainLine(step: 10, time: 1, loss: 0.9, ce: 0.7)
        var history = RunHistory(lines: [line])
        let copy = history
        #expect(copy.revision == history.revision)
        history.add([RunFixture.trainLine(step: 20, time: 2, loss: 0.8, ce: 0.6)])
        #expect(history.revision != copy.revision)
        let again = RunHistory(lines: [line])
        #expect(again == copy && again.revision != copy.revision)
    }
}
