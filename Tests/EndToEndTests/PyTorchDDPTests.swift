import Foundation
import Testing
import TestSupport

/// Multi-process runs on PyTorch: `marginal dataset export` writes the same bytes twice and
/// marginal trains on them; `marginal train --engine pytorch --processes 2` runs
/// python/examples/train_unet.py under torchrun on CPU; the Runs screen lists and monitors the
/// run like a native one, and its stop key stops every rank with status `stopped`.
extension TUITests {
    /// torchrun and its ranks of this test: the live processes whose command line runs
    /// train_unet.py on a dataset in this test's folder.
    func torchProcesses() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let line = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
            let command = String(decoding: line, as: UTF8.self)
            return state != "Z" && command.contains("train_unet.py") && command.contains(folder.path)
        }
    }

    @Test func aTorchrunRunIsExportedListedMonitoredAndStopped() throws {
        let missing = ProjectPython.missingModules(["torch", "tensorboard"])
        try #require(missing == nil, Comment(rawValue: missing ?? ""))
        // The export: twice the same bytes, and marginal's own trainer takes it.
        for out in ["a", "b"] {
            let export = try MarginalProcess.run(["dataset", "export", "--dataset", "lesions", "--size", "16", "--out", out], in: folder)
            #expect(export.status == 0, "\(export.standardError)")
        }
        let compare = Process()
        compare.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        compare.arguments = ["-r", "a", "b"]
        compare.currentDirectoryURL = folder
        #expect(try MarginalProcess.runToEnd(compare).status == 0, "two exports with the same seed are byte-identical")
        let refused = try MarginalProcess.run(["dataset", "export", "--dataset", "lesions", "--out", "a"], in: folder)
        #expect(refused.status == 2 && refused.standardError.contains("--out a: the folder is not empty"), "\(refused.standardError)")
        let native = try MarginalProcess.run(["train", "--dataset", "folder:a", "--steps", "2", "--eval-every", "2", "--width", "4",
                                              "--batch", "4", "--threads", "1", "--run", "native", "--runs-dir", "native-runs"], in: folder)
        #expect(native.status == 0 && native.standardOutput.contains("done at step 2"), "\(native.standardError)")

        // A 2-process torchrun run, long enough to be stopped.
        let log = folder.appendingPathComponent("ddp.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let trainer = Process()
        trainer.executableURL = MarginalProcess.executable
        trainer.arguments = ["train", "--engine", "pytorch", "--processes", "2", "--dataset", "lesions", "--size", "16", "--width", "4",
                             "--batch", "4", "--threads", "1", "--steps", "100000", "--eval-every", "5", "--loss", "ce_l1", "--run", "ddp"]
        trainer.currentDirectoryURL = folder
        trainer.standardOutput = try FileHandle(forWritingTo: log)
        trainer.standardError = trainer.standardOutput
        trainer.standardInput = FileHandle.nullDevice
        try trainer.run()
        defer {  // never leave a rank behind a failed test
            for pid in torchProcesses() { kill(pid, SIGKILL) }
            if trainer.isRunning { trainer.waitUntilExit() }
        }

        try tmux.start(wrapper("tui --screen runs --runs-dir runs"), width: 120, height: 40)
        defer { tmux.stop() }
        _ = try tmux.waitFor("ddp ", "running", timeout: 60)
        #expect(runStatus("ddp")?.status == "running")
        try tmux.send("Enter")
        _ = try tmux.waitFor("ddp  running · pytorch × 2 processes", "latest evaluation · step", "lesion ", "background ", timeout: 60)
        let first = try #require(try settledEvaluation())
        #expect(try nextEvaluation(after: first) != first, "the monitor follows the PyTorch run: \(first)")
        #expect(torchProcesses().count == 3, "torchrun and its 2 ranks run: \(torchProcesses())")

        try tmux.send("s")
        _ = try tmux.waitFor("ddp  stopped", timeout: 30)
        trainer.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(trainer.terminationStatus == 0, "\(output)")
        #expect(runStatus("ddp")?.status == "stopped")
        #expect(output.contains("runs/ddp: stopped at step"), "\(output)")
        #expect(torchProcesses().isEmpty, "no rank is left: \(torchProcesses())")
        try tmux.send("q")
        #expect(try waitForExit() == "EXIT=0")
    }
}
