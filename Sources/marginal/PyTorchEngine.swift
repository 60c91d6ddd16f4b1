import ArgumentParser
import Foundation
import Synchronization
import MarginalCore
import MarginalDatasets
import MarginalFigure
import MarginalRuns

/// The engine of `marginal train`: marginal's own CPU trainer, or PyTorch through torchrun (DDP,
/// `python/examples/train_unet.py`), whose rank 0 writes a marginal run folder.
enum EngineName: String, CaseIterable, ExpressibleByArgument {
    case marginal, pytorch
}

/// `marginal train --engine pytorch`: the built-in dataset exported as PNGs under
/// `<runs-dir>/.datasets/` (once, then reused), then `torchrun --nproc-per-node N
/// train_unet.py …` in a process group of its own (`spawnProcessGroup`), a Ctrl-C or SIGTERM
/// forwarded to that group as SIGINT (every rank stops after the same step, rank 0 saves), and
/// torchrun's exit status returned. The TUI's launch form runs this same command, detached.
struct PyTorchLaunch {
    let configuration: RunConfiguration
    let processes: Int
    let name: String
    let runsDir: String
    /// `--python`: run torchrun as `PYTHON -m torch.distributed.run`; nil: the torchrun found.
    let python: String?

    static let script = "python/examples/train_unet.py"

    /// The launcher: `PYTHON -m torch.distributed.run` with `--python`, else `.venv/bin/torchrun`
    /// above the executable (the project's environment, Scripts/install-dependencies.sh), else
    /// `torchrun` on PATH.
    func launcher() throws(MarginalError) -> [String] {
        if let python { return [try pythonExecutable(python), "-m", "torch.distributed.run"] }
        if let found = packagedFile([".venv/bin/torchrun"], executable: true) ?? executableOnPath("torchrun") { return [found] }
        throw MarginalError("torchrun: not in .venv/bin above \(runningExecutable) nor on PATH (run Scripts/install-dependencies.sh, or give --python PATH of a Python with torch)")
    }

    /// `python/examples/train_unet.py` of the package marginal was built from (or an installed
    /// copy's `share/marginal/`).
    func trainScript() throws(MarginalError) -> String {
        if let found = packagedFile([Self.script, "share/marginal/" + Self.script]) { return found }
        throw MarginalError("\(Self.script): not found above \(runningExecutable)")
    }

    /// The `folder:PATH` the ranks read: the dataset itself when it is a folder, else its export
    /// `<runs-dir>/.datasets/<name>-seed<S>` (`-<size>px` after it when the size is not 64),
    /// written now unless a complete one is there.
    func folderDataset(progress: (Int, Int) -> Void) throws(MarginalError) -> String {
        if case .folder(let path) = configuration.dataset { return path }
        let runs = URL(fileURLWithPath: runsDir)
        try makeOutputFolder(runs, option: "--runs-dir")
        let datasets = runs.appendingPathComponent(".datasets")
        try makeOutputFolder(datasets, option: "--runs-dir")
        let folder = datasets.appendingPathComponent("\(configuration.dataset)-seed\(configuration.seed)" + (configuration.size == 64 ? "" : "-\(configuration.size)px"))
        if !DatasetExport.isComplete(folder) {
            do {
                try exportBuiltIn(configuration.dataset, seed: configuration.seed, size: configuration.size, to: folder, progress: progress)
            } catch {
                // Another launch may have exported the same set meanwhile.
                guard DatasetExport.isComplete(folder) else { throw error }
            }
        }
        return folder.path
    }

    /// train_unet.py's arguments (its CLI: docs/TENSORBOARD.md, "Multi-process runs").
    func scriptArguments(dataset: String) -> [String] {
        let c = configuration
        var arguments = ["--dataset", "folder:" + dataset, "--loss", c.loss.rawValue, "--steps", "\(c.steps)", "--batch", "\(c.batch)",
                         "--lr", exactNumber(c.learningRate)]
        if let lambda = c.lambda { arguments += ["--lambda", exactNumber(lambda)] }
        arguments += ["--tau", exactNumber(c.tau), "--eval-every", "\(c.evalEvery)", "--seed", "\(c.seed)", "--width", "\(c.width)",
                      "--threads", "\(c.threads)", "--runs-dir", runsDir, "--run", name, "--optimizer", c.optimizer.rawValue,
                      "--patience", "\(c.patience)"]
        return arguments
    }

    /// Exports if needed, starts torchrun, forwards INT and TERM as SIGINT to its group, waits;
    /// torchrun's exit status (128 + the signal if a signal ended it).
    func run() throws(MarginalError) -> Int32 {
        let launcher = try launcher(), script = try trainScript()
        let bar = ProgressBar(title: "export \(configuration.dataset)")
        let dataset = try folderDataset { bar.update(done: $0, total: $1, unit: "files") }
        bar.finish()
        let arguments = Array(launcher.dropFirst()) + ["--nproc-per-node", "\(processes)", script] + scriptArguments(dataset: dataset)
        var environment = ProcessInfo.processInfo.environment
        // The package's marginal_torch, not a copy installed earlier.
        let module = URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent().path
        environment["PYTHONPATH"] = [module, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        FileHandle.standardError.write(Data("marginal train: \(shellCommand([launcher[0]] + arguments))\n".utf8))
        // Installed before the spawn, so no Ctrl-C can end marginal and leave torchrun running.
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in
                let group = forwardedGroup.load(ordering: .relaxed)
                if group > 1 { kill(-group, SIGINT) } else { stopBeforeStart.store(true, ordering: .relaxed) }
            }
        }
        let pid: Int32
        switch spawnProcessGroup(launcher[0], arguments: arguments, environment: environment, name: name) {
        case .success(let child): pid = child
        case .failure(let failure): throw MarginalError(failure.description)
        }
        forwardedGroup.store(pid, ordering: .relaxed)
        if stopBeforeStart.load(ordering: .relaxed) { kill(-pid, SIGINT) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw MarginalError("torchrun (pid \(pid)): cannot wait for it (\(String(cString: strerror(errno))))") }
        }
        // WIFEXITED, WEXITSTATUS and WTERMSIG are macros Swift cannot import.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// The process group that a SIGINT or SIGTERM to marginal is forwarded to (0 until torchrun
/// starts), read by the signal handler (an atomic load is async-signal-safe; so is kill(2)).
private let forwardedGroup = Atomic<Int32>(0)
/// A stop asked for before torchrun started: forwarded as soon as it has.
private let stopBeforeStart = Atomic<Bool>(false)
