import Foundation
import Testing
import MarginalCore
import MarginalDatasets
import MarginalRuns
@testable import MarginalEngine
import TestSupport

/// Issue 16, "Fuzzing": every reader of a file marginal did not write itself in this process is
/// fed mutated copies of valid files (TestSupport's seeded `MutationFuzzer`). Each input must give
/// a value or a thrown error: a trap would kill the test process (the test is the proof), a
/// hang ends it through the fuzzer's watchdog. Counts are printed; `MARGINAL_FUZZ_COUNT` sets
/// them for a long run (`Scripts/fuzz.sh`). Serialized: the fuzzer's crash keeper is global.
@Suite(.serialized) struct ReaderFuzzTests {
    /// Inputs per reader in the suite's bounded pass, chosen to keep the whole pass under ~20 s in a
    /// debug build on two cores.
    static func count(_ fallback: Int) -> Int { MutationFuzzer.count(default: fallback) }
    let seed = MutationFuzzer.seed(default: 16)

    // MARK: NPY (MarginalCore)

    static func npy(_ descr: String, shape: [Int], payload: Data, version: UInt8 = 1) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([version, 0])
        let length = header.utf8.count
        data.append(contentsOf: version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
                                             : [UInt8(length & 0xFF), UInt8(length >> 8), 0, 0])
        return data + Data(header.utf8) + payload
    }

    static var npyCorpus: [Data] {
        [npy("<f4", shape: [2, 3], payload: Data(count: 24)),
         npy("<f8", shape: [1, 2, 1, 2], payload: Data((0 ..< 32).map { UInt8($0 * 7 & 0xFF) })),
         npy("|u1", shape: [3, 4], payload: Data((0 ..< 12).map { UInt8($0) })),
         npy("<i2", shape: [2, 2], payload: Data([0, 1, 255, 255, 0, 128, 1, 0])),
         npy("<i8", shape: [1], payload: Data([1, 0, 0, 0, 0, 0, 0, 0])),
         npy("<u8", shape: [1], payload: Data(repeating: 0xFF, count: 8)),
         npy("|b1", shape: [0], payload: Data()),
         npy("=f4", shape: [1, 1], payload: Data(count: 4), version: 2),
         npy("<u4", shape: [2], payload: Data(count: 8), version: 3)]
    }

    @Test func npyReaderNeverTraps() {
        var fuzzer = MutationFuzzer(corpus: Self.npyCorpus, seed: seed)
        fuzzer.run("npy", count: Self.count(20_000)) { data in
            guard let array = try? decodeNPY(data, path: "fuzz.npy") else { return false }
            // What the CLI does next with an array it read.
            _ = try? array.integerValues()
            _ = try? array.floatingValues(as: Double.self)
            _ = try? array.floatingValues(as: Float.self)
            return true
        }
    }

    // MARK: PNG (MarginalDatasets' libpng reader, both modes)

    static var pngCorpus: [Data] {
        get throws {
            [try PNGImage(width: 4, height: 3, format: .gray, pixels: (0 ..< 12).map { UInt8($0 * 20) }).encoded(),
             try PNGImage(width: 2, height: 2, format: .rgb, pixels: (0 ..< 12).map { UInt8($0 * 21) }).encoded(),
             try PNGImage.labelMap([0, 1, 2, 255, 254, 3], width: 3, height: 2).encoded(),
             try PNGImage(width: 1, height: 1, format: .palette([.init(1, 2, 3), .init(4, 5, 6)]), pixels: [1]).encoded()]
        }
    }

    /// A PNG's chunk CRCs, recomputed after a mutation, so that libpng reads past them and the
    /// mutation reaches the header fields and the decoder (half of the inputs).
    static func fixingCRCs(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        var at = 8
        while at + 12 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length <= bytes.count - at - 12 else { break }
            let crc = crc32(bytes[(at + 4) ..< (at + 8 + length)])
            for i in 0 ..< 4 { bytes[at + 8 + length + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
            at += 12 + length
        }
        return Data(bytes)
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func pngReaderNeverTraps() throws {
        var fuzzer = MutationFuzzer(corpus: try Self.pngCorpus, seed: seed)
        var flip = false
        fuzzer.run("png", count: Self.count(20_000)) { data in
            flip.toggle()
            let input = flip ? Self.fixingCRCs(data) : data
            let picture = try? PNGImage.decode(input, path: "fuzz.png", as: .picture)
            let labels = try? PNGImage.decode(input, path: "fuzz.png", as: .labels)
            // A label map that was read can be written again (the preview does).
            if let labels { _ = try? labels.encoded() }
            return picture != nil || labels != nil
        }
    }

    // MARK: The JSON files of a run folder

    static func jsonCorpus<Value: Encodable>(_ values: [Value]) throws -> [Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try values.map { try encoder.encode($0) + Data("\n".utf8) }
    }

    @Test func runFolderJSONReadersNeverTrap() throws {
        var config = RunConfiguration(dataset: .synthetic(.lesions), loss: .ceL1, lambda: 1, tau: 10, steps: 200, batch: 4, learningRate: 1e-3,
                                      optimizer: .adam, seed: 7, size: 32, width: 8, evalEvery: 20, threads: 1)
        config.classNames = ["background", "lesion"]
        let configs = try Self.jsonCorpus([config, RunConfiguration(dataset: .folder("/data/x"), loss: .dice, lambda: nil, tau: 1, steps: 1, batch: 1,
                                                                    learningRate: 0.5, optimizer: .sgd, seed: UInt64.max, size: 8, width: 1,
                                                                    evalEvery: 1, threads: 2)])
        var fuzzer = MutationFuzzer(corpus: configs, seed: seed)
        fuzzer.run("config.json", count: Self.count(10_000)) { (try? JSONDecoder().decode(RunConfiguration.self, from: $0)) != nil }

        let statuses = try Self.jsonCorpus([RunStatus(status: .running, pid: 1234, step: 10), RunStatus(status: .done, step: 200),
                                            RunStatus(status: .failed, step: 3, error: "checkpoint.bin: cannot write (No space left on device, ENOSPC)")])
        fuzzer = MutationFuzzer(corpus: statuses, seed: seed)
        fuzzer.run("status.json", count: Self.count(10_000)) { (try? JSONDecoder().decode(RunStatus.self, from: $0)) != nil }

        var plateau = ReduceOnPlateau(patience: 3)
        _ = plateau.record(validationLoss: 0.7)
        _ = plateau.record(validationLoss: 0.8)
        let infos = try Self.jsonCorpus([CheckpointInfo(step: 40, epoch: 2.5, learningRate: 5e-4, plateau: plateau, bestMIoU: 0.61),
                                         CheckpointInfo(step: 0, epoch: 0, learningRate: 1e-3, plateau: ReduceOnPlateau(patience: 5), bestMIoU: nil)])
        fuzzer = MutationFuzzer(corpus: infos, seed: seed)
        fuzzer.run("checkpoint.json", count: Self.count(10_000)) { (try? JSONDecoder().decode(CheckpointInfo.self, from: $0)) != nil }
    }

    // MARK: checkpoint.bin

    @Test func checkpointReaderNeverTraps() throws {
        let model = UNetS<Float>(inputChannels: 1, classes: 2, width: 2, seed: 1)
        let adam = Adam<Float>(learningRate: 1e-3)
        let step = FloatTrainingStep(model: model, optimizer: adam, loss: .ceL1, lambda: 1, settings: LossSettings(), threads: 1)
        var random = SeededRandom(seed: 2)
        let images = Tensor<Float>(shape: [1, 1, 8, 8], values: (0 ..< 64).map { _ in Float(random.normal()) })
        _ = try step.run(images: images, labels: (0 ..< 64).map { _ in UInt8(random.next() % 2) })
        let corpus = [Checkpoint.encode(model: model, optimizer: adam),
                      Checkpoint.encode(model: UNetS<Float>(inputChannels: 1, classes: 2, width: 2, seed: 3), optimizer: SGD<Float>(learningRate: 0.1))]
        var fuzzer = MutationFuzzer(corpus: corpus, seed: seed)
        let target = UNetS<Float>(inputChannels: 1, classes: 2, width: 2, seed: 5)
        let before = target.parameters
        var changedOnRefusal = 0
        fuzzer.run("checkpoint.bin", count: Self.count(3_000)) { data in
            let optimizer = Adam<Float>(learningRate: 1e-3)
            do {
                try Checkpoint.decode(data, path: "checkpoint.bin", into: target, optimizer: optimizer)
                target.parameters = before
                return true
            } catch {
                if target.parameters != before { changedOnRefusal += 1; target.parameters = before }
                return false
            }
        }
        #expect(changedOnRefusal == 0, "a refused checkpoint changed the model \(changedOnRefusal) times")
    }

    // MARK: metrics.jsonl, through the tail and the history

    @Test func metricsTailAndHistoryNeverTrap() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = [RunFixture.trainLine(step: 5, time: 0.5, loss: 0.9, ce: 0.7),
                     RunFixture.evalLine(step: 10, time: 1.25, iou: [0.9, nil], soft: [0.97, 0.03], hard: [0.98, 0.02], target: [0.97, 0.03]),
                     RunFixture.trainLine(step: 15, time: 1.5, loss: 0.5, ce: 0.4)]
        let corpus = [Data(lines.joined().utf8), Data((lines[0] + lines[1]).utf8) + Data(lines[2].utf8.prefix(30)), Data(lines[1].utf8)]
        var fuzzer = MutationFuzzer(corpus: corpus, seed: seed)
        let url = folder.appendingPathComponent("metrics.jsonl")
        var tail = MetricsTail(url: url)
        var history = RunHistory()
        var parity = 0
        fuzzer.run("metrics.jsonl", count: Self.count(3_000)) { data in
            parity += 1
            // Alternately a new file and bytes appended to the one the tail follows.
            if parity % 2 == 0 || !FileManager.default.fileExists(atPath: url.path) {
                try? data.write(to: url)
            } else if let handle = try? FileHandle(forWritingTo: url) {
                _ = try? handle.seekToEnd()
                try? handle.write(contentsOf: data)
                try? handle.close()
            }
            let (read, restarted) = tail.read()
            if restarted { history = RunHistory() }
            history.add(read)
            _ = history.lastStep
            _ = history.stepsPerSecond
            _ = history.meanIoU(axis: .time)
            _ = history.iou(ofClass: 1, axis: .step)
            _ = RunHistory(lines: String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
            return !read.isEmpty
        }
    }
}
