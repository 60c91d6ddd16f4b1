/// Generalised Dice per image, then the mean over images (MONAI's
/// `GeneralizedDiceLoss(softmax=True, w_type="square")`, smooth_nr = smooth_dr = 1e-5).
/// w_bk = 1/n_bk², an infinite weight (absent class) replaced by the image's largest finite one;
/// f_b = 1 − (2 Σ_k w_bk I_bk + 1e-5) / (Σ_k w_bk (P_bk + n_bk) + 1e-5).
/// The 1e-5 are MONAI's smoothing constants, kept so that the values agree with it.
/// ∂f_b/∂p_ki = −(2 w_k [y_i = k] / D_b − N_b w_k / D_b²), N, D the numerator and denominator.
func generalizedDiceTerm(_ sums: [ImageSums], weight: Double, into coefficients: inout GradientCoefficients) -> Double {
    let images = sums.indices.filter { sums[$0].validPixels > 0 }
    let share = weight / Double(images.count)
    var value = 0.0
    for image in images {
        let s = sums[image]
        let finite = s.labelCount.filter { $0 > 0 }.map { 1 / ($0 * $0) }
        let largest = finite.max()!  // a valid image has at least one labelled class
        let w = s.labelCount.map { $0 > 0 ? 1 / ($0 * $0) : largest }
        var numerator = 1e-5, denominator = 1e-5
        for k in w.indices {
            numerator += 2 * w[k] * s.probabilityAtLabel[k]
            denominator += w[k] * (s.probabilitySum[k] + s.labelCount[k])
        }
        value += share * (1 - numerator / denominator)
        for k in w.indices {
            coefficients.softmax[image][k] += share * numerator * w[k] / (denominator * denominator)
            coefficients.softmaxAtLabel[image][k] += share * -2 * w[k] / denominator
        }
    }
    return value
}
