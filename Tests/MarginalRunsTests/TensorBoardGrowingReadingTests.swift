import Foundation
import Testing
import TestSupport
@testable import MarginalRuns

/// A growing TensorBoard run, read a little at a time as the watcher reads it
/// (`TensorBoardRun.reading()` makes only the steps that changed), reads at each look exactly
/// as the same scalars read whole — through new steps, a tag stepping back, a session START, a
/// class appearing late, a tag outside the convention and an earlier wall time.
@Suite final class TensorBoardGrowingReadingTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("tensorboard-growing") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    func train(_ step: Int) -> [(tag: String, value: Double)] {
        TensorBoardTags.scalars(of: TrainLine(step: step, epoch: Double(step) / 8, time: 0, lr: 1e-3, loss: 2 / Double(step),
                                              ce: 1.5 / Double(step), reg: 0.5 / Double(step)))
    }

    func evaluation(_ step: Int, classes: [String]) -> [(tag: String, value: Double)] {
        let k = classes.count, s = Double(step)
        let result = EvaluationResult(iou: (0 ..< k).map { 0.5 + Double($0) / 10 + s / 1000 }, miou: nil, dice: (0 ..< k).map { _ in s / 200 },
                                      predProportion: (0 ..< k).map { _ in 1 / Double(k) }, hardProportion: (0 ..< k).map { _ in 1 / Double(k) },
                                      targetProportion: (0 ..< k).map { _ in 1 / Double(k) }, loss: 1 / s, hd95: nil, nsd: nil)
        return TensorBoardTags.scalars(of: EvalLine(step: step, epoch: 0, time: 0, result: result), classNames: classes)
    }

    @Test func aGrowingRunReadsAsItsWholeReading() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 1_000)
        var growing = TensorBoardRun(folder: folder, name: ".")
        var looks = 0
        func look() {
            growing.update()
            let read = growing.reading()
            var whole = TensorBoardRun(folder: folder, name: ".")
            whole.update()
            #expect(read == TensorBoardTags.reading(whole.scalars, order: whole.tagOrder), "look \(looks)")
            #expect(RunRecord(tensorBoard: growing, reading: read, now: Date(timeIntervalSince1970: 0)).history
                    == RunRecord(tensorBoard: whole, now: Date(timeIntervalSince1970: 0)).history)
            looks += 1
        }
        var classes = ["background", "lesion"]
        func write(_ steps: ClosedRange<Int>, wallTime: (Int) -> Double = { 1_000 + Double($0) }) throws {
            for step in steps {
                try writer.write(scalars: train(step), step: step, wallTime: wallTime(step))
                if step % 5 == 0 { try writer.write(scalars: evaluation(step, classes: classes), step: step, wallTime: wallTime(step) + 0.5) }
            }
        }
        look()  // no scalars yet
        try write(1 ... 12); look()
        look()  // nothing new
        try write(13 ... 30); look()
        // The loss steps back to 20: its points from 20 on are dropped, the other tags keep theirs.
        try writer.write(scalars: [("loss", 9)], step: 20, wallTime: 1_040); look()
        // A resumed session from step 25: every tag's points from 25 on are dropped.
        try writer.writeStart(step: 25, wallTime: 1_050)
        try write(25 ... 35, wallTime: { 1_050 + Double($0) }); look()
        // A class logged from step 40 on: every evaluation gains a column.
        classes.append("organ")
        try write(36 ... 45); look()
        // A tag outside the convention, then a point with an earlier wall time than the first.
        try writer.write(scalars: [("custom/gnorm", 1.5)], step: 46, wallTime: 1_100); look()
        try writer.write(scalars: [("loss", 0.1)], step: 47, wallTime: 900); look()
        try write(48 ... 60); look()
        #expect(growing.reading().history.train.count > 40 && growing.reading().history.evaluations.count > 8)
    }
}
