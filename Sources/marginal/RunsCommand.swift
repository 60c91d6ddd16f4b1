import ArgumentParser
import Foundation
import MarginalCore
import MarginalEngine
import MarginalApp

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List training runs, compare them in the layout of the paper's Table 4, or plot their curves.",
        subcommands: [ListRuns.self, CompareRuns.self, PlotRuns.self],
        defaultSubcommand: ListRuns.self
    )
}

struct ListRuns: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every run with its status, loss, step and best validation mIoU.")

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    func run() throws {
        let runs = RunRecord.all(in: URL(fileURLWithPath: runsDir))
        guard !runs.isEmpty else {
            print("no runs under \(runsDir) (start one with: marginal train --dataset lesions --loss ce_l1)")
            return
        }
        print("name".padding(toLength: 24, withPad: " ", startingAt: 0) + "status    dataset  loss         λ      τ     step  best mIoU")
        for run in runs {
            let c = run.configuration
            let lambda = run.lambda
            print(run.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + run.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                + c.dataset.padding(toLength: 9, withPad: " ", startingAt: 0)
                + c.loss.padding(toLength: 13, withPad: " ", startingAt: 0)
                + (lambda.map { String(format: "%-7g", $0) } ?? "–      ")
                + String(format: "%-6g", c.tau)
                + String(format: "%5d/%-6d", run.step, c.steps)
                + (run.bestMIoU.map { String(format: "%6.1f%%", 100 * $0) } ?? "     –"))
        }
    }
}

struct CompareRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Per-class IoU of several runs, the paper's Table 4 layout: a first row with each class's mean proportion, one row a run, mIoU last.",
        discussion: "The numbers are each run's latest validation evaluation. Formats: text (default), markdown, csv, json."
    )

    @Argument(help: "Run names (folders under --runs-dir).")
    var names: [String]

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Option(help: "text, markdown, csv or json.")
    var format = "text"

    func run() throws {
        try reportingFailures("runs compare") {
            guard !names.isEmpty else { throw MarginalError("name at least one run") }
            guard let chosen = RunComparison.Format(rawValue: format) else {
                throw MarginalError("--format \(format): choose text, markdown, csv or json")
            }
            let runs = try readRuns(names, in: runsDir)
            print(try RunComparison(runs: runs).render(chosen), terminator: "")
        }
    }
}

/// The runs named on the command line, read whole; one line for a name that is no run folder.
func readRuns(_ names: [String], in runsDir: String) throws(MarginalError) -> [RunRecord] {
    try names.map { name throws(MarginalError) in
        let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
        guard directory.exists else { throw MarginalError("\(directory.url.path): no such run") }
        return try RunRecord(directory)
    }
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
        """
    )

    @Argument(help: "Run names (folders under --runs-dir).")
    var names: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "What to plot: \(RunMetric.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "metric"))
    var metric = "iou"

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

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures("runs plot") {
            guard !names.isEmpty else { throw MarginalError("name at least one run (see marginal runs list)") }
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
                                   size: figureSize)
            try output.emit(PlotProduct(table: plot.table, json: plot.json, figure: plot.figure))
        }
    }
}
