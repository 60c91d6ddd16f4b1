/// The label marginals of each image, over its valid pixels (CONVENTIONS.md, "Label marginals").
/// ŷ_bk = |{i ∈ V_b : y_i = k}| / |V_b|,   p̂_bk = (1/|V_b|) Σ_{i∈V_b} softmax(τ z_bi)_k.
/// An image with no valid pixel has neither: its entries are nil.
public struct LabelMarginals: Sendable, Equatable {
    public let temperature: Double
    public let target: [[Double]?]
    public let predicted: [[Double]?]
}

public func labelMarginals<T: MarginalScalar>(_ batch: SegmentationBatch<T>, temperature: Double = 10,
                                               threads: Int = 1) -> LabelMarginals {
    let sums = FusedPasses(batch: batch, temperature: T(temperature), classWeights: nil, focalGamma: nil,
                           threads: threads).gatherSums()
    return LabelMarginals(
        temperature: temperature,
        target: sums.map { $0.validPixels > 0 ? $0.targetProportion : nil },
        predicted: sums.map { $0.validPixels > 0 ? $0.predictedProportion : nil }
    )
}

/// The segmentation the logits show: argmax_k z_bki for every pixel (ties to the lower class),
/// `B × H × W` like the labels, whatever the labels say (ignored pixels get a class too).
public func predictedLabels<T: MarginalScalar>(_ batch: SegmentationBatch<T>) -> [UInt8] {
    let pixels = batch.pixelsPerImage, classes = batch.classes
    var prediction = [UInt8](repeating: 0, count: batch.batchSize * pixels)
    for image in 0 ..< batch.batchSize {
        for i in 0 ..< pixels {
            let base = image * classes * pixels + i
            var best = 0
            for k in 1 ..< classes where batch.logits[base + k * pixels] > batch.logits[base + best * pixels] { best = k }
            prediction[image * pixels + i] = UInt8(best)
        }
    }
    return prediction
}

/// The hard (argmax) proportion of each image over its valid pixels: the share of pixels whose
/// largest logit is class k (ties to the lower class), the proportion a segmentation shows and
/// that p̂ at a large τ approaches (paper Appendix C). nil for an image with no valid pixel.
public func hardProportions<T: MarginalScalar>(_ batch: SegmentationBatch<T>) -> [[Double]?] {
    let pixels = batch.pixelsPerImage, classes = batch.classes
    let prediction = predictedLabels(batch)
    return (0 ..< batch.batchSize).map { image in
        var counts = [Double](repeating: 0, count: classes)
        var valid = 0.0
        for i in 0 ..< pixels where batch.labels[image * pixels + i] != SegmentationBatch<T>.ignoreIndex {
            counts[Int(prediction[image * pixels + i])] += 1
            valid += 1
        }
        return valid > 0 ? counts.map { $0 / valid } : nil
    }
}
