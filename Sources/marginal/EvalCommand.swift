import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalRuns

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a run's checkpoint: per-class IoU, mIoU, Dice, HD95 and NSD (binary), predicted vs target proportions."
    )

    @Option(name: .customLong("run"), help: "The run's name (a folder under --runs-dir).")
    var runName: String

    @Option(help: "train, validation or test.")
    var split = "test"

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Flag(help: "One JSON object instead of a table.")
    var json = false

    func run() throws {
        try reportingFailures("eval") {
            guard let split = DatasetSplit(rawValue: split) else { throw MarginalError("--split \(split): choose train, validation or test") }
            let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: runName)
            guard directory.exists else { throw MarginalError("\(directory.url.path): no such run") }
            let evaluation = try evaluateCheckpoint(of: directory, split: split)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: (try? encoder.encode(evaluation.result)) ?? Data(), as: UTF8.self))
                return
            }
            let r = evaluation.result
            print("run \(runName), \(split.rawValue) split, checkpoint at step \(evaluation.step)")
            print("class".padding(toLength: 14, withPad: " ", startingAt: 0) + "   IoU %  Dice %   p̂ soft %  hard %  target %")
            for (k, name) in evaluation.classNames.enumerated() {
                let cells = [r.iou[k], r.dice[k], r.predProportion[k], r.hardProportion[k], r.targetProportion[k]]
                print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + cells.map { percentage($0, width: 8) }.joined())
            }
            print(String(format: "mIoU %.1f %%   loss %.4f", 100 * (r.miou ?? 0), r.loss)
                  + (r.hd95.map { String(format: "   HD95 %.2f px", $0) } ?? "") + (r.nsd.map { String(format: "   NSD@2px %.3f", $0) } ?? ""))
        }
    }
}
