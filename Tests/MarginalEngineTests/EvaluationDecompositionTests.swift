import Foundation
import Testing
import MarginalCore
import MarginalEngine
import MarginalRuns

/// The eval line's Prop. 2 (issue 12): computed on the split's logits by MarginalCore, its terms
/// add up to CE and equal `decompose` of the very logits the evaluation saw.
@Suite struct EvaluationDecompositionTests {
    @Test func evalLineTermsSumToCEAndEqualDecomposeOfTheSameLogits() throws {
        // A batch of 3 splits the validation set unevenly, so the per-image mean over batches is tested.
        let configuration = RunConfiguration(dataset: .synthetic(.organ), loss: .ceL1, lambda: 1, tau: 10, steps: 1, batch: 3,
                                             learningRate: 1e-3, optimizer: .adam, seed: 5, size: 16, width: 4, evalEvery: 1, threads: 1)
        let dataset = try configuration.validated()
        let model = UNetS<Float>(inputChannels: dataset.channels, classes: dataset.classes, width: configuration.width, seed: configuration.seed)
        var logits: [Float] = [], labels: [UInt8] = [], images = 0
        let result = try evaluate(model: model, dataset: dataset, split: .validation, configuration: configuration, loss: .ceL1) {
            logits += $0.logits; labels += $0.labels; images += $0.batchSize
        }
        #expect(images > configuration.batch && images % configuration.batch != 0, "\(images) validation images")
        let terms = try #require(result.crossEntropyTerms)
        #expect(abs(terms.entropy + terms.kl + terms.labelEntropy - terms.crossEntropy) < 1e-9, "\(terms)")
        #expect(terms.kl > 0 && terms.labelEntropy > 0, "\(terms)")
        let whole = try SegmentationBatch(logits: logits, labels: labels, batchSize: images, classes: dataset.classes,
                                          height: dataset.height, width: dataset.width)
        let reference = decompose(whole)
        for (name, value, expected) in [("entropy", terms.entropy, reference.entropy), ("kl", terms.kl, reference.kl),
                                        ("label_entropy", terms.labelEntropy, reference.labelEntropy),
                                        ("ce", terms.crossEntropy, reference.crossEntropy)] {
            #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)), "\(name): eval line \(value), decompose \(expected)")
        }
    }

    /// The eval line's "decomposition" object is written, read back, and absent from old lines.
    @Test func evalLineKeepsTheTermsAndOldLinesStillRead() throws {
        let terms = CrossEntropyTerms(entropy: -0.0123, kl: 0.0456, labelEntropy: 0.6011, crossEntropy: 0.6344)
        let result = EvaluationResult(iou: [0.5, nil], miou: 0.5, dice: [0.6, nil], predProportion: [0.9, 0.1], hardProportion: [1, 0],
                                      targetProportion: [0.95, 0.05], loss: 0.3, hd95: nil, nsd: nil, crossEntropyTerms: terms)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(EvalLine(step: 10, epoch: 1, time: 2, result: result)), as: UTF8.self)
        #expect(text.contains(#""decomposition":{"ce":0.6344,"entropy":-0.0123,"kl":0.0456,"label_entropy":0.6011}"#), "\(text)")
        let history = RunHistory(lines: [text])
        #expect(history.evaluations.first?.result.crossEntropyTerms == terms)
        let old = text.replacingOccurrences(of: #""decomposition":{"ce":0.6344,"entropy":-0.0123,"kl":0.0456,"label_entropy":0.6011},"#, with: "")
        let oldHistory = RunHistory(lines: [old])
        #expect(oldHistory.evaluations.count == 1 && oldHistory.evaluations.first?.result.crossEntropyTerms == nil)
    }
}
