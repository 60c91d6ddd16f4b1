import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalFigure
import MarginalRuns

/// `marginal train --engine pytorch`: the built-in dataset exported as PNGs under
/// `<runs-dir>/.datasets/` (once, then reused), then `torchrun --nproc-per-node N
/// train_unet.py …` in a process group of its own (`spawnProcessGroup`: a terminal's Ctrl-C
/// reaches marginal only), a Ctrl-C or SIGTERM forwarded as `marginal runs stop` would stop the
/// run (`RunControl.stop`: SIGINT to the process group in status.json; every rank stops after
/// the same step, rank 0 saves), and torchrun's exit status returned. The TUI's launch form
/// runs this same command, detached.
struct PyTorchLaunch {
    let configuration: RunConfiguration
    let processes: Int
    let name: String
    let runsDir: String
    /// `--python`: run torchrun as `PYTHON -m torch.distributed.run`; nil: the torchrun found.
    let python: String?
    /// `--threads` when given; nil leaves train_unet.py its default (the cores / the processes).
    let threads: Int?

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
                      "--runs-dir", runsDir, "--run", name, "--optimizer", c.optimizer.rawValue,
                      "--patience", "\(c.patience)"]
        if let threads { arguments += ["--threads", "\(threads)"] }
        return arguments
    }

    /// Exports if needed, starts torchrun, forwards INT and TERM as SIGINT to its group, waits;
    /// torchrun's exit status (128 + the signal if a signal ended it).
    func run() throws(MarginalError) -> Int32 {
        let launcher = try launcher(), script = try trainScript()
        let bar = ProgressBar(title: "export \(configuration.dataset)")
        let dataset = try folderDataset { bar.update(done: $0, total: $1, unit: "files") }
        bar.finish()
        // "--" after the script: torchrun's argparse otherwise reads the script's --run as an
        // abbreviation of its own --run-path and stops ("ambiguous option").
        let arguments = Array(launcher.dropFirst()) + ["--nproc-per-node", "\(processes)", script, "--"] + scriptArguments(dataset: dataset)
        var environment = ProcessInfo.processInfo.environment
        // The package's marginal_torch, not a copy installed earlier.
        let module = URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent().path
        environment["PYTHONPATH"] = [module, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        FileHandle.standardError.write(Data("marginal train: \(shellCommand([launcher[0]] + arguments))\n".utf8))
        // Installed before the spawn, so no Ctrl-C can end marginal and leave torchrun running;
        // the handlers also unblock the signals, which a parent (swift test's runner, say) may
        // have blocked, so that a Ctrl-C is always forwarded. The trainer's own handlers.
        installStopHandlers()
        let pid: Int32
        switch spawnProcessGroup(launcher[0], arguments: arguments, environment: environment, name: name) {
        case .success(let child): pid = child
        case .failure(let failure): throw MarginalError(failure.description)
        }
        let run = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
        var status: Int32 = 0, forwarded = false
        while true {
            let ended = waitpid(pid, &status, WNOHANG)
            if ended == pid { break }
            if ended < 0, errno != EINTR { throw MarginalError("torchrun (pid \(pid)): cannot wait for it (\(String(cString: strerror(errno))))") }
            if isStopRequested, !forwarded {
                forwarded = true
                // As `marginal runs stop` stops it (`RunControl.stop`); before rank 0 has written
                // the run's status, to torchrun's group (its agent signals the ranks).
                if (try? RunControl.stop(run)) == nil { kill(-pid, SIGINT) }
            }
            usleep(50_000)
        }
        // WIFEXITED, WEXITSTATUS and WTERMSIG are macros Swift cannot import.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
