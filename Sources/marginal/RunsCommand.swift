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
            let runs = try names.map { name throws(MarginalError) in
                let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
                guard directory.exists else { throw MarginalError("\(directory.url.path): no such run") }
                return try RunRecord(directory)
            }
            print(try RunComparison(runs: runs).render(chosen), terminator: "")
        }
    }
}
