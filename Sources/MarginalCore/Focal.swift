/// Focal loss, the mean over valid pixels.
/// focal = (1/|V|) Σ_{i∈V} −(1 − p_{y_i})^γ log p_{y_i}   (γ = 2; equals CE at γ = 0)
/// K times MONAI's `FocalLoss(use_softmax=True)`, which also averages over the K channels.
/// ∂focal/∂z_ji = (1/|V|) s(p_y) (p_ji − [j = y_i]), s given by `focalPixelScale`.
func focalTerm(_ sums: [ImageSums], weight: Double, into coefficients: inout GradientCoefficients) -> Double {
    let pixels = Double(sums.reduce(0) { $0 + $1.validPixels })
    coefficients.focal += weight / pixels
    return weight * sums.reduce(0) { $0 + $1.focal } / pixels
}
