import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalRuns
import MarginalFigure

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train UNet-S on the CPU with any loss, writing a run folder you can watch and resume.",
        discussion: """
        The run folder runs/<name>/ holds config.json, metrics.jsonl (one JSON object a line: "train" lines every 10 steps, "eval" lines with per-class IoU, Dice and proportions at every evaluation), checkpoint.bin and checkpoint.json, status.json (running, done, stopped or failed) and, at the end, summary.json with the test split's numbers. Ctrl-C (or SIGTERM) finishes the step, saves the checkpoint and stops; --resume continues it.

        Datasets (docs/DATASETS.md; lesions, organ and street are seeded and synthetic, classes overlapping in intensity and differing in texture and shape): \(DatasetEntry.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")); folder:PATH (PATH/images/*.png and PATH/masks/*.png paired by name, mask values are class ids, 255 = ignored).

        A running run stops with marginal runs stop NAME (or Ctrl-C in its terminal) and continues with marginal runs resume NAME.

        --engine pytorch --processes N trains the same UNet-S with PyTorch: the built-in dataset is exported once as PNGs to <runs-dir>/.datasets/<dataset>-seed<S> (marginal dataset export), then torchrun --nproc-per-node N python/examples/train_unet.py runs in a process group of its own; Ctrl-C (or marginal runs stop NAME, or s in the TUI) sends SIGINT to that group: every rank stops after the same step and rank 0 saves. Not with --resume or --seeds. --batch is the global batch (a multiple of --processes, split over the ranks); --threads is per process (default: the cores / the processes).

        Examples:
          marginal train --dataset lesions --loss ce_l1 --steps 400 --run lesions-l1
          marginal train --dataset street --loss dice --steps 2000 --eval-every 200 --run street-dice
          marginal train --run lesions-l1 --resume
          marginal train --run lesions-l1 --resume --steps 800     extend a finished run to 800 steps
          marginal train --dataset lesions --loss ce_l1 --seeds 1,2,3   runs lesions-ce_l1-1, -2, -3: a group
          marginal train --engine pytorch --processes 2 --threads 1 --dataset lesions --loss ce_l1 --steps 200 --run torch-l1
        """
    )

    @Option(help: ArgumentHelp("The dataset (each described above).", valueName: "dataset"))
    var dataset = DatasetName.synthetic(.lesions)

    @OptionGroup var lossOptions: LossOptions

    @Option(parsing: .unconditional, help: "Training steps.")
    var steps = 500

    @Option(parsing: .unconditional, help: "Train for this many passes over the training split instead (sets the steps).")
    var epochs: Double?

    @Option(parsing: .unconditional, help: "Images per step.")
    var batch = 8

    @Option(parsing: .unconditional, help: "Learning rate: Adam's halves after --patience evaluations without a better validation loss; SGD's decays as (1 − t/T)^0.9.")
    var lr = 1e-3

    @Option(help: "adam, or sgd (momentum 0.9, weight decay 1e-4, polynomial decay; the paper's Cityscapes setting).")
    var optimizer = OptimizerName.adam

    @Option(parsing: .unconditional, help: "Seed of the data, the initialisation and the batch order.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Image side in pixels (a multiple of 4).")
    var size = 64

    @Option(parsing: .unconditional, help: "UNet-S width w.")
    var width = 16

    @Option(name: .customLong("run"), help: "Run name: the folder under --runs-dir (default: <dataset>-<loss>-<seed>).")
    var runName: String?

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Option(parsing: .unconditional, help: "Evaluate on the validation split every N steps.")
    var evalEvery = 100

    @Option(parsing: .unconditional, help: "Evaluations without improvement before the learning rate halves.")
    var patience = 5

    @Option(parsing: .unconditional, help: "Threads.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Train one run per seed, one after the other, named <run>-<seed> (default <dataset>-<loss>-<seed>): a group the comparison averages (runs compare --group).",
        valueName: "s1,s2,…"))
    var seeds: String?

    @Option(help: "marginal (this program's CPU trainer), or pytorch: python/examples/train_unet.py under torchrun (DDP, gloo on CPU, NCCL on GPUs) with --processes ranks; rank 0 writes the run folder, which marginal lists, monitors, compares and stops like its own.")
    var engine = EngineName.marginal

    @Option(parsing: .unconditional, help: "With --engine pytorch: torchrun's processes (--nproc-per-node), 1 to 64.")
    var processes: Int?

    @Option(help: ArgumentHelp("With --engine pytorch: run torchrun as PYTHON -m torch.distributed.run (a path, or a name on PATH; default: .venv/bin/torchrun above this executable, else torchrun on PATH).", valueName: "PYTHON"))
    var python: String?

    @Flag(help: "Continue the run named by --run from its checkpoint, with its own configuration; with --steps N, extend a finished or stopped run to N steps (any other changed option is refused).")
    var resume = false

    func run() throws {
        try reportingFailures("train") {
            var configuration = RunConfiguration(
                dataset: dataset, loss: lossOptions.loss, lambda: lossOptions.lambda, tau: lossOptions.tau, steps: steps, batch: batch, learningRate: lr,
                optimizer: optimizer, seed: seed, size: size, width: width, evalEvery: evalEvery, threads: threads, patience: patience)
            if !resume {
                let data = try configuration.validated()
                if let epochs {
                    guard epochs.isFinite, epochs > 0 else { throw MarginalError("--epochs \(epochs): must be a positive number") }
                    configuration.steps = max(1, Int((epochs * Double(data.train.count) / Double(batch)).rounded(.up)))
                }
            }
            guard resume ? runName != nil : true else { throw MarginalError("--resume needs --run NAME") }
            if engine == .pytorch { return try trainWithPyTorch(configuration) }
            if processes != nil { throw MarginalError("--processes: only with --engine pytorch (marginal's trainer is one process; --threads sets its threads)") }
            if python != nil { throw MarginalError("--python: only with --engine pytorch") }
            if let seeds {
                guard !resume else { throw MarginalError("--seeds with --resume: resume each run of the group by its name") }
                let values = try RunGroup.seeds(seeds)
                let stem = runName ?? "\(dataset)-\(lossOptions.loss)"
                for name in values.map({ RunGroup.memberName(stem: stem, seed: $0) }) {
                    let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
                    if directory.exists { throw MarginalError("\(directory.url.path): a run with this name exists; pick another --run for the group") }
                }
                for value in values {
                    var one = configuration
                    one.seed = value
                    guard try train(one, name: RunGroup.memberName(stem: stem, seed: value), extending: nil) == .done else { return }
                }
                return
            }
            let name = runName ?? "\(dataset)-\(lossOptions.loss)-\(seed)"
            let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
            if !resume && directory.exists {
                throw MarginalError("\(directory.url.path): a run with this name exists; pick another --run or continue it with --resume")
            }
            var extended: Int?
            if resume {
                guard directory.exists else { throw MarginalError("\(directory.url.path): no such run to resume") }
                let stored = try directory.read(RunConfiguration.self, from: .configuration)
                if let refusal = stored.resumeRefusal { throw MarginalError("cannot resume \(name): \(refusal)") }
                let given = Self.givenOptions(Array(CommandLine.arguments.dropFirst()))
                try Self.refuseChanges(given: given, asked: configuration, stored: stored, epochs: epochs)
                if given.contains("--steps"), steps != stored.steps { extended = steps }
            }
            _ = try train(configuration, name: name, extending: extended)
        }
    }

    /// Trains one run to its end or a stop, saying which; a failure is an error.
    func train(_ configuration: RunConfiguration, name: String, extending extended: Int?) throws(MarginalError) -> RunState {
        let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
        let trainer = try Trainer(configuration: configuration, run: directory, resume: resume, extendingTo: extended)
        installStopHandlers()
        let bar = ProgressBar(title: name)
        let status = trainer.train { bar.update($0) }
        bar.finish()
        switch status.status {
        case .done: print("\(directory.url.path): done at step \(status.step)")
        case .stopped: print("\(directory.url.path): stopped at step \(status.step); continue with: marginal runs resume \(name)\(runsDir == "runs" ? "" : " --runs-dir \(shellCommand([runsDir]))")")
        case .running, .failed: throw MarginalError(status.error ?? "training failed")
        }
        return status.status
    }
}

extension TrainCommand {
    /// `--engine pytorch` (`PyTorchLaunch`): refuses what torch cannot honour, one line each,
    /// then runs torchrun to its end and exits with its status (a failure, or an end without a
    /// final status, said in one line; rank 0 prints "done" or "stopped" itself), or 0 when the
    /// run stopped as asked (status `stopped`: saved), whatever torchrun's status.
    func trainWithPyTorch(_ configuration: RunConfiguration) throws {
        if resume { throw MarginalError("--resume with --engine pytorch: marginal resumes only its own runs; start a new --run") }
        if seeds != nil { throw MarginalError("--seeds with --engine pytorch: launch one run a seed (--seed S --run NAME)") }
        let processes = self.processes ?? 1
        guard (1 ... 64).contains(processes) else { throw MarginalError("--processes \(processes): must be 1 to 64") }
        guard batch % processes == 0 else {
            throw MarginalError("--batch \(batch) with --processes \(processes): the global batch is split evenly over the processes, so it must be a multiple of \(processes)")
        }
        let name = runName ?? "\(dataset)-\(lossOptions.loss)-\(seed)"
        let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
        if directory.exists { throw MarginalError("\(directory.url.path): a run with this name exists; pick another --run") }
        let threadsGiven = Self.givenOptions(Array(CommandLine.arguments.dropFirst())).contains("--threads")
        let launch = PyTorchLaunch(configuration: configuration, processes: processes, name: name, runsDir: runsDir, python: python,
                                   threads: threadsGiven ? threads : nil)
        let code = try launch.run()
        let status = try? directory.read(RunStatus.self, from: .status)
        switch status?.status {
        case .done?: break  // rank 0 said so ("…: done at step N")
        case .stopped?:
            // Rank 0 saved and said so; torchrun reports the SIGINT it passed on with exit status
            // 1 and a traceback. A stop asked for is a clean end, as for marginal's trainer.
            if code != 0 { FileHandle.standardError.write(Data("marginal train: \(name) stopped and saved (torchrun's exit status \(code) reports the SIGINT it passed on)\n".utf8)) }
            return
        case .failed?: FileHandle.standardError.write(Data("marginal train: \(name) failed: \(status?.error ?? "see the output above")\n".utf8))
        case .running?, nil: FileHandle.standardError.write(Data("marginal train: torchrun ended (exit \(code)) without a final status for \(directory.url.path)\n".utf8))
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// The long options written on a command line (`--steps 600` or `--steps=600`), up to `--`:
    /// on --resume, a value asked for is told from a default by this.
    static func givenOptions(_ arguments: [String]) -> Set<String> {
        var given = Set<String>()
        for argument in arguments {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            given.insert(String(argument.split(separator: "=", maxSplits: 1)[0]))
        }
        return given
    }

    /// --resume continues a run with its own configuration: an option given with another value
    /// than the run's is refused, naming it (only --steps may change: it extends the run;
    /// --threads does not change the results' meaning and may too).
    static func refuseChanges(given: Set<String>, asked: RunConfiguration, stored: RunConfiguration, epochs: Double?) throws(MarginalError) {
        if given.contains("--epochs") {
            throw MarginalError("--epochs with --resume: give the new total as --steps N to extend the run (it is at \(stored.steps) planned steps)")
        }
        let checks: [(option: String, asked: String, stored: String)] = [
            ("--dataset", asked.dataset.description, stored.dataset.description),
            ("--loss", asked.loss.rawValue, stored.loss.rawValue),
            ("--lambda", asked.lambda.map(exactNumber) ?? "default", stored.lambda.map(exactNumber) ?? "default"),
            ("--tau", exactNumber(asked.tau), exactNumber(stored.tau)),
            ("--batch", "\(asked.batch)", "\(stored.batch)"),
            ("--lr", exactNumber(asked.learningRate), exactNumber(stored.learningRate)),
            ("--optimizer", asked.optimizer.rawValue, stored.optimizer.rawValue),
            ("--seed", "\(asked.seed)", "\(stored.seed)"),
            ("--size", "\(asked.size)", "\(stored.size)"),
            ("--width", "\(asked.width)", "\(stored.width)"),
            ("--eval-every", "\(asked.evalEvery)", "\(stored.evalEvery)"),
            ("--patience", "\(asked.patience)", "\(stored.patience)"),
        ]
        for check in checks where given.contains(check.option) && check.asked != check.stored {
            throw MarginalError("\(check.option) \(check.asked) with --resume: the run was trained with \(check.option) \(check.stored), "
                                + "and a resumed run keeps its configuration (only --steps changes, to extend it); start a new --run for \(check.option) \(check.asked)")
        }
    }
}

/// A progress bar with loss, speed and ETA on a terminal; a plain line every 10 % otherwise.
final class ProgressBar {
    let title: String
    let interactive = isatty(STDERR_FILENO) != 0
    private var lastPrinted = -1

    init(title: String) { self.title = title }

    func update(_ progress: TrainingProgress) {
        let fraction = Double(progress.step) / Double(progress.steps)
        let remaining = Double(progress.steps - progress.step) * progress.secondsPerStep
        let miou = progress.lastMIoU.map { String(format: " mIoU %.1f%%", 100 * $0) } ?? ""
        let text = String(format: "step %d/%d loss %.4f%@ %.1f step/s ETA %@", progress.step, progress.steps, progress.loss,
                          miou, 1 / max(progress.secondsPerStep, 1e-9), duration(remaining))
        show(fraction: fraction, text: text)
    }

    /// `done` of `total` things (files of an export), as the bar or a line every 10 %.
    func update(done: Int, total: Int, unit: String) {
        show(fraction: Double(done) / Double(max(total, 1)), text: "\(done)/\(total) \(unit)")
    }

    private func show(fraction: Double, text: String) {
        if interactive {
            let filled = Int(fraction * 24)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(title) \(bar) \(text)".utf8))
        } else {
            let decile = Int(fraction * 10)
            guard decile != lastPrinted else { return }
            lastPrinted = decile
            FileHandle.standardError.write(Data("\(title): \(text)\n".utf8))
        }
    }

    func finish() { if interactive { FileHandle.standardError.write(Data("\n".utf8)) } }

    private func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
