import Foundation
import MarginalCore
import Testing
import TestSupport
@testable import MarginalRuns

/// A TensorBoard run read as a run: its tags (docs/TENSORBOARD.md) back to the typed lines the
/// monitor, `runs compare` and `runs plot` draw (`TensorBoardTags.reading`), its notes, its
/// liveness, through the watcher the Runs screen polls.
@Suite final class TensorBoardReadingTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("tensorboard-reading") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    static let classes = ["background", "lesion"]

    /// An evaluation with every field the convention carries, its numbers from `step`.
    static func evaluation(_ step: Int) -> EvalLine {
        let s = Double(step)
        let result = EvaluationResult(iou: [0.9 + s / 1000, s / 100], miou: (0.9 + s / 1000 + s / 100) / 2, dice: [0.95, s / 90],
                                      predProportion: [0.97, 0.03], hardProportion: [0.98 - s / 1000, 0.02 + s / 1000],
                                      targetProportion: [0.975, 0.025], loss: 0.5 / s, hd95: nil, nsd: nil,
                                      temperedProportion: [0.96, 0.04])
        return EvalLine(step: step, epoch: s / 10, time: s, result: result)
    }

    static func training(_ step: Int) -> TrainLine {
        TrainLine(step: step, epoch: Double(step) / 10, time: Double(step), lr: 1e-3, loss: 2 / Double(step), ce: 1.5 / Double(step), reg: 0.5 / Double(step))
    }

    /// marginal's writer, metrics lines under the convention → `RunRecord(tensorBoard:)`: every
    /// value of the lines, at float32 (simple_value), under the classes the tags name.
    @Test func marginalsEventsReadBackAsTheLinesWritten() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 1_000)
        let steps = [10, 20, 30]
        for step in steps {
            try writer.write(scalars: TensorBoardTags.scalars(of: Self.training(step)), step: step, wallTime: 1_000 + Double(step))
            try writer.write(scalars: TensorBoardTags.scalars(of: Self.evaluation(step), classNames: Self.classes) + [("custom/gnorm", Double(step))],
                             step: step, wallTime: 1_000 + Double(step))
        }
        var run = TensorBoardRun(folder: folder, name: ".")
        run.update()
        let record = RunRecord(tensorBoard: run)
        func f(_ x: Double) -> Double { Double(Float(x)) }
        func f(_ x: Double?) -> Double? { x.map(f) }
        #expect(record.classNames == Self.classes)
        #expect(!record.configurationKnown && record.datasetLabel == "tensorboard" && record.lossLabel == "–")
        #expect(record.history.train.map(\.step) == steps)
        for (line, step) in zip(record.history.train, steps) {
            let expected = Self.training(step)
            #expect(line.loss == f(expected.loss) && line.ce == f(expected.ce) && line.reg == f(expected.reg))
            #expect(line.lr == f(expected.lr) && line.epoch == f(expected.epoch) && line.time == Double(step - steps[0]))  // seconds since the first scalar
        }
        #expect(record.evaluations.map(\.step) == steps)
        for (line, step) in zip(record.evaluations, steps) {
            let expected = Self.evaluation(step).result, read = line.result
            #expect(read.iou == expected.iou.map(f) && read.miou == f(expected.miou) && read.dice == expected.dice.map(f))
            #expect(read.predProportion == expected.predProportion.map(f) && read.hardProportion == expected.hardProportion.map(f))
            #expect(read.targetProportion == expected.targetProportion.map(f) && read.temperedProportion == expected.temperedProportion?.map(f))
            #expect(read.loss == f(expected.loss) && read.hd95 == nil && read.nsd == nil)
        }
        #expect(record.tensorBoard?.otherScalars.map(\.tag) == ["custom/gnorm"])
        #expect(record.tensorBoard?.otherScalars.first?.points.map(\.value) == [10, 20, 30])
        // Just written: running, with no pid (never offered a stop); a minute later, done.
        #expect(record.state == .running && record.trainerPID == nil)
        #expect(RunRecord(tensorBoard: run, now: Date().addingTimeInterval(120)).state == .done)
    }

    /// A run logging IoU only (no miou, no proportions): mIoU is the mean of the IoUs logged at
    /// the step; a class missing at a step is nil there; the loss alone makes train lines.
    @Test func aSparseRunReadsWithTheGapsAsGaps() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 0)
        try writer.write(scalars: [("loss", 1), ("iou/road", 0.5), ("iou/car", 0.25)], step: 1, wallTime: 0)
        try writer.write(scalars: [("iou/road", 0.75)], step: 2, wallTime: 1)
        var run = TensorBoardRun(folder: folder, name: ".")
        run.update()
        let record = RunRecord(tensorBoard: run)
        #expect(record.classNames == ["road", "car"])
        #expect(record.evaluations.map(\.result.iou) == [[0.5, 0.25], [0.75, nil]])
        #expect(record.evaluations.map(\.result.miou) == [0.375, 0.75])
        #expect(record.evaluations.allSatisfy { $0.result.predProportion.isEmpty && $0.result.temperedProportion == nil })
        #expect(record.history.train.map(\.ce) == [1] && record.history.train.map(\.reg) == [0])
    }

    /// marginal's `config` text makes the configuration the run's own (dataset, loss, λ, τ).
    @Test func aRecordedConfigurationIsTheRunsOwn() throws {
        var configuration = RunConfiguration(dataset: .synthetic(.lesions), loss: .ceL1, lambda: 0.5, tau: 5, steps: 100, batch: 4,
                                             learningRate: 1e-3, optimizer: .adam, seed: 3, size: 32, width: 8, evalEvery: 10, threads: 1)
        configuration.classNames = Self.classes
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 0)
        try writer.write(text: json.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"), tag: "config", step: 0)
        try writer.write(scalars: TensorBoardTags.scalars(of: Self.evaluation(10), classNames: ["lesion-first", "other"]), step: 10)
        var run = TensorBoardRun(folder: folder, name: ".")
        run.update()
        let record = RunRecord(tensorBoard: run)
        #expect(record.configurationKnown && record.configuration.loss == .ceL1 && record.lambda == 0.5 && record.datasetLabel == "lesions")
        // The configuration's classes, not the tags' order, say which value is which class.
        #expect(record.classNames == Self.classes)
    }

    /// The watcher lists a TensorBoard run beside run folders and follows it: an appended record
    /// shows at the next poll, a half-written one waits, a corrupt one is skipped with a note
    /// naming the file, an idle poll answers nil.
    @Test func theWatcherFollowsAGrowingEventFile() throws {
        let logdir = folder.appendingPathComponent("pytorch")
        try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
        let source = try TensorBoardEventWriter(folder: folder.appendingPathComponent("source", isDirectory: true).creatingFolder(), wallTime: 0)
        for step in 1 ... 4 { try source.write(scalars: TensorBoardTags.scalars(of: Self.evaluation(step), classNames: Self.classes), step: step) }
        let records = TFRecord.scan(try Data(contentsOf: source.url)).records
        let bytes = try Data(contentsOf: source.url)
        func end(_ index: Int) -> Int { index + 1 < records.count ? records[index + 1].offset : bytes.count }
        let file = logdir.appendingPathComponent("events.out.tfevents.1.host")
        try bytes.prefix(end(1)).write(to: file)  // the version and step 1
        let watcher = RunWatcher(folder: folder)
        func run(_ runs: [RunRecord]?) -> RunRecord? { runs?.first { $0.name == "pytorch" } }
        #expect(run(watcher.poll())?.evaluations.map(\.step) == [1])
        #expect(watcher.poll() == nil)
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        handle.write(bytes[end(1) ..< end(2) - 5])  // step 2, its last bytes not yet written
        #expect(watcher.poll() == nil)
        handle.write(bytes[end(2) - 5 ..< end(2)])
        #expect(run(watcher.poll())?.evaluations.map(\.step) == [1, 2])
        var damaged = bytes[end(2) ..< end(3)]
        damaged[damaged.startIndex + 20] ^= 0x01
        handle.write(damaged + bytes[end(3) ..< end(4)])
        try handle.close()
        let read = try #require(run(watcher.poll()))
        #expect(read.evaluations.map(\.step) == [1, 2, 4])
        #expect(read.tensorBoard?.notes.count == 1 && read.tensorBoard?.notes.first?.hasPrefix(file.path + ": record at byte") == true)
    }

    /// Truncated and bit-flipped event files through the whole reading path: no trap, every note
    /// names the file, the typed lines hold a value per class named.
    @Test func fuzzedEventFilesReadWithoutACrash() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 0)
        try writer.write(text: "    {\"loss\": \"ce\"}", tag: "config", step: 0)
        for step in 1 ... 12 {
            try writer.write(scalars: TensorBoardTags.scalars(of: Self.training(step)), step: step)
            try writer.write(scalars: TensorBoardTags.scalars(of: Self.evaluation(step), classNames: Self.classes), step: step)
        }
        let runFolder = try folder.appendingPathComponent("fuzzed", isDirectory: true).creatingFolder()
        let file = runFolder.appendingPathComponent("events.out.tfevents.0.fuzz")
        var fuzzer = MutationFuzzer(corpus: [try Data(contentsOf: writer.url)], seed: MutationFuzzer.seed(default: 15))
        fuzzer.run("tensorboard-run", count: MutationFuzzer.count(default: 300)) { input in
            try? input.write(to: file)
            var run = TensorBoardRun(folder: runFolder, name: "fuzzed")
            run.update()
            let record = RunRecord(tensorBoard: run)
            #expect(record.tensorBoard?.notes.allSatisfy { $0.hasPrefix(file.path + ": ") } == true)
            // Every class the typed lines carry is one the run's tags name.
            #expect(record.evaluations.allSatisfy { $0.result.iou.count == record.classNames.count })
            return run.notes.isEmpty
        }
    }
}

private extension URL {
    func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
