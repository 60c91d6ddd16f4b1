import Foundation
import Testing
import TestSupport

/// Issue 16, "Full disk": a run and an export on a small tmpfs that fills up. The trainer stops
/// with status `failed` naming ENOSPC, the last good checkpoint and whole metrics lines stay,
/// and the run resumes to the end once there is room; an export to a full disk leaves no file.
/// Mounting needs root (and CAP_SYS_ADMIN): elsewhere each test says so and passes.
@Suite(.serialized) struct FullDiskTests {
    /// Mounts a tmpfs of `kilobytes` on a new folder; nil when this process may not mount.
    static func mountTmpfs(kilobytes: Int) throws -> URL? {
        guard getuid() == 0 else { print("full disk: skipped (not root)"); return nil }
        let folder = try makeTemporaryFolder("full-disk")
        guard mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", folder.path]) else {
            print("full disk: skipped (mount -t tmpfs refused)")
            try? FileManager.default.removeItem(at: folder)
            return nil
        }
        return folder
    }

    @discardableResult
    static func mount(_ arguments: [String], command: String = "/bin/mount") -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func unmount(_ folder: URL) {
        mount([folder.path], command: "/bin/umount")
        try? FileManager.default.removeItem(at: folder)
    }

    static func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// 160 KiB: room for one checkpoint of this small UNet-S (90 KB) but not for its replacement
    /// beside it, so the second checkpoint write (step 20) meets ENOSPC.
    @Test func aRunOnAFullDiskFailsNamingENOSPCAndResumesOnceThereIsRoom() throws {
        guard let disk = try Self.mountTmpfs(kilobytes: 160) else { return }
        defer { Self.unmount(disk) }
        let train = ["train", "--dataset", "lesions", "--loss", "ce", "--steps", "40", "--batch", "2", "--size", "16",
                     "--width", "4", "--eval-every", "10", "--threads", "1", "--run", "full", "--runs-dir", disk.path]
        let failed = try MarginalProcess.run(train, in: disk)
        #expect(failed.status == 2)
        let errorLines = failed.standardError.split(separator: "\n").filter { $0.hasPrefix("marginal train") }
        #expect(errorLines.count == 1 && errorLines[0].contains("ENOSPC"), "\(failed.standardError)")
        let run = disk.appendingPathComponent("full")
        let status = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("status.json"))) as? [String: Any])
        #expect(status["status"] as? String == "failed" && (status["error"] as? String ?? "").contains("ENOSPC"), "\(status)")
        #expect(!Self.files(in: run).contains { $0.hasSuffix(".partial") }, "\(Self.files(in: run))")
        let checkpoint = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("checkpoint.json"))) as? [String: Any])
        #expect(checkpoint["step"] as? Int == 10)
        let metrics = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.hasSuffix("\n"))
        for line in metrics.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "a whole line: \(line)")
        }

        #expect(Self.mount(["-o", "remount,size=2m", disk.path]))
        let resumed = try MarginalProcess.run(["train", "--run", "full", "--resume", "--runs-dir", disk.path], in: disk)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let done = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("status.json"))) as? [String: Any])
        #expect(done["status"] as? String == "done" && done["step"] as? Int == 40, "\(done)")
        let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let trainSteps = lines.compactMap { line -> Int? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "train" else { return nil }
            return object["step"] as? Int
        }
        #expect(zip(trainSteps, trainSteps.dropFirst()).allSatisfy { $0 < $1 } && trainSteps.last == 40, "\(trainSteps)")
        print("full disk: run failed at step \(status["step"] ?? "?") with ENOSPC, checkpoint of step 10 kept, resumed to 40")
    }

    /// An export to a full disk: one line naming ENOSPC, exit 2, and neither the file nor a
    /// temporary one left.
    @Test func anExportToAFullDiskLeavesNoFile() throws {
        guard let disk = try Self.mountTmpfs(kilobytes: 64) else { return }
        defer { Self.unmount(disk) }
        // Fill the disk: write until the file system refuses.
        let filler = disk.appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        while (try? handle.write(contentsOf: Data(count: 4096))) != nil {}
        try? handle.close()
        for out in ["fig.svg", "fig.csv", "fig.pdf"] {
            let result = try MarginalProcess.run(["curves", "--out", disk.appendingPathComponent(out).path], in: disk)
            #expect(result.status == 2 && result.standardError.split(separator: "\n").count == 1
                    && result.standardError.contains("ENOSPC"), "\(out): \(result.standardError)")
        }
        #expect(Self.files(in: disk) == ["filler"], "\(Self.files(in: disk))")
    }
}
