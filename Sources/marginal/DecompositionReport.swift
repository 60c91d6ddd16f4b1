import Foundation
import MarginalCore

/// Everything `marginal decompose` prints, computed once, then formatted as tables or JSON.
struct DecompositionReport<T: MarginalScalar> {
    let losses: [(name: String, value: Double, gradient: [T])]
    let penalties: [(name: String, value: Double)]
    let decomposition: Decomposition
    let marginals: LabelMarginals

    init(batch: SegmentationBatch<T>, settings: LossSettings, lambda: Double?, wantsGradients: Bool) throws(MarginalError) {
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var losses: [(String, Double, [T])] = []
        for loss in LossName.available(classes: batch.classes) {
            let result = try evaluateLoss(loss, on: batch, lambda: lambda, settings: settings, gradient: wantsGradients, threads: threads)
            losses.append((loss.rawValue, result.value, result.gradient))
        }
        var penalties: [(String, Double)] = []
        for penalty in MarginalPenalty.allCases where batch.classes == 2 || !penalty.isBinaryOnly {
            let value = try evaluateLoss([(1, .marginal(penalty))], on: batch, settings: settings, gradient: false, threads: threads).value
            penalties.append((penalty.rawValue, value))
        }
        self.losses = losses
        self.penalties = penalties
        decomposition = decompose(batch)
        marginals = labelMarginals(batch, temperature: settings.temperature, threads: threads)
    }

    var decompositionTerms: [(String, Double)] {
        [("df", decomposition.df), ("db", decomposition.db), ("entropy", decomposition.entropy),
         ("kl", decomposition.kl), ("label_entropy", decomposition.labelEntropy), ("ce", decomposition.crossEntropy)]
    }

    /// Writes DIR/<loss>.npy for every loss; DIR is created if missing, the folders above it
    /// never (`makeOutputFolder`). Every file goes through `writeAtomically`, so none is ever
    /// half-written.
    func writeGradients(to folder: URL, shape: [Int]) throws(MarginalError) {
        try makeOutputFolder(folder, option: "--grad-dir")
        for (name, _, gradient) in losses {
            try writeNPY(gradient, shape: shape, to: folder.appendingPathComponent("\(name).npy"))
        }
    }

    func table() -> String {
        var out = "losses\n"
        for (name, value, _) in losses { out += row(name, value) }
        out += "\nlabel-marginal penalties (τ = \(format(marginals.temperature)))\n"
        for (name, value) in penalties { out += row(name, value) }
        out += "\ndecomposition (τ = 1, mean over images)\n"
        for (name, value) in decompositionTerms { out += row(name, value) }
        out += row("entropy + kl + label_entropy", decomposition.entropy + decomposition.kl + decomposition.labelEntropy)
        out += "\nlabel marginals: ŷ (target) and p̂ (predicted, τ = \(format(marginals.temperature)))\n"
        for (image, target) in marginals.target.enumerated() {
            guard let target, let predicted = marginals.predicted[image] else {
                out += "  image \(image): no valid pixel\n"
                continue
            }
            out += "  image \(image) ŷ: " + target.map { String(format: "%.4f", $0) }.joined(separator: " ") + "\n"
            out += "  image \(image) p̂: " + predicted.map { String(format: "%.4f", $0) }.joined(separator: " ") + "\n"
        }
        return out
    }

    private func row(_ name: String, _ value: Double) -> String {
        "  " + name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%.10g", value) + "\n"
    }

    func json() -> String {
        func object(_ pairs: [(String, Double)]) -> String {
            "{" + pairs.map { "\"\($0.0)\": \(jsonNumber($0.1))" }.joined(separator: ", ") + "}"
        }
        func matrix(_ rows: [[Double]?]) -> String {
            "[" + rows.map { row in row.map { "[" + $0.map(jsonNumber).joined(separator: ", ") + "]" } ?? "null" }
                .joined(separator: ", ") + "]"
        }
        return """
        {"losses": \(object(losses.map { ($0.name, $0.value) })), \
        "regularizers": \(object(penalties)), \
        "decomposition": \(object(decompositionTerms)), \
        "marginals": {"tau": \(jsonNumber(marginals.temperature)), "target": \(matrix(marginals.target)), \
        "pred": \(matrix(marginals.predicted))}}
        """
    }
}

/// A Double as JSON: the shortest text that reads back to the same bits; non-finite as null.
func jsonNumber(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "null"
}

private func format(_ value: Double) -> String { String(format: "%g", value) }
