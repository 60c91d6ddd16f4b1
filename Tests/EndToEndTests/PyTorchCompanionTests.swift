import Foundation
import Testing
import MarginalRuns
import TestSupport

/// The PyTorch companion (python/marginal_torch) against marginal itself, run with the project's
/// Python (`ProjectPython`: .venv from Scripts/install-dependencies.sh). Without torch these tests
/// fail with the fix to apply; they never skip.
@Suite(.serialized) final class PyTorchCompanionTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("pytorch-companion") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// One failure naming the interpreter and the fix when torch, numpy or tensorboard is missing.
    func requireTorch() throws {
        let missing = ProjectPython.missingModules(["torch", "numpy", "tensorboard"])
        try #require(missing == nil, Comment(rawValue: missing ?? ""))
    }

    /// python/tests/cross_check.py: every loss value and autograd gradient (float64) equals
    /// `marginal decompose --json --grad-dir` to 1e-9 relative on random and edge cases (absent
    /// classes, ignored pixels, an all-ignored image, extreme logits, binary, τ, λ, class weights),
    /// and so do the penalties, the marginals and the decomposition.
    @Test func lossesAndGradientsEqualMarginalDecompose() throws {
        try requireTorch()
        let script = ProjectPython.packageRoot.appendingPathComponent("python/tests/cross_check.py")
        let result = try ProjectPython.run([script.path, "--marginal", MarginalProcess.executable.path], in: folder)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let closing = result.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(closing.hasSuffix(" passed, 0 failed"), "\(result.output)\(result.error)")
        // Twelve cases, so that a case list cut short does not pass unseen.
        #expect(closing.hasPrefix("12 passed"), "\(closing)")
    }

    /// A PyTorch run logged by RunLogger (python/examples/tiny_run.py) is a marginal run folder:
    /// RunRecord reads its configuration, status, metrics and preview, `marginal runs` lists it
    /// as done, and its event files hold metrics.jsonl's scalars under docs/TENSORBOARD.md's tags
    /// (marginal's reader and TensorBoard's EventAccumulator).
    @Test func runLoggerWritesARunMarginalReads() throws {
        try requireTorch()
        let script = ProjectPython.packageRoot.appendingPathComponent("python/examples/tiny_run.py")
        let runs = folder.appendingPathComponent("runs")
        let result = try ProjectPython.run([script.path, "--runs-dir", runs.path, "--name", "torch-tiny",
                                            "--loss", "ce_kl", "--steps", "20", "--eval-every", "10"], in: folder)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let runFolder = runs.appendingPathComponent("torch-tiny")
        let run = try RunDirectory(runsFolder: runs, name: "torch-tiny")
        let record = try RunRecord(run)
        #expect(record.state == .done)
        #expect(record.step == 20)
        #expect(record.configuration.loss == .ceKL)
        #expect(record.configuration.classNames == ["background", "lesion"])
        #expect(record.evaluations.map(\.step) == [10, 20])
        #expect(record.history.train.map(\.step) == [1, 10, 20])
        let latest = try #require(record.latest)
        #expect(latest.iou.count == 2 && latest.targetProportion.count == 2 && latest.temperedProportion?.count == 2)
        #expect(abs(latest.targetProportion.reduce(0, +) - 1) < 1e-12)
        #expect(record.preview?.width == 32 && record.preview?.height == 32)
        #expect(RunLock.isHeld(run) == false, "the logger let go of the lock")
        let checkpoint = try JSONSerialization.jsonObject(with: Data(contentsOf: runFolder.appendingPathComponent("checkpoint.json"))) as? [String: Any]
        #expect(checkpoint?["step"] as? Int == 20)
        #expect(FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("checkpoint.pt").path))

        let listing = try MarginalProcess.run(["runs", "--runs-dir", runs.path])
        #expect(listing.status == 0, "\(listing.standardError)")
        let line = listing.standardOutput.split(separator: "\n").first { $0.hasPrefix("torch-tiny") }.map(String.init) ?? ""
        #expect(line.contains("done") && line.contains("ce_kl") && line.contains("20/20"), "\(listing.standardOutput)")
        try expectEventFilesMatchMetrics(of: runFolder)
    }

    /// python/tests/test_train_unet.py: UNet-S trained by python/examples/train_unet.py on a
    /// folder:PATH set, in one process and under torchrun with 2 processes (gloo on the CPU), bad
    /// input refused with exit status 2, and a torchrun run stopped by SIGINT, SIGTERM and SIGKILL
    /// to its process group (status stopped, checkpoint saved, no process left). Then marginal reads the
    /// runs it left: RunRecord and `marginal runs` see the 1- and 2-process runs done, with the
    /// same validation numbers, and the stopped ones stopped.
    @Test func trainUNetRunsInOneAndTwoProcesses() throws {
        try requireTorch()
        let script = ProjectPython.packageRoot.appendingPathComponent("python/tests/test_train_unet.py")
        let work = folder.appendingPathComponent("train-unet")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let result = try ProjectPython.run([script.path, "--work", work.path], in: folder)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let closing = result.output.split(separator: "\n").last.map(String.init) ?? ""
        // Seven checks, so that a list cut short does not pass unseen.
        #expect(closing == "7 passed, 0 failed", "\(result.output)\(result.error)")

        let runs = work.appendingPathComponent("runs")
        let one = try RunRecord(try RunDirectory(runsFolder: runs, name: "one"))
        let two = try RunRecord(try RunDirectory(runsFolder: runs, name: "two"))
        for record in [one, two] {
            #expect(record.state == .done && record.step == 12)
            #expect(record.configuration.loss == .ceL1 && record.configuration.width == 4)
            #expect(record.evaluations.map(\.step) == [6, 12])
        }
        let last = (try #require(one.latest), try #require(two.latest))
        #expect(abs(last.0.loss - last.1.loss) <= 1e-3 * abs(last.0.loss), "validation loss \(last.0.loss) vs \(last.1.loss)")
        for name in ["stopped-SIGINT", "stopped-SIGTERM", "stopped-SIGKILL"] {
            let record = try RunRecord(try RunDirectory(runsFolder: runs, name: name))
            #expect(record.state == .stopped, "\(name)")
        }
        let listing = try MarginalProcess.run(["runs", "--runs-dir", runs.path])
        #expect(listing.status == 0, "\(listing.standardError)")
        for name in ["one", "two"] {
            let line = listing.standardOutput.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map(String.init) ?? ""
            #expect(line.contains("done") && line.contains("12/12"), "\(listing.standardOutput)")
        }
    }

    /// The same first step in both engines: `marginal train` and train_unet.py on one folder:PATH
    /// set (its split from the seed in both), seed 3, batch 4, w = 4, ce_l1. Step 1's loss and CE
    /// are computed before any update, from the same images, initial weights and batch: equal to
    /// float32 precision. The validation loss after that one Adam step agrees to 1e-4 (Adam's
    /// first step is about lr · sign(g), so rounding in g moves it only where g is nearly 0).
    @Test func trainUNetTakesMarginalsFirstStep() throws {
        try requireTorch()
        let data = folder.appendingPathComponent("discs"), runs = folder.appendingPathComponent("first-step")
        let tests = ProjectPython.packageRoot.appendingPathComponent("python/tests").path
        let drawn = try ProjectPython.run(["-c", "import sys; sys.path.insert(0, \(String(reflecting: tests))); "
                                           + "import test_train_unet as t; t.draw_folder_set(\(String(reflecting: data.path)))"])
        try #require(drawn.status == 0, "\(drawn.error)")
        let options = ["--dataset", "folder:\(data.path)", "--loss", "ce_l1", "--steps", "1", "--batch", "4", "--eval-every", "1",
                       "--width", "4", "--threads", "1", "--seed", "3", "--runs-dir", runs.path]
        let native = try MarginalProcess.run(["train"] + options + ["--run", "marginal"])
        #expect(native.status == 0, "\(native.standardError)")
        let script = ProjectPython.packageRoot.appendingPathComponent("python/examples/train_unet.py")
        let torch = try ProjectPython.run([script.path] + options + ["--run", "torch"])
        #expect(torch.status == 0, "\(torch.error)")
        let records = try ["marginal", "torch"].map { try RunRecord(try RunDirectory(runsFolder: runs, name: $0)) }
        let first = try records.map { try #require($0.history.train.first) }
        #expect(first[0].step == 1 && first[1].step == 1)
        #expect(abs(first[0].loss - first[1].loss) <= 1e-6 * first[0].loss, "step 1's loss: marginal \(first[0].loss), torch \(first[1].loss)")
        #expect(abs(first[0].ce - first[1].ce) <= 1e-6 * first[0].ce, "step 1's CE: marginal \(first[0].ce), torch \(first[1].ce)")
        let validation = try records.map { try #require($0.latest).loss }
        #expect(abs(validation[0] - validation[1]) <= 1e-4 * validation[0], "validation loss after step 1: marginal \(validation[0]), torch \(validation[1])")
    }
}
