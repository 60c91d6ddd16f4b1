import Foundation
import Testing
import TestSupport
@testable import MarginalRuns

/// The hand-written reader of plain scalar events (`ScalarEventReader`) against swift-protobuf,
/// the reference: on every file and record, the tail that reads by hand where it can and the
/// tail that decodes everything with swift-protobuf give the same entries and notes.
@Suite final class TensorBoardDecoderTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("tensorboard-decoder") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Entries as comparable text, numbers by their bits (a NaN equals itself here).
    static func key(_ entries: [TensorBoardEntry]) -> [String] {
        entries.map { entry in
            switch entry {
            case .scalar(let s): "scalar \(s.tag) \(s.step) \(s.wallTime.bitPattern) \(s.value.bitPattern)"
            case .text(let tag, let step, let text): "text \(tag) \(step) \(text)"
            case .start(let step): "start \(step)"
            }
        }
    }

    /// Both tails over `file`; each reads it once.
    static func bothReadings(of file: URL) -> (byHand: (entries: [String], notes: [String]), reference: (entries: [String], notes: [String])) {
        var byHand = TensorBoardEventTail(url: file, decodingByHand: true)
        var reference = TensorBoardEventTail(url: file, decodingByHand: false)
        let (fast, fastNotes) = byHand.read()
        let (slow, slowNotes) = reference.read()
        return ((key(fast), fastNotes), (key(slow), slowNotes))
    }

    /// How many of the file's records the hand-written reader takes.
    static func recordsReadByHand(in file: URL) throws -> (byHand: Int, all: Int) {
        let records = try TFRecord.scan(Data(contentsOf: file)).records
        var reader = ScalarEventReader()
        var entries: [TensorBoardEntry] = []
        let taken = records.filter { record in record.data.withUnsafeBytes { reader.read($0, into: &entries) } }
        return (taken.count, records.count)
    }

    static func value(_ tag: String, _ number: Float) -> Tensorboard_Summary.Value {
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.simpleValue = number
        return value
    }

    static func event(step: Int64, wallTime: Double = 1_700_000_000.25, _ values: [Tensorboard_Summary.Value]) -> Tensorboard_Event {
        var event = Tensorboard_Event()
        event.step = step
        event.wallTime = wallTime
        event.summary.value = values
        return event
    }

    /// Records of the plain shape, and records next to it that the reader must leave to
    /// swift-protobuf: a negative step, a tag that is not ASCII, a value without a number, an
    /// empty summary, metadata, a tensor, an unknown field, a repeated field (two events'
    /// bytes one after the other: protobuf merges them), a file version, a session start.
    static var corpus: [Data] {
        var withMetadata = value("m", 0.5)
        withMetadata.metadata.pluginData.pluginName = "scalars"
        var tensor = Tensorboard_Summary.Value()
        tensor.tag = "t"
        tensor.tensor.dtype = .dtFloat
        tensor.tensor.floatVal = [0.75]
        var tagOnly = Tensorboard_Summary.Value()
        tagOnly.tag = "no value"
        var unknown = event(step: 3, [value("u", 1)])
        unknown.sourceMetadata.writer = "someone"
        var version = Tensorboard_Event()
        version.wallTime = 1
        version.fileVersion = "brain.Event:2"
        var start = Tensorboard_Event()
        start.step = 7
        start.sessionLog.status = .start
        let plain = [event(step: 1, [value("loss", 0.5), value("ce", 0.25), value("proportion/target/background", 0.97)]),
                     event(step: 0, wallTime: 0, [value("", 0)]),
                     event(step: 1 << 40, [value("lr", .nan), value("x", -.infinity)]),
                     event(step: 2, [tagOnly, value("loss", 1)]),
                     event(step: 3, []),
                     Tensorboard_Event()]
        let other = [event(step: -1, [value("loss", 1)]), event(step: 1, [value("lösung", 1)]), event(step: 5, [withMetadata]),
                     event(step: 6, [tensor]), unknown, version, start]
        var bytes = (plain + other).map { try! $0.serializedBytes() as Data }
        bytes.append(bytes[0] + bytes[3])  // merged: the later step, both summaries' values
        return bytes
    }

    /// The corpus framed in one file: both readings agree, and the plain records were read by hand.
    @Test func writtenAndOddEventsReadAlike() throws {
        let file = folder.appendingPathComponent("events.out.tfevents.1.odd")
        try Self.corpus.map(TFRecord.frame).reduce(Data(), +).write(to: file)
        let (byHand, reference) = Self.bothReadings(of: file)
        #expect(byHand.entries == reference.entries)
        #expect(byHand.notes == reference.notes && byHand.notes.isEmpty)
        #expect(reference.entries.contains("scalar proportion/target/background 1 \((1_700_000_000.25).bitPattern) \(Double(0.97 as Float).bitPattern)"))
        #expect(reference.entries.contains("scalar lösung 1 \((1_700_000_000.25).bitPattern) \(1.0.bitPattern)"))
        let counts = try Self.recordsReadByHand(in: file)
        #expect(counts.byHand == 6 && counts.all == Self.corpus.count, "\(counts)")
    }

    /// Files written by PyTorch's `SummaryWriter` (scalars plain and `new_style`, in double
    /// precision, grouped by `add_scalars`, a text, a histogram) and by marginal's writer: read
    /// alike, and the plain scalars by hand.
    @Test func summaryWriterFilesReadAlike() throws {
        let script = """
        import sys
        import numpy as np
        from torch.utils.tensorboard import SummaryWriter
        w = SummaryWriter(sys.argv[1])
        w.add_text("config", "hello", 0)
        for step in range(1, 40):
            w.add_scalar("loss", 1.0 / step, step)
            w.add_scalar("iou/lesion", step / 40, step, new_style=True)
            w.add_scalar("lr", 1e-3 / step, step, new_style=True, double_precision=True)
            if step % 10 == 0:
                w.add_scalars("proportion", {"soft": 0.1, "hard": 0.2}, step)
                w.add_histogram("weights", np.array([0.1 * step, 0.2, 0.3]), step)
        w.close()
        """
        let logdir = folder.appendingPathComponent("pytorch")
        let result = try ProjectPython.run(["-c", script, logdir.path])
        #expect(result.status == 0, "\(result.error)")
        let marginal = folder.appendingPathComponent("marginal")
        try FileManager.default.createDirectory(at: marginal, withIntermediateDirectories: true)
        let writer = try TensorBoardEventWriter(folder: marginal, wallTime: 5)
        try writer.write(text: "config", tag: "config", step: 0)
        for step in 1 ... 20 { try writer.write(scalars: [("loss", 1 / Double(step)), ("iou/a", 0.5)], step: step) }
        try writer.writeStart(step: 10)
        let runs = TensorBoardRun.runs(in: folder, skippingMarginalRuns: false)
        let files = runs.flatMap { TensorBoardEventWriter.eventFiles(in: $0.folder) }
        #expect(files.count >= 4, "\(runs.map(\.name))")  // SummaryWriter's, add_scalars' two, marginal's
        var readByHand = 0
        for file in files {
            let (byHand, reference) = Self.bothReadings(of: file)
            #expect(byHand.entries == reference.entries, "\(file.lastPathComponent)")
            #expect(byHand.notes == reference.notes && byHand.notes.isEmpty, "\(byHand.notes)")
            readByHand += try Self.recordsReadByHand(in: file).byHand
        }
        #expect(readByHand >= 39 + 6 + 20, "the plain scalars of every writer are read by hand")
    }

    /// Mutated records (not framed, so that the mutations reach the decoder rather than the
    /// checksum): whatever the hand-written reader takes, swift-protobuf reads to the same entries.
    @Test func fuzzedRecordsReadAlike() {
        var fuzzer = MutationFuzzer(corpus: Self.corpus, seed: MutationFuzzer.seed(default: 15))
        var disagreements: [Data] = []
        var reader = ScalarEventReader()
        let count = MutationFuzzer.count(default: 20_000)
        let (taken, _) = fuzzer.run("tensorboard-event", count: count) { data in
            var fast: [TensorBoardEntry] = []
            var reference: [TensorBoardEntry] = []
            var tail = TensorBoardEventTail(url: URL(fileURLWithPath: "/nonexistent"), decodingByHand: false)
            let decoded = data.withUnsafeBytes { tail.read(record: $0, into: &reference) }
            guard data.withUnsafeBytes({ reader.read($0, into: &fast) }) else {
                if !fast.isEmpty { disagreements.append(data) }  // refused, yet appended
                return false
            }
            if !decoded || Self.key(fast) != Self.key(reference) { disagreements.append(data) }
            return true
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3).map { Array($0) })")
        #expect(taken * 50 > count, "the fuzzing reaches the hand-written reading (\(taken) of \(count))")
    }
}
