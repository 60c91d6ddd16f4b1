import ArgumentParser
import Foundation
import MarginalCore

struct DecomposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decompose",
        abstract: "Every loss, penalty and decomposition term for your own logits and labels.",
        discussion: """
        Reads logits (B x K x H x W, <f4 or <f8, C order) and labels (B x H x W, any integer dtype, 255 = ignored) from .npy files and prints, by the definitions of docs/CONVENTIONS.md:
          - every loss (ce, focal, dice, log_dice, gdice, the composites; dice1, log_dice1 and
            ce_db1 when K = 2), with the default λ of each unless --lambda is given;
          - the label-marginal penalties l1, kl, db (and db1) at temperature τ;
          - the paper's decomposition (τ = 1): CE = entropy + kl + label_entropy, and Dice's df and db;
          - the label marginals ŷ and p̂ of each image.

        Example:
          python3 -c "import numpy as np; np.save('z.npy', np.random.randn(2,3,64,64)); \\
                      np.save('y.npy', np.random.randint(0,3,(2,64,64)).astype('u1'))"
          marginal decompose --logits z.npy --labels y.npy --tau 10 --json
        """
    )

    @Option(help: ArgumentHelp("Logits: B x K x H x W, <f4 or <f8.", valueName: "Z.npy"))
    var logits: String

    @Option(help: ArgumentHelp("Labels: B x H x W, integers 0..K-1, 255 = ignored.", valueName: "Y.npy"))
    var labels: String

    @Option(parsing: .unconditional, help: "Temperature τ of the predicted marginals p̂ (CE and Dice always use τ = 1).")
    var tau: Double = 10

    @Option(name: .customLong("lambda"), parsing: .unconditional, help: "λ of every composite loss (default: each loss's own: 1 for ce_l1, 0.1 for the others).")
    var lambda: Double?

    @Option(help: ArgumentHelp("Class weights of ce, comma-separated, one per class.", valueName: "w1,w2,..."))
    var classWeights: String?

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @Option(help: ArgumentHelp("Write ∂loss/∂z of every loss to DIR/<loss>.npy.", valueName: "DIR"))
    var gradDir: String?

    func run() throws {
        try reportingFailures("decompose") {
            let settings = try LossSettings(temperature: validTemperature(), classWeights: parsedClassWeights())
            if let lambda, !lambda.isFinite { throw MarginalError("--lambda \(lambda): not a finite number") }
            if let gradDir { try checkOutputFolder(gradDir, option: "--grad-dir") }
            let logitsArray = try readNPY(URL(fileURLWithPath: logits))
            if logitsArray.dtype == .float32 {
                try decompose(try loadBatch(logitsArray, as: Float.self), settings)
            } else {
                try decompose(try loadBatch(logitsArray, as: Double.self), settings)
            }
        }
    }

    private func validTemperature() throws(MarginalError) -> Double {
        guard tau.isFinite, tau > 0 else { throw MarginalError("--tau \(tau): the temperature must be a positive number") }
        return tau
    }

    private func parsedClassWeights() throws(MarginalError) -> [Double]? {
        guard let classWeights else { return nil }
        let parts = classWeights.split(separator: ",", omittingEmptySubsequences: false)
        var weights: [Double] = []
        for part in parts {
            guard let weight = Double(part.trimmingCharacters(in: .whitespaces)), weight.isFinite, weight >= 0 else {
                throw MarginalError("--class-weights: '\(part)' is not a number ≥ 0")
            }
            weights.append(weight)
        }
        return weights
    }

    /// Checks the two arrays against each other and the conventions; every failure names the file.
    private func loadBatch<T: MarginalScalar>(_ logitsArray: NPYArray, as _: T.Type) throws(MarginalError) -> SegmentationBatch<T> {
        guard logitsArray.shape.count == 4 else {
            throw MarginalError("\(logits): logits must be 4-D (B x K x H x W), found shape \(logitsArray.shape)")
        }
        let values = try prefixed(logits) { () throws(MarginalError) in try logitsArray.floatingValues(as: T.self) }
        let labelsArray = try readNPY(URL(fileURLWithPath: labels))
        guard labelsArray.shape.count == 3 else {
            throw MarginalError("\(labels): labels must be 3-D (B x H x W), found shape \(labelsArray.shape)")
        }
        let (b, k, h, w) = (logitsArray.shape[0], logitsArray.shape[1], logitsArray.shape[2], logitsArray.shape[3])
        guard labelsArray.shape == [b, h, w] else {
            throw MarginalError("\(labels): shape \(labelsArray.shape) does not match the logits' B x H x W = [\(b), \(h), \(w)]")
        }
        // Labels are stored as bytes (255 = ignored), so K is checked before any label is
        // converted: with K ≥ 256 a label of 256… would not fit a byte.
        guard (2 ... 254).contains(k) else {
            throw MarginalError("\(logits): K = \(k) classes (shape \(logitsArray.shape)); K must be from 2 to 254 (labels are bytes, 255 is the ignore index)")
        }
        let integers = try prefixed(labels) { () throws(MarginalError) in try labelsArray.integerValues() }
        var labelBytes = [UInt8](repeating: 0, count: integers.count)
        for (index, value) in integers.enumerated() {
            guard (0 ..< k).contains(value) || value == 255, let byte = UInt8(exactly: value) else {
                let image = index / (h * w), row = (index / w) % h, column = index % w
                throw MarginalError("\(labels): label \(value) at [\(image), \(row), \(column)] is neither a class (K = \(k)) nor the ignore index 255")
            }
            labelBytes[index] = byte
        }
        guard labelBytes.contains(where: { $0 != 255 }) else {
            throw MarginalError("\(labels): no valid pixel: every label is the ignore index 255")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw MarginalError("\(logits): logit at flat index \(bad) is \(values[bad]); logits must be finite")
        }
        return try prefixed(logits) { () throws(MarginalError) in
            try SegmentationBatch(logits: values, labels: labelBytes, batchSize: b, classes: k, height: h, width: w)
        }
    }

    private func decompose<T: MarginalScalar>(_ batch: SegmentationBatch<T>, _ settings: LossSettings) throws(MarginalError) {
        if let weights = settings.classWeights, weights.count != batch.classes {
            throw MarginalError("--class-weights: \(weights.count) weights given for K = \(batch.classes) classes")
        }
        let report = try DecompositionReport(batch: batch, settings: settings, lambda: lambda, wantsGradients: gradDir != nil)
        if let gradDir {
            try report.writeGradients(to: URL(fileURLWithPath: gradDir), shape: [batch.batchSize, batch.classes, batch.height, batch.width])
        }
        print(json ? report.json() : report.table(), terminator: json ? "\n" : "")
    }
}

/// Runs `body`, putting `name: ` before the message of any error it throws (for errors about
/// values inside a file that the reader itself cannot name).
func prefixed<Value>(_ name: String, _ body: () throws(MarginalError) -> Value) throws(MarginalError) -> Value {
    do { return try body() } catch {
        if error.description.hasPrefix(name) { throw error }
        throw MarginalError("\(name): \(error.description)")
    }
}
