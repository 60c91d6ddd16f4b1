import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalFigure
import MarginalRuns

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a run's checkpoint: per-class IoU, mIoU, Dice, HD95 and NSD (binary), predicted vs target proportions.",
        discussion: """
        --decompose prints, instead, what `marginal decompose` prints for the checkpoint's logits on the split \
        (validation unless --split is given): every loss, the penalties at the run's τ, Prop. 2's CE = entropy + kl + \
        label_entropy and Dice's df and db, the label marginals of each image; the composites take the run's λ.
        --save-logits DIR writes DIR/logits.npy (B x K x H x W, <f4) and DIR/labels.npy (B x H x W, |u1, 255 = ignored), \
        which `marginal decompose --logits DIR/logits.npy --labels DIR/labels.npy --tau τ [--lambda λ]` reads.
        """
    )

    @Option(name: .customLong("run"), help: "The run's name (a folder under --runs-dir).")
    var runName: String

    @Option(help: "train, validation or test (default: test; validation with --decompose or --save-logits).")
    var split: String?

    @Option(help: "Folder of runs.")
    var runsDir = "runs"

    @Flag(help: "One JSON object instead of a table.")
    var json = false

    @Flag(help: "Print the paper's decomposition (as `marginal decompose`) of the checkpoint's logits on the split.")
    var decompose = false

    @Option(help: ArgumentHelp("Write the split's logits and labels to DIR/logits.npy and DIR/labels.npy.", valueName: "DIR"))
    var saveLogits: String?

    func run() throws {
        try reportingFailures("eval") {
            let wantsLogits = decompose || saveLogits != nil
            let splitName = split ?? (wantsLogits ? "validation" : "test")
            guard let split = DatasetSplit(rawValue: splitName) else { throw MarginalError("--split \(splitName): choose train, validation or test") }
            if let saveLogits { try checkOutputFolder(saveLogits, option: "--save-logits") }
            let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: runName)
            guard directory.exists else { throw MarginalError("\(directory.url.path): no such run") }
            var logits = SplitLogits()
            let evaluation = try evaluateCheckpoint(of: directory, split: split, observe: wantsLogits ? { logits.add($0) } : nil)
            if wantsLogits {
                try report(logits, split: split, step: evaluation.step, run: directory)
                return
            }
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

extension EvalCommand {
    /// `--save-logits` and `--decompose`: the split's logits as one batch, written and/or
    /// decomposed by `DecompositionReport`, the report `marginal decompose` prints.
    private func report(_ logits: SplitLogits, split: DatasetSplit, step: Int, run: RunDirectory) throws(MarginalError) {
        guard let batch = try logits.batch() else { throw MarginalError("\(run.url.path): the \(split.rawValue) split has no valid pixel") }
        if let saveLogits {
            let folder = URL(fileURLWithPath: saveLogits)
            try makeOutputFolder(folder, option: "--save-logits")
            try writeNPY(batch.logits, shape: [batch.batchSize, batch.classes, batch.height, batch.width],
                         to: folder.appendingPathComponent("logits.npy"))
            try writeNPY(labels: batch.labels, shape: [batch.batchSize, batch.height, batch.width],
                         to: folder.appendingPathComponent("labels.npy"))
        }
        guard decompose else { return }
        let configuration = try run.read(RunConfiguration.self, from: .configuration)
        let report = try DecompositionReport(batch: batch, settings: LossSettings(temperature: configuration.tau),
                                             lambda: configuration.lambda, wantsGradients: false)
        if json {
            print(report.json())
        } else {
            let lambda = configuration.lambda.map { ", λ = \(exactNumber($0)) for every composite" } ?? ""
            print("run \(runName), \(split.rawValue) split (\(batch.batchSize) images), checkpoint at step \(step), τ = \(exactNumber(configuration.tau))\(lambda)\n")
            print(report.table(), terminator: "")
        }
    }
}

/// The logits and labels of a split, gathered batch by batch as the evaluation sees them.
struct SplitLogits {
    private var logits: [Float] = [], labels: [UInt8] = []
    private var images = 0, shape: (classes: Int, height: Int, width: Int)?

    mutating func add(_ batch: SegmentationBatch<Float>) {
        logits += batch.logits
        labels += batch.labels
        images += batch.batchSize
        shape = (batch.classes, batch.height, batch.width)
    }

    /// All of them as one batch; nil when no batch had a valid pixel.
    func batch() throws(MarginalError) -> SegmentationBatch<Float>? {
        guard let shape else { return nil }
        return try SegmentationBatch(logits: logits, labels: labels, batchSize: images, classes: shape.classes,
                                     height: shape.height, width: shape.width)
    }
}

