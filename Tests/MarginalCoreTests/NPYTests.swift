import Foundation
import Testing
import MarginalCore
import TestSupport

@Suite final class NPYTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("npy") }

    /// Each test gets its own folder; it goes when the test ends.
    deinit { try? FileManager.default.removeItem(at: folder) }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    @Test func roundTripsFloatDoubleAndBytes() throws {
        let doubles: [Double] = [0, -1.5, .pi, 1e-300, -.greatestFiniteMagnitude, 7]
        try writeNPY(doubles, shape: [2, 3], to: url("d.npy"))
        let d = try readNPY(url("d.npy"))
        #expect(d.shape == [2, 3] && d.dtype == .float64)
        #expect(try d.floatingValues(as: Double.self) == doubles)
        let floats: [Float] = [1, 2.5, -3, .leastNormalMagnitude]
        try writeNPY(floats, shape: [4], to: url("f.npy"))
        let f = try readNPY(url("f.npy"))
        #expect(f.shape == [4] && f.dtype == .float32)
        #expect(try f.floatingValues(as: Float.self) == floats)
        try writeNPY(labels: [0, 1, 255, 3], shape: [1, 2, 2], to: url("u.npy"))
        let u = try readNPY(url("u.npy"))
        #expect(u.dtype == .uint8)
        #expect(try u.integerValues() == [0, 1, 255, 3])
        // The data starts on a 64-byte boundary, as numpy writes it.
        let bytes = try Data(contentsOf: url("u.npy"))
        #expect((bytes.count - 4) % 64 == 0)
    }

    /// Files written by numpy itself, when python3 with numpy is on the machine.
    @Test func readsWhatNumpyWrites() throws {
        let script = """
        import numpy as np, sys
        d = sys.argv[1]
        np.save(d + '/f4.npy', np.arange(6, dtype='<f4').reshape(2, 3) / 4)
        np.save(d + '/i8.npy', np.array([[0, 1], [255, 2]], dtype='<i8'))
        np.save(d + '/i2.npy', np.array([-3, 4], dtype='<i2'))
        np.save(d + '/b1.npy', np.array([True, False]))
        np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3))))
        np.save(d + '/big.npy', np.ones(3, dtype='>f4'))
        np.save(d + '/complex.npy', np.ones(3, dtype='<c16'))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return }  // no numpy here: nothing to compare with
        #expect(try readNPY(url("f4.npy")).floatingValues(as: Double.self) == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(try readNPY(url("i8.npy")).integerValues() == [0, 1, 255, 2])
        #expect(try readNPY(url("i2.npy")).integerValues() == [-3, 4])
        #expect(try readNPY(url("b1.npy")).integerValues() == [1, 0])
        #expect(throws: MarginalError.self) { try readNPY(url("fortran.npy")) }
        #expect(throws: MarginalError.self) { try readNPY(url("big.npy")) }
        #expect(throws: MarginalError.self) { try readNPY(url("complex.npy")) }
    }

    @Test func badFilesGetOneLineNamingTheFile() throws {
        let missing = url("missing.npy").path
        #expect(throws: MarginalError("\(missing): no such file")) { try readNPY(url("missing.npy")) }
        try Data("hello".utf8).write(to: url("text.npy"))
        #expect(throws: MarginalError("\(url("text.npy").path): not an NPY file (bad magic)")) { try readNPY(url("text.npy")) }
        try writeNPY([1.0, 2, 3, 4], shape: [4], to: url("ok.npy"))
        let whole = try Data(contentsOf: url("ok.npy"))
        try whole.prefix(whole.count - 8).write(to: url("short.npy"))
        do {
            _ = try readNPY(url("short.npy"))
            Issue.record("a truncated file was accepted")
        } catch {
            #expect(error.description.contains("needs 32"))
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: MarginalError.self) { try readNPY(url("ok.npy")).integerValues() }
        try writeNPY(labels: [1], shape: [1], to: url("byte.npy"))
        #expect(throws: MarginalError.self) { try readNPY(url("byte.npy")).floatingValues(as: Double.self) }
    }

    /// No byte sequence crashes the reader: random bytes, and every truncation and single-byte
    /// corruption of a valid file.
    @Test func arbitraryBytesNeverCrash() throws {
        var random = SeededRandom(seed: 99)
        for trial in 0 ..< 300 {
            let count = Int(random.next() % 200)
            let bytes = Data((0 ..< count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            try bytes.write(to: url("random\(trial).npy"))
            _ = try? readNPY(url("random\(trial).npy"))
        }
        try writeNPY([1.0, 2, 3], shape: [3], to: url("valid.npy"))
        let valid = try Data(contentsOf: url("valid.npy"))
        for length in 0 ..< valid.count {
            try valid.prefix(length).write(to: url("cut.npy"))
            #expect(throws: MarginalError.self) { try readNPY(url("cut.npy")) }
        }
        for index in 0 ..< 128 {
            var corrupted = valid
            corrupted[index] = UInt8(truncatingIfNeeded: random.next())
            try corrupted.write(to: url("flip.npy"))
            _ = try? readNPY(url("flip.npy"))
        }
    }

    /// Issue 16, defect 4: a structured (record) dtype was called "header is malformed (no 'descr')";
    /// now the dtype is named as unsupported.
    @Test func aStructuredDtypeIsNamedAsUnsupported() throws {
        for descr in ["[('x', '<f4'), ('y', '<i2')]", "{'names': ['a'], 'formats': ['<f8']}"] {
            var header = "{'descr': \(descr), 'fortran_order': False, 'shape': (2,), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
            data.append(Data(header.utf8))
            data.append(Data(count: 12))
            #expect(throws: MarginalError("x.npy: unsupported dtype \(descr): a structured dtype; save a plain array of floats (<f4 <f8), integers or bool")) {
                try decodeNPY(data, path: "x.npy")
            }
        }
    }

    @Test func writingIntoAMissingFolderLeavesNothing() {
        let target = folder.appendingPathComponent("no/such/folder/x.npy")
        #expect(throws: MarginalError.self) { try writeNPY([1.0], shape: [1], to: target) }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }
}
