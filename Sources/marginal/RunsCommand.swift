import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalRuns
import MarginalApp

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List training runs, compare them in the layout of the paper's Table 4, plot their curves, stop or resume them.",
        subcommands: [ListRuns.self, CompareRuns.self, PlotRuns.self, StopRun.self, ResumeRun.self],
        defaultSubcommand: ListRuns.self
    )
}

struct ListRuns: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every run with its status, loss, step and best validation mIoU; then any TensorBoard runs (folders of event files) under --runs-dir.")

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    func run() throws {
        try reportingFailures("runs") { try list() }
    }

    func list() throws(MarginalError) {
        let folder = try existingRunsFolder(runsDir)
        let runs = RunRecord.all(in: folder).filter { !$0.isTensorBoard }  // listed below, with their own columns
        let tensorBoardRuns = TensorBoardRun.runs(in: folder)
        guard !runs.isEmpty || !tensorBoardRuns.isEmpty else {
            print("no runs under \(runsDir) (start one with: marginal train --dataset lesions --loss ce_l1)")
            return
        }
        defer { listTensorBoardRuns(tensorBoardRuns, separated: !runs.isEmpty) }
        guard !runs.isEmpty else { return }
        print("name".padding(toLength: 24, withPad: " ", startingAt: 0) + "status    dataset  loss         λ      τ     step  best mIoU")
        for run in runs {
            let c = run.configuration
            let lambda = run.lambda
            print(run.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + run.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                + c.dataset.description.padding(toLength: 9, withPad: " ", startingAt: 0)
                + c.loss.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
                + (lambda.map { String(format: "%-7g", $0) } ?? "–      ")
                + String(format: "%-6g", c.tau)
                + String(format: "%5d/%-6d", run.step, c.steps)
                + (run.bestMIoU.map { String(format: "%6.1f%%", 100 * $0) } ?? "     –"))
        }
    }

    /// The TensorBoard runs of the folder (event files not in a marginal run folder, such as a
    /// PyTorch SummaryWriter's): last step, tag count, best `miou` when the tags follow
    /// docs/TENSORBOARD.md; a note per skipped record on standard error.
    func listTensorBoardRuns(_ found: [TensorBoardRun], separated: Bool) {
        guard !found.isEmpty else { return }
        if separated { print("") }
        print("TensorBoard runs (event files)".padding(toLength: 32, withPad: " ", startingAt: 0) + "  step  tags  best mIoU")
        for var run in found {
            run.update()
            let best = run.scalars[TensorBoardTags.miou]?.map(\.value).max()
            print(run.name.padding(toLength: 32, withPad: " ", startingAt: 0)
                + String(format: "%6d  %4d  ", run.lastStep, run.tags.count)
                + (best.map { String(format: "%6.1f%%", 100 * $0) } ?? "     –"))
            let others = run.tagOrder.filter { run.scalars[$0] != nil && !TensorBoardTags.isConventional($0) }
            if !others.isEmpty { print("  other scalars: " + others.joined(separator: ", ") + "  (runs plot NAME --tag TAG)") }
            for note in run.notes { FileHandle.standardError.write(Data("marginal runs: \(note)\n".utf8)) }
        }
    }
}

struct CompareRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Per-class IoU of several runs, the paper's Table 4 layout: a first row with each class's mean proportion, one row a run, mIoU last.",
        discussion: "The numbers are each run's latest validation evaluation. Formats: text (default), markdown, csv, json; with --group too (mean ± std a group, its marks in a column of their own in CSV and a field in JSON)."
    )

    @Argument(help: "Run names (folders under --runs-dir), or TensorBoard runs as marginal runs list names them.")
    var names: [String]

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Option(help: "text, markdown, csv or json.")
    var format = "text"

    @Flag(help: "One row per group of runs that differ only in their seed: mean ± std over the seeds, their number, and ~ where a mean is within the seeds' spread of the best.")
    var group = false

    func run() throws {
        try reportingFailures("runs compare") {
            guard !names.isEmpty else { throw MarginalError("name at least one run") }
            guard let chosen = RunComparison.Format(rawValue: format) else {
                throw MarginalError("--format \(format): choose text, markdown, csv or json")
            }
            let runs = try readRuns(names, in: runsDir)
            if group {
                print(try RunComparison(runs: runs).renderGrouped(chosen), terminator: "")
                return
            }
            print(try RunComparison(runs: runs).render(chosen), terminator: "")
        }
    }
}

/// The folder of runs, which must exist (only `marginal train` creates it): a mistyped
/// --runs-dir is an error naming it, not an empty list.
func existingRunsFolder(_ runsDir: String) throws(MarginalError) -> URL {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: runsDir, isDirectory: &isFolder) else {
        throw MarginalError("--runs-dir \(runsDir): no such folder (marginal train creates it with its first run)")
    }
    guard isFolder.boolValue else { throw MarginalError("--runs-dir \(runsDir): not a folder") }
    return URL(fileURLWithPath: runsDir)
}

/// The runs named on the command line, read whole: a run folder under --runs-dir, or a
/// TensorBoard run as `marginal runs list` names it (a folder of event files under --runs-dir,
/// "a/b" for a nested one), or a path to such a folder. One line for a name that is neither; a
/// note on standard error per record of event files skipped.
func readRuns(_ names: [String], in runsDir: String) throws(MarginalError) -> [RunRecord] {
    func notARun(_ name: String) -> MarginalError {
        MarginalError("'\(name)' is not a run name: runs are named by their folder under --runs-dir (or a folder of TensorBoard event files); to write to a file, give --out \(shellCommand([name]))")
    }
    // A file name among the names is meant for --out (said before any run is looked for).
    for name in names where [".svg", ".png", ".pdf", ".csv", ".json"].contains(where: { name.lowercased().hasSuffix($0) }) { throw notARun(name) }
    let folder = try existingRunsFolder(runsDir)
    return try names.map { name throws(MarginalError) in
        if let run = tensorBoardRun(name, in: folder) {
            let record = RunRecord(tensorBoard: run)
            for note in record.tensorBoard?.notes ?? [] { FileHandle.standardError.write(Data("marginal runs: \(note)\n".utf8)) }
            return record
        }
        if name.contains("/") { throw notARun(name) }
        let directory = try RunDirectory(runsFolder: folder, name: name)
        guard directory.exists else { throw MarginalError("\(directory.url.path): no such run") }
        return try RunRecord(directory)
    }
}

/// The TensorBoard run `name` names: a folder under `runsFolder` (or a path) holding event files
/// and no config.json, read whole; nil when it is not one.
func tensorBoardRun(_ name: String, in runsFolder: URL) -> TensorBoardRun? {
    let candidates = name.hasPrefix("/") ? [URL(fileURLWithPath: name)]
        : [runsFolder.appendingPathComponent(name), URL(fileURLWithPath: name)]
    for folder in candidates where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunFile.configuration.rawValue).path) {
        guard !TensorBoardEventWriter.eventFiles(in: folder).isEmpty else { continue }
        var run = TensorBoardRun(folder: folder, name: name)
        run.update()
        return run
    }
    return nil
}

/// `marginal runs plot`: runs' IoU, loss or proportions over training, as numbers (CSV, JSON) or
/// a figure (SVG, PNG, PDF), built by `RunPlot` as the explorer's runs screen exports them.
struct PlotRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot runs' IoU, loss or label proportions over training.",
        discussion: """
        Each run is a folder under --runs-dir, read as it is now: a run still \
        training is plotted up to its last complete line.

          iou         validation IoU, from 0 to 1. One run: every class.
                      With --class: that class in each run.
                      Several runs without --class: each run's mIoU.
          loss        training loss, smoothed by TensorBoard's debiased moving
                      average of weight --smoothing (0: not smoothed).
                      One run: the total, and for CE + λ·R its CE part and its
                      regulariser part, the raw total faint behind.
                      Several runs: each run's total.
          proportion  validation label proportions. One run: every class.
                      With --class: that class in each run (several runs need it).
                      Soft p̂ (τ = 1) solid, hard (argmax) dotted, the target ŷ
                      a dashed line; log y axis when the values span a decade
                      and none is 0. A lasting gap between p̂ and ŷ is a
                      label-marginal bias made visible.
          scalar      a TensorBoard run's scalar outside marginal's tag
                      convention (docs/TENSORBOARD.md), named by --tag (which
                      implies --metric scalar): every logged point, one curve
                      a run. marginal runs lists each run's such tags.

        --class takes an index or a class name; runs plotted by class must \
        share a dataset. --smoothing applies to the loss only. CSV: a column \
        for x (step, or time in seconds), then one per curve, named \
        run:quantity or run:quantity:class, empty where a curve has no sample \
        at that x. JSON: every curve with its own x and y. The format follows \
        the extension of --out unless --format is given.

        Examples:
          marginal runs plot lesions-l1 --out iou.svg
          marginal runs plot lesions-ce lesions-l1 --class lesion --out iou.pdf
          marginal runs plot lesions-ce lesions-l1 --metric loss --out loss.png
          marginal runs plot lesions-l1 --metric proportion --x time > p.csv
          marginal runs plot lesions-l1 --metric loss --smoothing 0.9 --format json
          marginal runs plot lesions-ce_l1-1 lesions-ce_l1-2 lesions-ce_l1-3 --group --out iou.svg
          marginal runs plot pytorch/seed1 --tag train/grad_norm --out gnorm.svg
        """
    )

    @Argument(help: "Run names (folders under --runs-dir), or TensorBoard runs as marginal runs list names them.")
    var names: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "What to plot: \(RunMetric.allCases.map(\.rawValue).joined(separator: ", ")). (default: iou; scalar with --tag)", valueName: "metric"))
    var metric: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "A TensorBoard scalar outside marginal's tags, by its tag (implies --metric scalar).", valueName: "tag"))
    var tag: String?

    @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp(
        "A class, by index or name (iou, proportion). (default: every class of one run)", valueName: "k"))
    var classChoice: String?

    @Option(name: .customLong("x"), parsing: .unconditional, help: ArgumentHelp(
        "x axis: step, or time (seconds of training).", valueName: "axis"))
    var xAxis = "step"

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Weight w of the loss's moving average, from 0 (none) to 0.999.", valueName: "w"))
    var smoothing = "0.6"

    @Option(parsing: .unconditional, help: ArgumentHelp("Figure size in points (SVG, PDF; PNG times --scale).", valueName: "WxH"))
    var size = "720x450"

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Flag(help: "The runs are one group of seeds (runs that differ only in their seed): plot their mean with a band from the smallest to the largest seed's value; CSV and JSON add each curve's min and max.")
    var group = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures("runs plot") {
            guard !names.isEmpty else { throw MarginalError("name at least one run (see marginal runs list)") }
            let metric = metric ?? (tag == nil ? "iou" : "scalar")
            guard let chosen = RunMetric(rawValue: metric.lowercased()) else {
                throw MarginalError("unknown metric '\(metric)' (expected \(RunMetric.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let axis = HistoryAxis(rawValue: xAxis.lowercased()) else {
                throw MarginalError("--x '\(xAxis)' is neither step nor time")
            }
            let weight = try parseNumber(smoothing, option: "--smoothing", range: 0 ... 0.999)
            let figureSize = try parseSize(size)
            _ = try OutputFormat.resolve(format: output.format, out: output.out)  // a bad format before reading runs
            let runs = try readRuns(names, in: runsDir)
            let classIndex = try classChoice.map { (text: String) throws(MarginalError) in try RunPlot.classIndex(text, of: runs) }
            let plot = try RunPlot(runs: runs, metric: chosen, classIndex: classIndex, axis: axis, smoothing: weight,
                                   size: figureSize, asGroup: group, tag: tag)
            try output.emit(PlotProduct(table: plot.table, json: plot.json, figure: plot.figure))
        }
    }
}

/// `marginal runs stop NAME`: SIGINT to the run's trainer, as Ctrl-C in its terminal or S on the
/// explorer's Runs screen (`RunControl.stop`).
struct StopRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Ask a running run's trainer to stop: it finishes its step, saves its checkpoint and writes stopped.",
        discussion: """
        The trainer is found afresh in the run's status.json, and signalled (SIGINT) only while it \
        still holds the run's lock, so an ended trainer's reused pid is never signalled. The command \
        then waits up to --wait seconds for the trainer to end and says how the run ended, or that \
        it asked. A run that is not running is refused with one line and exit status 2.

        Examples:
          marginal runs stop lesions-l1
          marginal runs stop street-dice --runs-dir ~/runs --wait 30
          marginal runs resume lesions-l1          continue it later
        """
    )

    @Argument(help: "The run's name (a folder under --runs-dir).")
    var name: String

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for the trainer to end (0: ask and return).", valueName: "seconds"))
    var wait: Double = 10

    func run() throws {
        try reportingFailures("runs stop") {
            guard wait.isFinite, wait >= 0 else { throw MarginalError("--wait \(wait): must be 0 or more seconds") }
            let run = try RunControl.existingRun(name, in: try existingRunsFolder(runsDir))
            let pid = try RunControl.stop(run)
            guard wait > 0, RunControl.waitForEnd(of: run, pid: pid, timeout: wait) else {
                print("\(run.url.path): asked its trainer (pid \(pid)) to stop; it stops after its current step (see marginal runs list)")
                return
            }
            let status = try? run.read(RunStatus.self, from: .status)
            if let status, status.status == .stopped, (try? run.read(RunConfiguration.self, from: .configuration))?.resumeRefusal != nil {
                print("\(run.url.path): stopped at step \(status.step) (a \(status.engine ?? "foreign") run: marginal does not resume it)")
            } else if let status, status.status == .stopped {
                print("\(run.url.path): stopped at step \(status.step); continue with: marginal runs resume \(shellCommand([name]))"
                      + (runsDir == "runs" ? "" : " --runs-dir \(shellCommand([runsDir]))"))
            } else {
                print("\(run.url.path): its trainer (pid \(pid)) has ended without saving a stop; status: \(status?.status.rawValue ?? "unreadable")")
            }
        }
    }
}

/// `marginal runs resume NAME`: `marginal train --run NAME --resume` in the background, detached
/// from the terminal, as R on the explorer's Runs screen (`RunControl.resume`).
struct ResumeRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a stopped or failed run from its checkpoint, in the background (--steps N extends a done run too).",
        discussion: """
        Starts marginal train --run NAME --resume --runs-dir DIR as a process of its own session \
        (it outlives this shell and its terminal), with its output appended to DIR/.logs/NAME.log, \
        and prints that command and the log's path. The run continues with its own configuration. \
        A run that is running, done, or has no checkpoint yet is refused with one line and exit status 2.

        Examples:
          marginal runs resume lesions-l1
          marginal runs resume street-dice --runs-dir ~/runs
          marginal runs resume lesions-l1 --steps 1000   extend a done run to 1000 steps
          marginal runs stop lesions-l1            stop it again
        """
    )

    @Argument(help: "The run's name (a folder under --runs-dir).")
    var name: String

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Option(parsing: .unconditional, help: ArgumentHelp("A new total of steps: extends a stopped or done run (train --resume --steps N).", valueName: "N"))
    var steps: Int?

    func run() throws {
        try reportingFailures("runs resume") {
            let run = try RunControl.existingRun(name, in: try existingRunsFolder(runsDir))
            if let steps, steps < 1 { throw MarginalError("--steps \(steps): must be at least 1") }
            let child = try RunControl.resume(run, runsFolder: runsDir, steps: steps)
            print("resuming \(name) (pid \(child.pid)): \(child.command)")
            print("log: \(child.log.path)")
        }
    }
}
