import Testing
import MarginalCore
import TestSupport

/// The `Float` passes (fast exponential, fused tile sweeps, p^τ by squaring) against the `Double`
/// path on the same logits: batches that span several tiles and work units with a ragged last
/// tile, classes absent from an image, ignored pixels, and logits out to ±80.
@Suite struct FloatPathTests {
    /// K = 19 (Cityscapes), 27 × 41 = 1107 pixels an image: four tiles of 256 and one of 83.
    static func cityscapesLike(spread: Double, seed: UInt64) -> SegmentationBatch<Double> {
        randomBatch(batchSize: 2, classes: 19, height: 27, width: 41, spread: spread, ignoreEvery: 7,
                    absentInFirstImage: [2, 5, 18], seed: seed)
    }

    /// `base` with three pixels of the first image at the extremes: all logits equal; one class
    /// at +80 and the rest at −80 (labelled with that class); the label's class at −80 and the
    /// rest at +80 (p_y underflows in Float, −log p_y ≈ 160).
    static func withExtremePixels(_ base: SegmentationBatch<Double>) -> SegmentationBatch<Double> {
        var logits = base.logits, labels = base.labels
        let pixels = base.pixelsPerImage
        for k in 0 ..< base.classes {
            logits[k * pixels + 0] = 0.5
            logits[k * pixels + 1] = k == 3 ? 80 : -80
            logits[k * pixels + 2] = k == 4 ? -80 : 80
        }
        labels[0] = 1
        labels[1] = 3
        labels[2] = 4
        return try! SegmentationBatch(logits: logits, labels: labels, batchSize: base.batchSize, classes: base.classes,
                                      height: base.height, width: base.width)
    }

    static let batches: [(name: String, batch: SegmentationBatch<Double>)] = [
        ("random ±3", cityscapesLike(spread: 3, seed: 21)),
        ("random ±80", cityscapesLike(spread: 80, seed: 22)),
        ("extreme pixels", withExtremePixels(cityscapesLike(spread: 3, seed: 23))),
    ]

    func compare(_ loss: LossName, settings: LossSettings, threads: Int, _ comment: String) throws {
        for (name, batch) in Self.batches {
            // Both paths see the same numbers: the logits rounded to Float once.
            let single = batch.converted(to: Float.self)
            let exact = try evaluateLoss(loss, on: single.converted(to: Double.self), settings: settings)
            let fast = try evaluateLoss(loss, on: single, settings: settings, threads: threads)
            #expect(exact.value.isFinite, "\(comment), \(name)")
            #expect(isClose(fast.value, exact.value, relative: 1e-5, absolute: 1e-6),
                    "\(comment), \(name): value \(fast.value) vs \(exact.value)")
            let scale = exact.gradient.map(abs).max() ?? 1
            let mismatch = firstMismatch(fast.gradient.map(Double.init), exact.gradient, relative: 1e-4, absolute: 1e-5 * scale)
            #expect(mismatch == nil, "\(comment), \(name): gradient \(String(describing: mismatch))")
            for (index, label) in batch.labels.enumerated() where label == SegmentationBatch<Float>.ignoreIndex {
                let (image, i) = index.quotientAndRemainder(dividingBy: batch.pixelsPerImage)
                for k in 0 ..< batch.classes where fast.gradient[(image * batch.classes + k) * batch.pixelsPerImage + i] != 0 {
                    Issue.record("\(comment), \(name): gradient not 0 at ignored pixel \(index)")
                }
            }
        }
    }

    @Test(arguments: LossName.available(classes: 19))
    func floatMatchesDouble(_ loss: LossName) throws {
        try compare(loss, settings: LossSettings(), threads: 2, loss.rawValue)
    }

    /// τ = 2.5 takes the second exponential (no squaring); τ = 1 and τ = 64 the edges of squaring.
    @Test(arguments: [1.0, 2.5, 64.0])
    func temperaturesMatchDouble(_ temperature: Double) throws {
        try compare(.ceL1, settings: LossSettings(temperature: temperature), threads: 1, "ce_l1 τ = \(temperature)")
        try compare(.ceKL, settings: LossSettings(temperature: temperature), threads: 2, "ce_kl τ = \(temperature)")
    }
}
