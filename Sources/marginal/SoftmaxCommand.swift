import ArgumentParser
import Foundation
import MarginalCore
import MarginalEngine
import MarginalRuns
import MarginalPlot
import MarginalFigure

/// `marginal softmax`: the two-class soft-max with temperature, s(τz)₁ = 1/(1 + e^{−τz}), for a
/// few τ (the paper's Fig. 5).
struct SoftmaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "softmax",
        abstract: "Plot or tabulate the soft-max with temperature τ (the paper's Fig. 5).",
        discussion: """
        For two classes with logit difference z = z₁ − z₂, the soft-max with \
        temperature τ (Eq. 22) gives class 1 the probability

          s(τz)₁ = exp(τz₁) / (exp(τz₁) + exp(τz₂)) = 1 / (1 + exp(−τz)).

        A large τ pushes predictions towards 0 or 1, so that p̂ (the mean of s \
        over the pixels) estimates the predicted region proportion; the paper \
        uses τ = 10, for p̂ only.

        With --proportions it writes claim 6 instead (Appendix C): on one \
        prediction, the predicted proportion p̂ₖ = mean of softmax(τz)ₖ for 61 \
        temperatures from 0.1 to 100, against the hard (argmax) proportion it \
        approaches: the explorer's sample (Temperature screen, `4`), or with \
        --toy the prediction of a toy trained with CE for --steps steps.

        Examples:
          marginal softmax --out fig5.svg
          marginal softmax --tau 1,10,100 --zmax 1 --format csv
          marginal softmax --proportions --format json
          marginal softmax --proportions --toy organ-tumour --out proportions.svg
          marginal softmax --proportions --run organ-ce_l1 --format csv
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Comma-separated temperatures τ > 0.", valueName: "list"))
    var tau: String = "1,2,5,10"

    @Option(parsing: .unconditional, help: ArgumentHelp("The logit difference z runs over [−zmax, zmax]; zmax > 0.", valueName: "z"))
    var zmax: String = "3"

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of evenly spaced samples of z, both ends included (3 to 1000001).",
                               valueName: "n"))
    var points: String = "601"

    @Option(parsing: .unconditional, help: ArgumentHelp("Figure size in points (SVG, PDF; PNG times --scale).", valueName: "WxH"))
    var size: String = "720x450"

    @Flag(help: "Write p̂ at τ against the hard proportion (claim 6, Appendix C) instead of the soft-max curves.")
    var proportions = false

    @Option(help: ArgumentHelp("With --proportions: the prediction of this toy (seed 1, CE, Adam) instead of the explorer's sample.",
                               valueName: "scenario"))
    var toy: ToyScenario?

    @Option(name: .customLong("run"), help: ArgumentHelp("With --proportions: the prediction of this run's checkpoint on its validation split, all its pixels together.",
                               valueName: "name"))
    var runName: String?

    @Option(help: ArgumentHelp("With --run: the folder of runs.", valueName: "dir"))
    var runsDir = "runs"

    @Option(parsing: .unconditional, help: ArgumentHelp("With --toy: training steps before the prediction is read.", valueName: "n"))
    var steps: String = "\(ToyComparison.defaultSteps)"

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures("softmax") {
            guard proportions else {
                guard toy == nil else { throw MarginalError("--toy needs --proportions") }
                guard runName == nil else { throw MarginalError("--run needs --proportions") }
                let request = try SoftmaxRequest(tau: tau, zmax: zmax, points: points, size: size)
                try output.emit(request.product())
                return
            }
            let figureSize = try parseSize(size)
            let chart: TemperatureProportions
            if toy != nil, runName != nil { throw MarginalError("--toy and --run: give one prediction, a toy's or a run's") }
            if let runName {
                let prediction = try runPrediction(runName)
                chart = TemperatureProportions(batch: prediction.batch, names: prediction.names, size: figureSize)
            } else if let toy {
                let count = try parseInteger(steps, option: "--steps", range: 0 ... 100_000)
                var run = try ToyRun(image: try ToyImage(scenario: toy, seed: 1), loss: .ce, lambda: nil, temperature: 10)
                for _ in 0 ..< count { run.advance() }
                chart = TemperatureProportions(batch: run.logits(), names: toy.classNames, size: figureSize)
            } else {
                chart = TemperatureProportions.sample(size: figureSize)
            }
            try output.emit(PlotProduct(table: chart.table, json: chart.json, figure: chart.figure))
        }
    }
}

/// The validated parameters of `marginal softmax` and everything it computes from them.
struct SoftmaxRequest {
    let temperatures: [Double]
    let zmax: Double
    let points: Int
    let size: (width: Double, height: Double)

    init(tau: String, zmax: String, points: String, size: String) throws(MarginalError) {
        temperatures = try parseNumberList(tau, option: "--tau")
        for t in temperatures where t <= 0 {
            throw MarginalError("--tau \(tau): \(short(t, digits: 6)) is not > 0; a temperature must be positive")
        }
        let z = try parseNumber(zmax, option: "--zmax")
        guard z > 0 else { throw MarginalError("--zmax \(zmax) is not > 0") }
        self.zmax = z
        self.points = try parseInteger(points, option: "--points", range: 3 ... 1_000_001)
        self.size = try parseSize(size)
    }

    func product() -> PlotProduct {
        let curves = SoftmaxCurves(temperatures: temperatures, zmax: zmax, points: points, size: size)
        return PlotProduct(table: curves.table, json: curves.json, figure: curves.figure)
    }
}

extension SoftmaxCommand {
    private func runDirectory(_ name: String) throws(MarginalError) -> RunDirectory {
        let directory = try RunDirectory(runsFolder: URL(fileURLWithPath: runsDir), name: name)
        guard directory.exists else { throw MarginalError("--run \(name): no such run in \(runsDir)") }
        return directory
    }

    /// The run's checkpoint on its validation split, the logits as the evaluation sees them, as one image.
    private func runPrediction(_ name: String) throws(MarginalError) -> (batch: SegmentationBatch<Double>, names: [String]) {
        var logits = SplitLogits()
        let evaluation = try evaluateCheckpoint(of: try runDirectory(name), split: .validation, observe: { logits.add($0) })
        guard let batch = try logits.batch()?.stackedAsOneImage() else { throw MarginalError("--run \(name): the validation split has no valid pixel") }
        return (try SegmentationBatch(logits: batch.logits.map(Double.init), labels: batch.labels, batchSize: 1, classes: batch.classes,
                                      height: batch.height, width: batch.width), evaluation.classNames)
    }
}
