import ArgumentParser
import Foundation
import MarginalCore

struct ToyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toy",
        abstract: "Train a per-pixel model on a toy segmentation, step by step, under any loss.",
        discussion: """
        A toy is one small image (64 x 64) whose classes have chosen proportions ŷ and shapes, and whose pixels carry features that overlap between classes (--separation, in noise standard deviations). A softmax regression on those features is trained by gradient descent or Adam on the loss you pick, through the same loss code as everything else in marginal. Every --every steps it prints the loss and its terms, the soft proportion p̂ (τ = 1), the hard (argmax) proportion, ŷ and the per-class IoU.

        Scenarios: small-lesion (binary, ŷ ≈ 0.02), medium-lesion (0.1), large-lesion (0.3), organ-tumour (3 classes), street (6 classes, 40 % down to 1 %).

        Examples:
          marginal toy --scenario small-lesion --loss ce --steps 300 --every 50
          marginal toy --scenario small-lesion --loss ce_l1 --lambda 1 --tau 10 --json
          marginal toy --scenario street --compare
        """
    )

    @Option(help: "The toy: small-lesion, medium-lesion, large-lesion, organ-tumour or street.")
    var scenario = ToyScenario.smallLesion

    @OptionGroup var lossOptions: LossOptions

    @Option(parsing: .unconditional, help: "Gradient steps (the explorer's comparison, `c` on the Toy screen, trains as many).")
    var steps = ToyComparison.defaultSteps

    @Option(parsing: .unconditional, help: "Learning rate.")
    var lr = ToyRun.defaultLearningRate

    @Option(help: "gd (plain gradient descent) or adam.")
    var optimizer = ToyOptimizer.adam

    @Option(help: "Seed of the toy's layout and features.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Distance between class means, in noise standard deviations (smaller = more overlap).")
    var separation = 1.5

    @Option(help: "Print every N steps (and the last).")
    var every = 50

    @Flag(help: "One JSON object a line instead of tables.")
    var json = false

    @Flag(help: "Train every loss on the same toy and print the toy version of the paper's Table 4.")
    var compare = false

    func run() throws {
        try reportingFailures("toy") {
            let (lambda, tau) = (lossOptions.lambda, lossOptions.tau)
            guard steps >= 0 else { throw MarginalError("--steps \(steps): must be 0 or more") }
            guard every >= 1 else { throw MarginalError("--every \(every): must be at least 1") }
            let image = try ToyImage(scenario: scenario, seed: seed, separation: separation)
            if compare {
                let table = try ToyComparison(image: image, steps: steps, lambda: lambda, temperature: tau, optimizer: optimizer,
                                              learningRate: lr)
                print(json ? table.json() : table.text(), terminator: "")
                return
            }
            var run = try ToyRun(image: image, loss: lossOptions.loss, lambda: lambda, temperature: tau, optimizer: optimizer, learningRate: lr)
            if !json { print(ToyReportFormat.header(run)) }
            for step in 0 ... steps {
                if step > 0 { run.advance() }
                if step % every == 0 || step == steps {
                    let report = run.report()
                    print(json ? ToyReportFormat.json(report) : ToyReportFormat.line(report, classes: scenario.classNames))
                }
            }
        }
    }
}

/// The text and JSON forms of toy reports.
enum ToyReportFormat {
    static func header(_ run: ToyRun) -> String {
        let lambda = run.lambda ?? run.loss.defaultLambda
        return "toy \(run.image.scenario.rawValue), loss \(run.loss.rawValue)"
            + (lambda.map { ", λ = \(format($0))" } ?? "")
            + (run.loss.usesTemperature ? ", τ = \(format(run.settings.temperature))" : "")
            + ", \(run.optimizer.rawValue) lr \(format(run.learningRate)), ŷ = \(proportions(run.image.targetProportion))"
    }

    static func line(_ report: ToyReport, classes: [String]) -> String {
        let terms = report.terms.keys.sorted().map { "\($0) \(String(format: "%.4f", report.terms[$0]!))" }.joined(separator: " ")
        return String(format: "step %5d  loss %.4f", report.step, report.loss) + (report.terms.count > 1 ? "  (\(terms))" : "")
            + "\n    soft p̂ \(proportions(report.softProportion))  hard \(proportions(report.hardProportion))"
            + "\n    IoU " + zip(classes, report.iou).map { "\($0) \(percent($1))" }.joined(separator: "  ")
            + "  mIoU \(percent(report.meanIoU))"
    }

    static func json(_ report: ToyReport) -> String {
        func list(_ values: [Double]) -> String { "[" + values.map(jsonNumber).joined(separator: ", ") + "]" }
        let iou = "[" + report.iou.map { $0.map(jsonNumber) ?? "null" }.joined(separator: ", ") + "]"
        let terms = "{" + report.terms.keys.sorted().map { "\"\($0)\": \(jsonNumber(report.terms[$0]!))" }.joined(separator: ", ") + "}"
        let d = report.decomposition
        return "{\"step\": \(report.step), \"loss\": \(jsonNumber(report.loss)), \"terms\": \(terms), "
            + "\"soft_proportion\": \(list(report.softProportion)), \"tempered_proportion\": \(list(report.temperedProportion)), "
            + "\"hard_proportion\": \(list(report.hardProportion)), \"target_proportion\": \(list(report.targetProportion)), "
            + "\"iou\": \(iou), \"miou\": \(report.meanIoU.map(jsonNumber) ?? "null"), "
            + "\"decomposition\": {\"df\": \(jsonNumber(d.df)), \"db\": \(jsonNumber(d.db)), \"entropy\": \(jsonNumber(d.entropy)), "
            + "\"kl\": \(jsonNumber(d.kl)), \"label_entropy\": \(jsonNumber(d.labelEntropy)), \"ce\": \(jsonNumber(d.crossEntropy))}}"
    }

    static func proportions(_ values: [Double]) -> String {
        "(" + values.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")"
    }

    static func percent(_ value: Double?) -> String { percentage(value) }

    static func format(_ value: Double) -> String { String(format: "%g", value) }
}
