import Foundation
import Testing
import MarginalCore
import MarginalFigure
import MarginalRuns
import TerminalUI
import TestSupport
@testable import MarginalApp

/// Issue 15, part 2: a TensorBoard run's scalars outside marginal's tag convention are drawn as
/// plain charts, every logged point where it was logged, on the monitor (`t`) and by
/// `runs plot --tag` (the same `RunPlot`).
@Suite final class RunsScalarChartTests {
    let folder: URL
    let steps = [5, 10, 20, 40]

    /// A PyTorch-style run: a loss and two scalars of its own (`train/grad_norm`, `lr_scale`),
    /// and a run that logged only its own scalars.
    init() throws {
        folder = try makeTemporaryFolder("runs-scalar-charts")
        let full = folder.appendingPathComponent("full"), plain = folder.appendingPathComponent("plain")
        for run in [full, plain] { try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true) }
        let writer = try TensorBoardEventWriter(folder: full, wallTime: 1_000)
        let alone = try TensorBoardEventWriter(folder: plain, wallTime: 1_000)
        for step in steps {
            let s = Double(step)
            try writer.write(scalars: [("loss", 1 / s), ("train/grad_norm", 0.1 * s), ("lr_scale", 1 - s / 100)], step: step, wallTime: 1_000 + 2 * s)
            try alone.write(scalars: [("accuracy", s / 50)], step: step, wallTime: 1_000 + s)
        }
    }
    deinit { try? FileManager.default.removeItem(at: folder) }

    func record(_ name: String) throws -> RunRecord {
        var run = TensorBoardRun(folder: folder.appendingPathComponent(name), name: name)
        run.update()
        return RunRecord(tensorBoard: run)
    }

    @Test func aPlainScalarIsDrawnAtEveryLoggedPoint() throws {
        let run = try record("full")
        let plot = try RunPlot(runs: [run], metric: .scalar, tag: "train/grad_norm")
        let curve = try #require(plot.curves.first)
        #expect(plot.curves.count == 1 && curve.name == "full:train/grad_norm")
        #expect(curve.x == steps.map(Double.init))
        #expect(curve.y == steps.map { Double(Float(0.1 * Double($0))) })  // float32, as TensorBoard stores them
        #expect(curve.marksSamples, "four points, each marked where it was logged")
        // The time axis: seconds since the run's first plain scalar (logged at 1 010 s).
        let timed = try RunPlot(runs: [run], metric: .scalar, axis: .time, tag: "train/grad_norm")
        #expect(timed.curves.first?.x == steps.map { 2 * Double($0) - 10 })
        // The numbers out: a column per curve, named run:tag.
        let table = plot.table()
        #expect(table.columns.map(\.name) == ["step", "full:train/grad_norm"])
        let figure = try #require(plot.figure().lineChart)
        #expect(figure.title.contains("train/grad_norm") && figure.yAxis.label == "train/grad_norm")
    }

    @Test func aMissingOrMisusedTagIsOneLineOfError() throws {
        let run = try record("full")
        func message(_ body: () throws -> RunPlot) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        let missing = message { try RunPlot(runs: [run], metric: .scalar, tag: "nope") }
        #expect(missing.contains("full has no scalar 'nope'") && missing.contains("train/grad_norm, lr_scale"), "\(missing)")
        #expect(message { try RunPlot(runs: [run], metric: .scalar) }.contains("--tag"))
        #expect(message { try RunPlot(runs: [run], metric: .loss, tag: "lr_scale") }.contains("--metric scalar"))
        // The convention's own tags are not plain scalars: they are the typed history.
        #expect(message { try RunPlot(runs: [run], metric: .scalar, tag: "loss") }.contains("no scalar 'loss'"))
    }

    func monitor(_ name: String, width: Int = 120, height: Int = 40) throws -> AppState {
        var state = AppState(screen: .runs, width: width, height: height)
        _ = send(&state, [.runsChanged([try record("full"), try record("plain")])])
        state.runs.selectedName = name
        state.runs.mode = .monitor
        return state
    }

    @Test func tStepsTheMonitorsLowerChartThroughThePlainScalars() throws {
        var state = try monitor("full")
        var text = screen(state).text()
        // Legends name each curve with its latest value: the loss (its y axis), then each scalar.
        #expect(text.contains("training loss") && !text.contains("train/grad_norm 4"), "the loss first:\n\(text)")
        #expect(text.contains("TensorBoard event files, no marginal configuration logged · 2 scalars outside the convention"), "\(text)")
        #expect(text.contains("t other scalars"), "the hint names t:\n\(text)")
        _ = send(&state, keys("t"))
        text = screen(state).text()
        #expect(text.contains("train/grad_norm 4") && !text.contains("training loss"), "the first plain scalar:\n\(text)")
        _ = send(&state, keys("t"))
        #expect(screen(state).text().contains("lr_scale 0.6"))
        _ = send(&state, keys("t"))
        #expect(screen(state).text().contains("training loss"), "after the last, the loss again")
    }

    /// At 80 and 60 columns the header says what the files lack in fewer words, whole.
    @Test func theHeaderOfARunWithoutConfigurationFitsNarrowTerminals() throws {
        for (width, height, wording) in [(80, 24, "TensorBoard, no configuration logged · 2 other scalars"),
                                         (60, 16, "TensorBoard · 2 other scalars")] {
            let text = screen(try monitor("full", width: width, height: height)).text()
            #expect(text.contains(wording), "\(width)x\(height):\n\(text)")
            // It has no trainer here: the panel offers no stop (the footer offers none either).
            #expect(!text.contains("s stops"), "\(width)x\(height):\n\(text)")
        }
    }

    @Test func aRunWithOnlyPlainScalarsShowsThemAtOnce() throws {
        var state = try monitor("plain")
        let text = screen(state).text()
        #expect(text.contains("accuracy 0.8"), "\(text)")
        #expect(text.contains("no iou/ or proportion/ tags (docs/TENSORBOARD.md) · t: 1 other scalar"), "\(text)")
        #expect(!text.contains("no training step logged yet"))
        // Its export is the plain scalar's figure and numbers.
        let request = try #require(state.runs.export())
        #expect(request.name == "runs-scalar-plain-accuracy" && request.table.columns.map(\.name) == ["step", "plain:accuracy"])
        // With no loss to come back to, t stays on its one scalar.
        _ = send(&state, keys("t"))
        #expect(screen(state).text().contains("accuracy 0.8"))
    }
}
