import ArgumentParser
import Foundation
import MarginalCore
import MarginalEngine

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List training runs, or compare them in the layout of the paper's Table 4.",
        subcommands: [ListRuns.self, CompareRuns.self],
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
            let lambda = c.lambda ?? LossName(rawValue: c.loss)?.defaultLambda
            print(run.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + (run.status?.status ?? "?").padding(toLength: 10, withPad: " ", startingAt: 0)
                + c.dataset.padding(toLength: 9, withPad: " ", startingAt: 0)
                + c.loss.padding(toLength: 13, withPad: " ", startingAt: 0)
                + (lambda.map { String(format: "%-7g", $0) } ?? "–      ")
                + String(format: "%-6g", c.tau)
                + String(format: "%5d/%-6d", run.status?.step ?? 0, c.steps)
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
            guard ["text", "markdown", "csv", "json"].contains(format) else {
                throw MarginalError("--format \(format): choose text, markdown, csv or json")
            }
            let runs = try names.map { name throws(MarginalError) in
                let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
                guard directory.exists else { throw MarginalError("\(directory.url.path): no such run") }
                return try RunRecord(directory)
            }
            let datasets = Set(runs.map(\.configuration.dataset))
            guard datasets.count == 1 else {
                throw MarginalError("runs on different datasets (\(datasets.sorted().joined(separator: ", "))) do not share classes")
            }
            let classes = runs[0].configuration.classNames
                ?? (0 ..< (runs[0].latest?.iou.count ?? 0)).map { "class \($0)" }
            let table = ComparisonTable(classes: classes, runs: runs)
            print(table.render(format), terminator: "")
        }
    }
}

/// Rows = runs, columns = per-class IoU then mIoU; the first row is each class's mean proportion.
struct ComparisonTable {
    let classes: [String]
    let runs: [RunRecord]

    func render(_ format: String) -> String {
        let proportion = runs.compactMap(\.latest).first?.targetProportion ?? []
        let header = ["run"] + classes + ["mIoU"]
        var rows = [["mean proportion (%)"] + proportion.map { String(format: "%.2f", 100 * $0) } + [""]]
        for run in runs {
            let iou = run.latest?.iou ?? Array(repeating: nil, count: classes.count)
            rows.append([run.name] + iou.map { $0.map { String(format: "%.1f", 100 * $0) } ?? "–" }
                        + [run.latest?.miou.map { String(format: "%.1f", 100 * $0) } ?? "–"])
        }
        switch format {
        case "markdown":
            return "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
                + rows.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
        case "csv":
            return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        case "json":
            let objects = runs.map { run -> String in
                let iou = (run.latest?.iou ?? []).map { $0.map { "\($0)" } ?? "null" }.joined(separator: ", ")
                return "{\"run\": \"\(run.name)\", \"loss\": \"\(run.configuration.loss)\", \"iou\": [\(iou)], \"miou\": \(run.latest?.miou.map { "\($0)" } ?? "null")}"
            }
            return "{\"classes\": [" + classes.map { "\"\($0)\"" }.joined(separator: ", ") + "], \"mean_proportion\": ["
                + proportion.map { "\($0)" }.joined(separator: ", ") + "], \"runs\": [" + objects.joined(separator: ", ") + "]}\n"
        default:
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  ")
            }
            return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
        }
    }
}
