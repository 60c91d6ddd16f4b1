import Foundation
import Testing
import TestSupport

/// `marginal train --engine pytorch` and `marginal dataset`: what torch cannot honour is refused
/// with one line and exit status 2 before anything is written or started.
@Suite final class PyTorchLaunchCommandTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("torch-launch") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    @Test(arguments: [
        (["--processes", "2"], "--processes: only with --engine pytorch"),
        (["--python", "python3"], "--python: only with --engine pytorch"),
        (["--engine", "pytorch", "--resume", "--run", "x"], "--resume with --engine pytorch"),
        (["--engine", "pytorch", "--seeds", "1,2"], "--seeds with --engine pytorch"),
        (["--engine", "pytorch", "--processes", "0"], "--processes 0: must be 1 to 64"),
        (["--engine", "pytorch", "--processes", "3", "--batch", "8"], "--batch 8 with --processes 3"),
        (["--engine", "pytorch", "--loss", "dice1", "--dataset", "organ"], "loss dice1 is binary only"),
        (["--engine", "tensorflow"], "one of 'marginal' and 'pytorch'"),
    ])
    func refusedInOneLine(_ options: [String], _ message: String) throws {
        let result = try MarginalProcess.run(["train"] + options, in: folder)
        #expect(result.status == 2 && result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written")
    }

    @Test func datasetListAndExportRefusals() throws {
        let list = try MarginalProcess.run(["dataset", "list"], in: folder)
        #expect(list.status == 0 && list.standardOutput.contains("lesions   K = 2") && list.standardOutput.contains("classes: road, building"), "\(list.standardOutput)")
        for (arguments, message) in [(["--dataset", "folder:x", "--out", "d"], "already a folder set"),
                                     (["--dataset", "lesions", "--out", "no/d"], "--out no/d: the folder"),
                                     (["--dataset", "lesions", "--size", "30", "--out", "d"], "size 30: must be a multiple of 4")] {
            let result = try MarginalProcess.run(["dataset", "export"] + arguments, in: folder)
            #expect(result.status == 2 && result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written")
        let help = try MarginalProcess.run(["train", "--help"], in: folder).standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("values: marginal, pytorch") && help.contains("torchrun --nproc-per-node N"), "\(help)")
    }

    /// Ctrl-C to `marginal train --engine pytorch` (SIGINT to marginal alone, as a terminal sends
    /// it to the foreground group, which torchrun is not in) is forwarded: every rank stops after
    /// the same step, rank 0 saves, status `stopped`, marginal exits 0, no process is left.
    @Test func aCtrlCToMarginalStopsEveryRank() throws {
        let missing = ProjectPython.missingModules(["torch", "tensorboard"])
        try #require(missing == nil, Comment(rawValue: missing ?? ""))
        let trainer = Process()
        trainer.executableURL = MarginalProcess.executable
        trainer.arguments = ["train", "--engine", "pytorch", "--processes", "2", "--dataset", "lesions", "--size", "16", "--width", "4",
                             "--batch", "4", "--threads", "1", "--steps", "100000", "--eval-every", "5", "--run", "ctrl-c"]
        trainer.currentDirectoryURL = folder
        trainer.standardOutput = FileHandle.nullDevice
        trainer.standardError = FileHandle.nullDevice
        trainer.standardInput = FileHandle.nullDevice
        try trainer.run()
        func torchProcesses() -> [Int32] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
                let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
                let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
                return state != "Z" && command.contains("train_unet.py") && command.contains(folder.path)
            }
        }
        defer {
            for pid in torchProcesses() { kill(pid, SIGKILL) }
            if trainer.isRunning { kill(trainer.processIdentifier, SIGKILL); trainer.waitUntilExit() }
        }
        let metrics = folder.appendingPathComponent("runs/ctrl-c/metrics.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while ((try? String(contentsOf: metrics, encoding: .utf8)) ?? "").contains("\"eval\"") == false, Date() < deadline { usleep(100_000) }
        #expect(torchProcesses().count == 3, "torchrun and 2 ranks train: \(torchProcesses())")
        kill(trainer.processIdentifier, SIGINT)
        let stopped = Date().addingTimeInterval(60)
        while trainer.isRunning, Date() < stopped { usleep(100_000) }
        try #require(!trainer.isRunning, "marginal train is still running a minute after its SIGINT")
        #expect(trainer.terminationReason == .exit && trainer.terminationStatus == 0)
        let status = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("runs/ctrl-c/status.json"))) as? [String: Any]
        #expect(status?["status"] as? String == "stopped", "\(status ?? [:])")
        #expect(torchProcesses().isEmpty, "no rank is left: \(torchProcesses())")
    }
}
