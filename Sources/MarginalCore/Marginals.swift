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
