import Foundation
import MarginalCore
import Testing
import TestSupport
@testable import MarginalRuns

/// TensorBoard event files: the checksum, the framing, the writer and the reader (docs/TENSORBOARD.md).
@Suite final class TensorBoardTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("tensorboard") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The CRC-32C test vectors of RFC 3720, appendix B.4, and "123456789" (the check value of
    /// the CRC catalogue, reveng.sourceforge.io, CRC-32/ISCSI).
    @Test func crc32cMatchesTheStandardVectors() {
        #expect(crc32c(Array("123456789".utf8)) == 0xE306_9283)
        #expect(crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(crc32c([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(crc32c((0 ..< 32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(crc32c([UInt8]()) == 0)
        // TensorFlow's mask: rotate right by 15, add 0xa282ead8.
        let crc: UInt32 = 0xE306_9283
        #expect(maskedCRC32C(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    }

    /// The framing, byte by byte: length, its masked CRC, the data, the data's masked CRC.
    @Test func aRecordIsLengthCRCDataCRC() {
        let data = Data("abc".utf8)
        let record = TFRecord.frame(data)
        #expect(record.count == 12 + 3 + 4)
        #expect(Array(record.prefix(8)) == [3, 0, 0, 0, 0, 0, 0, 0])
        #expect(record.littleEndianUInt32(at: 8) == maskedCRC32C([3, 0, 0, 0, 0, 0, 0, 0]))
        #expect(record[12 ..< 15] == data)
        #expect(record.littleEndianUInt32(at: 15) == maskedCRC32C(data))
        let scan = TFRecord.scan(record + TFRecord.frame(Data()))
        #expect(scan.records.map(\.data) == [data, Data()] && scan.end == 19 + 16 && scan.notes.isEmpty)
    }

    /// Scalars, the text and a session start come back from the file as they were written.
    @Test func writtenEventsReadBack() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 1_700_000_000)
        #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents.1700000000."))
        try writer.write(text: "    {\"loss\": \"ce\"}", tag: "config", step: 0)
        try writer.write(scalars: [("loss", 0.5), ("iou/lesion", 0.25)], step: 1, wallTime: 1_700_000_001)
        try writer.writeStart(step: 2)
        var tail = TensorBoardEventTail(url: writer.url)
        let (entries, notes) = tail.read()
        #expect(notes.isEmpty)
        #expect(entries == [
            .text(tag: "config", step: 0, text: "    {\"loss\": \"ce\"}"),
            .scalar(TensorBoardScalar(tag: "loss", step: 1, wallTime: 1_700_000_001, value: 0.5)),
            .scalar(TensorBoardScalar(tag: "iou/lesion", step: 1, wallTime: 1_700_000_001, value: 0.25)),
            .start(step: 2),
        ])
        #expect(tail.read().entries.isEmpty, "nothing new")
        // The first record is the file version, as TensorBoard expects.
        let first = try #require(TFRecord.scan(Data(contentsOf: writer.url)).records.first)
        #expect(try Tensorboard_Event(serializedBytes: first.data).fileVersion == "brain.Event:2")
    }

    /// A later writer in the same second still sorts after the first file.
    @Test func aSecondFileSortsAfterTheFirst() throws {
        let first = try TensorBoardEventWriter(folder: folder, wallTime: 1_700_000_000)
        let second = try TensorBoardEventWriter(folder: folder, wallTime: 1_700_000_000)
        #expect(TensorBoardEventWriter.eventFiles(in: folder) == [first.url, second.url])
        #expect(second.url.lastPathComponent.hasPrefix("events.out.tfevents.1700000001."))
    }

    /// A resumed run: the second file starts at step 21 after the first logged up to 30; the
    /// run reads as one curve, 1…40, without the first file's 21…30.
    @Test func aResumedRunReadsAsOneCurve() throws {
        let first = try TensorBoardEventWriter(folder: folder, wallTime: 100)
        for step in stride(from: 10, through: 30, by: 10) { try first.write(scalars: [("loss", Double(step))], step: step) }
        let second = try TensorBoardEventWriter(folder: folder, wallTime: 100)
        try second.writeStart(step: 21)
        for step in stride(from: 30, through: 40, by: 10) { try second.write(scalars: [("loss", Double(step) + 0.5)], step: step) }
        var run = TensorBoardRun(folder: folder, name: ".")
        let changed = run.update()
        #expect(changed)
        #expect(run.scalars["loss"]?.map(\.step) == [10, 20, 30, 40])
        #expect(run.scalars["loss"]?.map(\.value) == [10, 20, 30.5, 40.5])
        let changedAgain = run.update()
        #expect(!changedAgain, "nothing new")
    }

    /// A record still being written waits for the rest of its bytes, then reads whole.
    @Test func aHalfWrittenRecordWaits() throws {
        let source = try TensorBoardEventWriter(folder: folder, wallTime: 5)
        for step in 1 ... 3 { try source.write(scalars: [("loss", Double(step))], step: step) }
        let bytes = try Data(contentsOf: source.url)
        let growing = folder.appendingPathComponent("growing.tfevents")
        var tail = TensorBoardEventTail(url: growing)
        var steps: [Int] = []
        for cut in [5, 30, bytes.count - 7, bytes.count - 1, bytes.count] {
            try bytes.prefix(cut).write(to: growing)
            let (entries, notes) = tail.read()
            #expect(notes.isEmpty, "a half-written record is no corruption: \(notes)")
            for case .scalar(let scalar) in entries { steps.append(scalar.step) }
            if cut < bytes.count { #expect(!steps.contains(3)) }
        }
        #expect(steps == [1, 2, 3])
    }

    /// A flipped bit in a record's data: that record is skipped with a note naming the file and
    /// the byte; the records after it read. A flipped bit in a length: the bytes up to the next
    /// good header are skipped.
    @Test func aCorruptRecordIsSkippedWithANote() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 5)
        for step in 1 ... 3 { try writer.write(scalars: [("loss", Double(step))], step: step) }
        let bytes = try Data(contentsOf: writer.url)
        let records = TFRecord.scan(bytes).records
        #expect(records.count == 4)
        for (place, expectedNote) in [(records[2].offset + 14, "record at byte \(records[2].offset): its data fails its CRC"),
                                      (records[2].offset + 1, "bytes \(records[2].offset)–")] {
            var damaged = bytes
            damaged[place] ^= 0x10
            let file = folder.appendingPathComponent("damaged-\(place).tfevents")
            try damaged.write(to: file)
            var tail = TensorBoardEventTail(url: file)
            let (entries, notes) = tail.read()
            #expect(notes.count == 1 && notes[0].hasPrefix(file.path + ": " + expectedNote), "\(notes)")
            let steps = entries.compactMap { entry -> Int? in if case .scalar(let s) = entry { s.step } else { nil } }
            #expect(steps == [1, 3])
        }
    }

    /// Truncated and bit-flipped files never crash the reader; every note names the file.
    @Test func fuzzedFilesNeverCrash() throws {
        let writer = try TensorBoardEventWriter(folder: folder, wallTime: 5)
        try writer.write(text: "config", tag: "config", step: 0)
        for step in 1 ... 20 { try writer.write(scalars: [("loss", Double(step)), ("iou/a", 0.5)], step: step) }
        let bytes = try Data(contentsOf: writer.url)
        var random = SeededGenerator(seed: 7)
        let file = folder.appendingPathComponent("fuzz.tfevents")
        for trial in 0 ..< 300 {
            var damaged = bytes.prefix(Int(random.next() % UInt64(bytes.count + 1)))
            for _ in 0 ..< Int(random.next() % 4) where !damaged.isEmpty {
                damaged[damaged.startIndex + Int(random.next() % UInt64(damaged.count))] ^= UInt8(1 << (random.next() % 8))
            }
            if trial % 3 == 0 { damaged += Data((0 ..< Int(random.next() % 40)).map { _ in UInt8(random.next() % 256) }) }
            try Data(damaged).write(to: file)
            var tail = TensorBoardEventTail(url: file)
            let (entries, notes) = tail.read()
            #expect(notes.allSatisfy { $0.hasPrefix(file.path + ": ") })
            #expect(entries.count <= 41)
            // The same as swift-protobuf's reading of every record (TensorBoardDecoderTests).
            var reference = TensorBoardEventTail(url: file, decodingByHand: false)
            let (referenceEntries, referenceNotes) = reference.read()
            #expect(TensorBoardDecoderTests.key(entries) == TensorBoardDecoderTests.key(referenceEntries) && notes == referenceNotes)
        }
    }

    /// Scalars as tensors, the way TensorFlow 2 and PyTorch's `new_style` write them: a float
    /// under the "scalars" plugin (in float_val or as raw bytes), a double, and a later value
    /// of the same tag without the metadata.
    @Test func tensorScalarsRead() throws {
        func value(_ tag: String, plugin: String?, _ fill: (inout Tensorboard_TensorProto) -> Void) -> Tensorboard_Summary.Value {
            var value = Tensorboard_Summary.Value()
            value.tag = tag
            if let plugin { value.metadata.pluginData.pluginName = plugin }
            var tensor = Tensorboard_TensorProto()
            fill(&tensor)
            value.tensor = tensor
            return value
        }
        var event = Tensorboard_Event()
        event.step = 4
        event.summary.value = [
            value("a", plugin: "scalars") { $0.dtype = .dtFloat; $0.floatVal = [0.25] },
            value("b", plugin: "scalars") { $0.dtype = .dtFloat; $0.tensorContent = Data([0, 0, 0x80, 0x3F]) },  // 1.0f
            value("c", plugin: "scalars") { $0.dtype = .dtDouble; $0.doubleVal = [0.1] },
            value("t", plugin: "text") { $0.dtype = .dtString; $0.stringVal = [Data("hi".utf8)] },
        ]
        var later = Tensorboard_Event()
        later.step = 5
        later.summary.value = [value("a", plugin: nil) { $0.dtype = .dtFloat; $0.tensorContent = Data([0, 0, 0, 0x3F]) }]  // 0.5f
        let file = folder.appendingPathComponent("tf2.tfevents")
        try (TFRecord.frame(event.serializedBytes()) + TFRecord.frame(later.serializedBytes())).write(to: file)
        var run = TensorBoardRun(folder: folder, name: ".")
        run.update()
        #expect(run.tags == ["a", "b", "c"])
        #expect(run.scalars["a"]?.map(\.value) == [0.25, 0.5])
        #expect(run.scalars["b"]?.map(\.value) == [1.0])
        #expect(run.scalars["c"]?.map(\.value) == [0.1])
        #expect(run.texts["t"] == "hi")
        #expect(run.notes.isEmpty)
    }

    /// The tag convention of docs/TENSORBOARD.md, spelled out.
    @Test func metricsLinesHaveTheConventionsTags() {
        let train = TrainLine(step: 10, epoch: 0.5, time: 1, lr: 1e-3, loss: 0.9, ce: 0.7, reg: 0.2)
        #expect(TensorBoardTags.scalars(of: train).map(\.tag) == ["loss", "ce", "reg", "lr", "epoch"])
        let result = EvaluationResult(iou: [0.9, nil], miou: 0.9, dice: [0.95, nil], predProportion: [0.8, 0.2],
                                      hardProportion: [0.85, 0.15], targetProportion: [0.9, 0.1], loss: 0.4, hd95: 3, nsd: nil,
                                      temperedProportion: [0.88, 0.12])
        let eval = EvalLine(step: 10, epoch: 0.5, time: 1, result: result)
        let scalars = TensorBoardTags.scalars(of: eval, classNames: ["background", "lesion"])
        #expect(scalars.map(\.tag) == [
            "miou", "validation/loss", "iou/background", "dice/background",
            "proportion/target/background", "proportion/target/lesion", "proportion/soft/background", "proportion/soft/lesion",
            "proportion/tau/background", "proportion/tau/lesion", "proportion/hard/background", "proportion/hard/lesion", "hd95",
        ])
        #expect(scalars.map(\.value) == [0.9, 0.4, 0.9, 0.95, 0.9, 0.1, 0.8, 0.2, 0.88, 0.12, 0.85, 0.15, 3])
    }

    /// A logdir's runs: every folder with an event file, marginal's own run folders left out.
    @Test func aLogdirsRunsAreFoundAsTensorBoardFindsThem() throws {
        for path in ["a", "b/c", "marginal-run", "empty"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        for path in ["a", "b/c", "marginal-run"] { _ = try TensorBoardEventWriter(folder: folder.appendingPathComponent(path)) }
        try Data("{}".utf8).write(to: folder.appendingPathComponent("marginal-run/config.json"))
        #expect(TensorBoardRun.runs(in: folder).map(\.name) == ["a", "b/c"])
        #expect(TensorBoardRun.runs(in: folder, skippingMarginalRuns: false).map(\.name) == ["a", "b/c", "marginal-run"])
        #expect(TensorBoardRun.runs(in: folder.appendingPathComponent("a")).map(\.name) == ["."])
    }
}
