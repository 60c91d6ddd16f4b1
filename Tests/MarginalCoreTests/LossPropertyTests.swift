import Testing
import MarginalCore
import TestSupport

@Suite struct LossPropertyTests {
    /// CONVENTIONS.md: focal equals ce at γ = 0 (value and gradient).
    @Test func focalWithGammaZeroIsCrossEntropy() throws {
        let batch = randomBatch(seed: 3)
        let focal = try evaluateLoss(.focal, on: batch, settings: LossSettings(focalGamma: 0))
        let ce = try evaluateLoss(.ce, on: batch)
        #expect(isClose(focal.value, ce.value, relative: 1e-14))
        #expect(firstMismatch(focal.gradient, ce.gradient, relative: 1e-12, absolute: 1e-16) == nil)
    }

    /// Logits of ±100 (probabilities of e⁻²⁰⁰, below Float's range) give finite values and
    /// gradients for every loss, in Float and Double.
    @Test(arguments: LossName.allCases)
    func stableAtLargeLogits(_ loss: LossName) throws {
        let classes = loss.isBinaryOnly ? 2 : 4
        var batch = randomBatch(classes: classes, absentInFirstImage: loss.isBinaryOnly ? [] : [2], seed: 4)
        batch = batch.replacingLogits(batch.logits.enumerated().map { $0.offset % 3 == 0 ? 100 : -100 })
        let double = try evaluateLoss(loss, on: batch)
        let float = try evaluateLoss(loss, on: batch.converted(to: Float.self))
        #expect(double.value.isFinite && float.value.isFinite, "\(loss.rawValue)")
        #expect(double.gradient.allSatisfy { $0.isFinite } && float.gradient.allSatisfy { $0.isFinite }, "\(loss.rawValue)")
        #expect(isClose(float.value, double.value, relative: 1e-4), "\(loss.rawValue)")
        let decomposition = decompose(batch)
        let terms = [decomposition.df, decomposition.db, decomposition.entropy, decomposition.kl,
                     decomposition.labelEntropy, decomposition.crossEntropy]
        #expect(terms.allSatisfy { $0.isFinite })
    }

    /// −log d ≥ 1 − d for every d in (0, 1], so log Dice is never below linear Dice.
    @Test(arguments: 1 ... 20)
    func logDiceBoundsLinearDice(_ seed: Int) throws {
        let batch = randomBatch(seed: UInt64(seed))
        #expect(try evaluateLoss(.logDice, on: batch).value >= (try evaluateLoss(.dice, on: batch).value))
        let binary = randomBatch(batchSize: 2, classes: 2, absentInFirstImage: [], seed: UInt64(seed))
        #expect(try evaluateLoss(.logDice1, on: binary).value >= (try evaluateLoss(.dice1, on: binary).value))
    }

    /// A composite is exactly its parts: ce_l1 = ce + λ l1.
    @Test func compositeIsTheSumOfItsParts() throws {
        let batch = randomBatch(seed: 8)
        let ce = try evaluateLoss(.ce, on: batch).value
        let l1 = try evaluateLoss([(1, .marginal(.l1))], on: batch).value
        #expect(isClose(try evaluateLoss(.ceL1, on: batch, lambda: 0.7).value, ce + 0.7 * l1, relative: 1e-14))
    }

    /// The label marginals are proportions: each row sums to 1; ŷ counts the labels exactly.
    @Test func marginalsArePerImageProportions() throws {
        let batch = try SegmentationBatch<Double>(logits: [0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0], labels: [1, 1, 255, 0, 255, 255],
                                                  batchSize: 2, classes: 2, height: 1, width: 3)
        let marginals = labelMarginals(batch, temperature: 1)
        #expect(marginals.target[0] == [0, 1])
        #expect(marginals.target[1] == [1, 0])
        // Image 0: z_0 = (0, 0, 0), z_1 = (0, 1, 2), valid pixels 0 and 1: p_1 = σ(z_1 − z_0) there.
        let p1 = (1 / (1 + Double.exp(0)) + 1 / (1 + Double.exp(-1))) / 2
        #expect(isClose(marginals.predicted[0]![1], p1, relative: 1e-14))
        // Image 1: z_0 = (3, 4, 0), z_1 = (0, 0, 0), only pixel 0 valid.
        #expect(isClose(marginals.predicted[1]![0], 1 / (1 + Double.exp(-3)), relative: 1e-14))
        let random = labelMarginals(randomBatch(seed: 2), temperature: 10)
        for row in random.predicted { #expect(isClose(row!.reduce(0, +), 1, relative: 1e-12)) }
    }

    @Test func badSettingsAreRefused() {
        let batch = randomBatch(seed: 1)
        #expect(throws: MarginalError.self) { try evaluateLoss(.ceL1, on: batch, settings: LossSettings(temperature: 0)) }
        #expect(throws: MarginalError.self) { try evaluateLoss(.ce, on: batch, settings: LossSettings(classWeights: [1, 2])) }
        #expect(throws: MarginalError.self) { try evaluateLoss(.ceDB1, on: batch) }
        #expect(throws: MarginalError.self) { try evaluateLoss(.ceL1, on: batch, lambda: .nan) }
    }

    @Test func badBatchesAreRefused() {
        #expect(throws: MarginalError("label 3 at [0, 0, 1] is neither a class (K = 2) nor the ignore index 255")) {
            try SegmentationBatch<Double>(logits: [0, 0, 0, 0], labels: [0, 3], batchSize: 1, classes: 2, height: 1, width: 2)
        }
        #expect(throws: MarginalError("no valid pixel: every label is the ignore index 255")) {
            try SegmentationBatch<Double>(logits: [0, 0, 0, 0], labels: [255, 255], batchSize: 1, classes: 2, height: 1, width: 2)
        }
        #expect(throws: MarginalError.self) {
            try SegmentationBatch<Double>(logits: [0, .nan, 0, 0], labels: [0, 1], batchSize: 1, classes: 2, height: 1, width: 2)
        }
    }
}
