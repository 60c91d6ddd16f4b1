/// Cross-entropy over all valid pixels of the batch, with optional class weights.
/// CE = Σ_{i∈V} w_{y_i} (−log p_{y_i i}) / Σ_{i∈V} w_{y_i}   (w = 1: the plain mean)
/// PyTorch's `F.cross_entropy(weight=w, ignore_index=255)`; the paper's CE of Table 1 per image.
/// ∂CE/∂z_ji = (w_{y_i} / Σ w) (p_ji − [j = y_i]).
func crossEntropyTerm(_ sums: [ImageSums], weight: Double, classWeights: [Double]?,
                      into coefficients: inout GradientCoefficients) throws(MarginalError) -> Double {
    let total = sums.reduce(0) { $0 + $1.crossEntropy }
    let weightSum = sums.reduce(0) { $0 + $1.weightSum }
    guard weightSum > 0 else {
        throw MarginalError("class weights give every valid pixel weight 0, so weighted CE is 0/0")
    }
    for k in coefficients.crossEntropy.indices {
        coefficients.crossEntropy[k] += weight * (classWeights?[k] ?? 1) / weightSum
    }
    return weight * total / weightSum
}
