import Foundation
import Testing
import MarginalCore
import TestSupport

/// The conventions where marginal differs from MONAI and from the authors' code
/// (docs/CONVENTIONS.md, "Where marginal differs"; issue 16), each pinned with numbers.
@Suite struct ConventionsTests {
    let ε = 1e-10

    /// One image of n = 4 pixels, K = 3, labels (0, 0, 1, 1): class 1 present, class 2 absent.
    /// Every pixel predicts class 0 with certainty (logits 0, −10⁴, −10⁴: softmax(τ z) gives
    /// exactly 0 for the others in Double), so p̂ = (1, 0, 0) and ŷ = (½, ½, 0).
    func certainBatch() throws -> SegmentationBatch<Double> {
        var logits = [Double](repeating: -1e4, count: 3 * 4)
        for pixel in 0 ..< 4 { logits[pixel] = 0 }
        return try SegmentationBatch(logits: logits, labels: [0, 0, 1, 1], batchSize: 1, classes: 3, height: 2, width: 2)
    }

    func value(_ penalty: MarginalPenalty, _ batch: SegmentationBatch<Double>) throws -> Double {
        try evaluateLoss([(1, .marginal(penalty))], on: batch, gradient: false).value
    }

    /// marginal: x/n, then ε inside the log. The authors' code: (x + ε)/(n + ε) for both
    /// marginals; KL = Σ ŷ log(ŷ/p̂), DB = mean log(p̂ + ŷ + ε). They differ only where a
    /// proportion is below about 1e-9: KL with a present class at p̂ = 0 by ŷ·log n, DB with an
    /// absent, unpredicted class by log(1 + 2/n) (over K, since db is a mean over k).
    @Test func epsilonPlacementDiffersOnlyAtZeroProportions() throws {
        let batch = try certainBatch()
        let marginals = labelMarginals(batch)
        #expect(marginals.target[0] == [0.5, 0.5, 0] && marginals.predicted[0] == [1, 0, 0])
        let n = 4.0, counts = [2.0, 2, 0], sums = [4.0, 0, 0]
        let yHat = counts.map { ($0 + ε) / (n + ε) }, pHat = sums.map { ($0 + ε) / (n + ε) }
        let authorsKL = zip(yHat, pHat).map { $0 * log($0 / $1) }.reduce(0, +)
        let authorsDB = zip(yHat, pHat).map { log($1 + $0 + ε) }.reduce(0, +) / 3
        let kl = try value(.kl, batch), db = try value(.db, batch)
        // marginal's KL: ½ log((½ + ε)/(1 + ε)) + ½ log((½ + ε)/ε).
        #expect(abs(kl - (0.5 * log((0.5 + ε) / (1 + ε)) + 0.5 * log((0.5 + ε) / ε))) < 1e-12)
        #expect(abs((authorsKL - kl) - 0.5 * log(n)) < 1e-6, "ŷ₁ log n = 0.693…")
        #expect(abs((authorsDB - db) - log(1 + 2 / n) / 3) < 1e-6, "log(1 + 2/n)/K = 0.135…")
        // Away from zero proportions the two agree to ~ε.
        let soft = try SegmentationBatch(logits: [0.3, -0.2, 1.1, 0.4, 0.0, 0.5, -0.7, 0.2, 0.9, 0.1, 0.6, -0.3],
                                         labels: [0, 1, 2, 1], batchSize: 1, classes: 3, height: 2, width: 2)
        let p = labelMarginals(soft).predicted[0]!
        let y2 = [1.0, 2, 1].map { ($0 + ε) / (n + ε) }, p2 = p.map { ($0 * n + ε) / (n + ε) }
        #expect(abs(zip(y2, p2).map { $0 * log($0 / $1) }.reduce(0, +) - (try value(.kl, soft))) < 1e-9)
    }

    /// An image whose pixels are all ignored is skipped by every per-image term; the authors'
    /// code gives it ŷ = p̂ = 1 and keeps it in the batch mean, which halves l1 and kl at B = 2.
    @Test func anImageWithNoValidPixelIsSkipped() throws {
        let logits: [Double] = [0.3, -0.2, 1.1, 0.4, 0.0, 0.5, -0.7, 0.2]
        let one = try SegmentationBatch(logits: logits, labels: [0, 1, 1, 1], batchSize: 1, classes: 2, height: 2, width: 2)
        let two = try SegmentationBatch(logits: logits + logits, labels: [0, 1, 1, 1, 255, 255, 255, 255],
                                        batchSize: 2, classes: 2, height: 2, width: 2)
        for penalty in [MarginalPenalty.l1, .kl] {
            let alone = try value(penalty, one), withIgnored = try value(penalty, two)
            #expect(alone > 0 && abs(withIgnored - alone) < 1e-15, "\(penalty): the ignored image changes nothing")
            // The authors': the ignored image has ŷ = p̂ = 1, a penalty of 0, and counts in the mean.
            let authors = (alone + 0) / 2
            #expect(abs(withIgnored - authors) > 1e-3, "\(penalty): the authors' value is half of marginal's")
        }
    }

    /// IoU and Dice from one confusion matrix over the split (the authors' evaluator, mmseg),
    /// not a mean of per-image scores (MONAI): a class predicted but absent from the truth gets
    /// 0 (MONAI, ignore_empty: NaN); absent from both, nil (null), left out of mIoU.
    @Test func iouIsAccumulatedOverTheSplit() {
        var matrix = ConfusionMatrix(classes: 3)
        // Image 1: 4 pixels of class 0, all right. Image 2: class 1 on 4 pixels, half predicted 0.
        matrix.accumulate(predicted: [0, 0, 0, 0], target: [0, 0, 0, 0])
        matrix.accumulate(predicted: [0, 0, 1, 1], target: [1, 1, 1, 1])
        // Over the split: class 0 TP 4, FP 2 → 4/6; per image (MONAI) it would be (1 + 0)/2 = 0.5.
        #expect(matrix.iou[0] == 4.0 / 6 && matrix.iou[1] == 0.5 && matrix.iou[2] == nil)
        #expect(matrix.meanIoU == (4.0 / 6 + 0.5) / 2)
        var predictedOnly = ConfusionMatrix(classes: 3)
        predictedOnly.accumulate(predicted: [2, 0], target: [0, 0])
        #expect(predictedOnly.iou[2] == 0 && predictedOnly.dice[2] == 0 && predictedOnly.iou[1] == nil)
    }

    /// HD95 with exactly one empty mask is +∞ (MONAI: NaN); both empty, nil. Evaluation leaves
    /// both out of the mean.
    @Test func hd95WithAnEmptyMaskIsInfinite() {
        let empty = [Bool](repeating: false, count: 16)
        var square = empty
        for i in [5, 6, 9, 10] { square[i] = true }
        #expect(hausdorffDistance95(predicted: empty, target: square, height: 4, width: 4) == .infinity)
        #expect(hausdorffDistance95(predicted: square, target: empty, height: 4, width: 4) == .infinity)
        #expect(hausdorffDistance95(predicted: empty, target: empty, height: 4, width: 4) == nil)
        #expect(hausdorffDistance95(predicted: square, target: square, height: 4, width: 4) == 0)
    }
}
