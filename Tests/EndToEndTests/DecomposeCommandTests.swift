import Foundation
import Testing
import MarginalCore
import TestSupport

/// `marginal decompose` run as a user would, on files written to a temporary folder.
@Suite final class DecomposeCommandTests {
    let folder: URL
    let batch = randomBatch(batchSize: 2, classes: 3, height: 4, width: 5, seed: 21)

    init() throws {
        folder = try makeTemporaryFolder("decompose")
        try writeNPY(batch.logits, shape: [2, 3, 4, 5], to: folder.appendingPathComponent("z.npy"))
        try writeNPY(labels: batch.labels, shape: [2, 4, 5], to: folder.appendingPathComponent("y.npy"))
    }

    /// Each test gets its own folder; it goes when the test ends.
    deinit { try? FileManager.default.removeItem(at: folder) }

    func runDecompose(_ extra: [String] = [], logits: String = "z.npy", labels: String = "y.npy") throws -> MarginalProcess.Result {
        try MarginalProcess.run(["decompose", "--logits", logits, "--labels", labels] + extra, in: folder)
    }

    @Test func jsonHoldsEveryLossPenaltyTermAndMarginal() throws {
        let result = try runDecompose(["--json", "--lambda", "0.5"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let losses = try #require(object["losses"] as? [String: Double])
        #expect(Set(losses.keys) == Set(LossName.available(classes: 3).map(\.rawValue)))
        for loss in LossName.available(classes: 3) {
            let expected = try evaluateLoss(loss, on: batch, lambda: 0.5, gradient: false).value
            // Foundation's JSON parser on Linux is not correctly rounded: allow a few ulp.
            #expect(isClose(losses[loss.rawValue] ?? .nan, expected, relative: 1e-14), "\(loss.rawValue)")
        }
        let regularizers = try #require(object["regularizers"] as? [String: Double])
        #expect(Set(regularizers.keys) == ["l1", "kl", "db"])
        let decomposition = try #require(object["decomposition"] as? [String: Double])
        #expect(isClose(decomposition["ce"] ?? .nan, decompose(batch).crossEntropy, relative: 1e-14))
        #expect(Set(decomposition.keys) == ["df", "db", "entropy", "kl", "label_entropy", "ce"])
        let marginals = try #require(object["marginals"] as? [String: Any])
        #expect(marginals["tau"] as? Double == 10)
        #expect((marginals["pred"] as? [[Double]])?.count == 2)
        let target = try #require(marginals["target"] as? [[Double]])
        #expect(firstMismatch(target.flatMap { $0 }, labelMarginals(batch).target.flatMap { $0! }, relative: 1e-14) == nil)
        // The text itself carries every digit: the shortest representation that reads back exactly.
        let ce = try evaluateLoss(.ce, on: batch, gradient: false).value
        #expect(result.standardOutput.contains("\"ce\": \(ce)"))
    }

    @Test func tableIsReadable() throws {
        let result = try runDecompose()
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("ce_l1"))
        #expect(result.standardOutput.contains("entropy + kl + label_entropy"))
        #expect(result.standardError.isEmpty)
    }

    @Test func gradientsAreWrittenForEveryLoss() throws {
        let result = try runDecompose(["--grad-dir", "grads"])
        #expect(result.status == 0, "\(result.standardError)")
        for loss in LossName.available(classes: 3) {
            let array = try readNPY(folder.appendingPathComponent("grads/\(loss.rawValue).npy"))
            #expect(array.shape == [2, 3, 4, 5])
            #expect(array.dtype == .float64)
            let expected = try evaluateLoss(loss, on: batch).gradient
            #expect(try array.floatingValues(as: Double.self) == expected, "\(loss.rawValue)")
        }
    }

    @Test func floatLogitsGiveFloatGradients() throws {
        try writeNPY(batch.logits.map { Float($0) }, shape: [2, 3, 4, 5], to: folder.appendingPathComponent("z32.npy"))
        let result = try runDecompose(["--grad-dir", "g32"], logits: "z32.npy")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try readNPY(folder.appendingPathComponent("g32/ce.npy")).dtype == .float32)
    }

    @Test func binaryInputAddsTheBinaryLosses() throws {
        let binary = randomBatch(batchSize: 1, classes: 2, height: 3, width: 3, absentInFirstImage: [], seed: 2)
        try writeNPY(binary.logits, shape: [1, 2, 3, 3], to: folder.appendingPathComponent("zb.npy"))
        try writeNPY(labels: binary.labels, shape: [1, 3, 3], to: folder.appendingPathComponent("yb.npy"))
        let result = try runDecompose(["--json"], logits: "zb.npy", labels: "yb.npy")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let losses = try #require(object?["losses"] as? [String: Double])
        #expect(losses["dice1"] != nil && losses["ce_db1"] != nil)
        #expect((object?["regularizers"] as? [String: Double])?["db1"] != nil)
    }

    /// Every bad input of CONVENTIONS.md: one line on stderr naming the file, exit 2, no files.
    @Test(arguments: [
        ("missing.npy", "y.npy", "missing.npy"),
        ("text.npy", "y.npy", "text.npy"),
        ("fortran.npy", "y.npy", "fortran.npy"),
        ("rank3.npy", "y.npy", "rank3.npy"),
        ("z.npy", "big-label.npy", "big-label.npy"),
        ("z.npy", "wrong-shape.npy", "wrong-shape.npy"),
        ("nan.npy", "y.npy", "nan.npy"),
        ("z.npy", "all-ignored.npy", "all-ignored.npy"),
        ("z.npy", "float-labels.npy", "float-labels.npy"),
    ])
    func badInputIsRefusedWithOneLine(logits: String, labels: String, named: String) throws {
        try writeBadFiles()
        let result = try runDecompose(["--grad-dir", "out"], logits: logits, labels: labels)
        #expect(result.status == 2)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains(named), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    /// Issue 16, defect 1: K ≥ 257 with a label in 256…K−1 used to trap in `UInt8(value)`
    /// (signal 4) instead of refusing; now K is checked first, in one line naming the logits.
    @Test(arguments: [[256, 0], [0, 1]])
    func moreClassesThanALabelByteHoldsIsRefusedNotATrap(labelValues: [Int16]) throws {
        try writeNPY([Float](repeating: 0.5, count: 600), shape: [1, 300, 1, 2], to: folder.appendingPathComponent("z300.npy"))
        var payload = Data()
        for value in labelValues { withUnsafeBytes(of: value.littleEndian) { payload.append(contentsOf: $0) } }
        try npyFile(descr: "<i2", fortranOrder: false, shape: [1, 1, 2], payload: payload)
            .write(to: folder.appendingPathComponent("y300.npy"))
        let result = try runDecompose(["--grad-dir", "out"], logits: "z300.npy", labels: "y300.npy")
        #expect(result.status == 2, "\(result.status) \(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("z300.npy") && result.standardError.contains("K = 300"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test(arguments: [["--tau", "0"], ["--tau", "-1"], ["--class-weights", "1,2"], ["--class-weights", "1,x,2"],
                      ["--lambda", "nan"]])
    func badValuesAreRefusedWithOneLine(_ flags: [String]) throws {
        let result = try runDecompose(flags)
        #expect(result.status == 2, "\(flags)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
    }

    private func writeBadFiles() throws {
        try Data("not an array".utf8).write(to: folder.appendingPathComponent("text.npy"))
        try npyFile(descr: "<f8", fortranOrder: true, shape: [2, 3, 4, 5], payload: Data(count: 8 * 120))
            .write(to: folder.appendingPathComponent("fortran.npy"))
        try writeNPY(batch.logits, shape: [6, 4, 5], to: folder.appendingPathComponent("rank3.npy"))
        var big = batch.labels
        big[7] = 3
        try writeNPY(labels: big, shape: [2, 4, 5], to: folder.appendingPathComponent("big-label.npy"))
        try writeNPY(labels: batch.labels, shape: [2, 5, 4], to: folder.appendingPathComponent("wrong-shape.npy"))
        var nan = batch.logits
        nan[5] = .nan
        try writeNPY(nan, shape: [2, 3, 4, 5], to: folder.appendingPathComponent("nan.npy"))
        try writeNPY(labels: [UInt8](repeating: 255, count: 40), shape: [2, 4, 5], to: folder.appendingPathComponent("all-ignored.npy"))
        try writeNPY(batch.labels.map { Double($0) }, shape: [2, 4, 5], to: folder.appendingPathComponent("float-labels.npy"))
    }
}

/// An NPY 1.0 file built by hand, for headers `writeNPY` never writes (Fortran order, other dtypes).
func npyFile(descr: String, fortranOrder: Bool, shape: [Int], payload: Data) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
    data.append(UInt8(header.utf8.count & 0xFF))
    data.append(UInt8(header.utf8.count >> 8))
    data.append(Data(header.utf8))
    data.append(payload)
    return data
}
