import Testing
import MarginalCore
import TestSupport

/// Every loss and every penalty: the analytic gradient against central differences in Double,
/// on random inputs with ignored pixels and a class absent from one image.
@Suite struct LossGradientTests {
    static let multiClass = randomBatch(batchSize: 2, classes: 4, height: 3, width: 5, seed: 11)
    static let binary = randomBatch(batchSize: 3, classes: 2, height: 4, width: 3, absentInFirstImage: [1], seed: 12)

    static func batches(for loss: LossName) -> [SegmentationBatch<Double>] {
        loss.isBinaryOnly ? [binary] : [multiClass, binary]
    }

    func checkGradient(_ terms: [(weight: Double, term: LossTerm)], _ batch: SegmentationBatch<Double>,
                       settings: LossSettings = LossSettings(), _ comment: Comment) throws {
        let analytic = try evaluateLoss(terms, on: batch, settings: settings).gradient
        let numeric = try centralDifferences(at: batch.logits) { logits in
            try evaluateLoss(terms, on: batch.replacingLogits(logits), settings: settings, gradient: false).value
        }
        let mismatch = firstMismatch(analytic, numeric, relative: 1e-6, absolute: 1e-8)
        #expect(mismatch == nil, comment)
        // The gradient is 0 at ignored pixels.
        let pixels = batch.pixelsPerImage
        for (index, label) in batch.labels.enumerated() where label == 255 {
            let (image, i) = index.quotientAndRemainder(dividingBy: pixels)
            for k in 0 ..< batch.classes { #expect(analytic[(image * batch.classes + k) * pixels + i] == 0) }
        }
    }

    @Test(arguments: LossName.allCases)
    func lossGradientMatchesCentralDifferences(_ loss: LossName) throws {
        for batch in Self.batches(for: loss) {
            try checkGradient(loss.terms(), batch, "\(loss.rawValue), K = \(batch.classes)")
        }
    }

    @Test(arguments: MarginalPenalty.allCases, [1.0, 2.5, 10.0])
    func penaltyGradientMatchesCentralDifferences(_ penalty: MarginalPenalty, temperature: Double) throws {
        let batches = penalty.isBinaryOnly ? [Self.binary] : [Self.multiClass, Self.binary]
        for batch in batches {
            try checkGradient([(1, .marginal(penalty))], batch, settings: LossSettings(temperature: temperature),
                              "\(penalty.rawValue), τ = \(temperature), K = \(batch.classes)")
        }
    }

    @Test func weightedCrossEntropyGradient() throws {
        try checkGradient([(1, .crossEntropy)], Self.multiClass,
                          settings: LossSettings(classWeights: [0.5, 1, 2, 1.5]), "weighted ce")
    }

    @Test(arguments: [0.5, 1.0, 3.0])
    func focalGradientForOtherGammas(_ gamma: Double) throws {
        try checkGradient([(1, .focal)], Self.multiClass, settings: LossSettings(focalGamma: gamma), "focal γ = \(gamma)")
    }

    @Test func compositeWithNonDefaultLambda() throws {
        try checkGradient(LossName.ceKL.terms(lambda: 2.5), Self.multiClass, "ce_kl, λ = 2.5")
    }

    /// The Float path (vectorised exp, Float tiles) agrees with the Double path.
    @Test(arguments: LossName.allCases)
    func floatAgreesWithDouble(_ loss: LossName) throws {
        for batch in Self.batches(for: loss) {
            let exact = try evaluateLoss(loss, on: batch)
            let single = try evaluateLoss(loss, on: batch.converted(to: Float.self))
            #expect(isClose(single.value, exact.value, relative: 1e-5, absolute: 1e-6), "\(loss.rawValue)")
            let scale = exact.gradient.map(abs).max() ?? 1
            let mismatch = firstMismatch(single.gradient.map(Double.init), exact.gradient, relative: 1e-4,
                                         absolute: 1e-5 * scale)
            #expect(mismatch == nil, "\(loss.rawValue) K = \(batch.classes)")
        }
    }

    /// The threaded passes split images into units and add them in a fixed order: the same bits
    /// whatever the number of threads.
    @Test func threadsDoNotChangeResults() throws {
        let large = randomBatch(batchSize: 2, classes: 5, height: 150, width: 130, absentInFirstImage: [], seed: 5)
            .converted(to: Float.self)
        let one = try evaluateLoss(.ceL1, on: large, threads: 1)
        let two = try evaluateLoss(.ceL1, on: large, threads: 2)
        #expect(one.value == two.value)
        #expect(one.gradient == two.gradient)
    }
}
