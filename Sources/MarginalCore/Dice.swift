/// Batch-level soft Dice (segmentation_models_pytorch 0.2.1 `DiceLoss`, smooth 0, eps 1e-7).
/// I_k = Σ_{b,i∈V} p_bki [y = k],  S_k = Σ_{b,i∈V} p_bki + |{y = k}|,  d_k = 2 I_k / max(S_k, 1e-7)
/// dice = (1/K) Σ_k present_k (1 − d_k);  log_dice uses −log(max(d_k, 1e-7)) instead of 1 − d_k.
/// `foregroundOnly` (dice1, log_dice1, the paper's Dice₁ of Table 2): class 1 alone, no 1/K.
/// An absent class (no label k in the batch) adds 0 but still counts in the 1/K.
///
/// ∂d_k/∂p_ki = 2[y_i = k]/S_k − 2 I_k/S_k² (a present class has S_k ≥ 1, so the clamp
/// 1e-7, which only guards 0/0, is never active there); for log Dice the chain adds −1/d_k,
/// and 0 where d_k < 1e-7 is clamped.
func diceTerm(_ sums: [ImageSums], weight: Double, logarithmic: Bool, foregroundOnly: Bool,
              into coefficients: inout GradientCoefficients) -> Double {
    let classes = coefficients.crossEntropy.count
    let counted = foregroundOnly ? [1] : Array(0 ..< classes)
    let share = weight / Double(counted.count)
    var value = 0.0
    for k in counted {
        let labelCount = sums.reduce(0) { $0 + $1.labelCount[k] }
        guard labelCount > 0 else { continue }
        let intersection = sums.reduce(0) { $0 + $1.probabilityAtLabel[k] }
        let cardinality = sums.reduce(0) { $0 + $1.probabilitySum[k] } + labelCount
        let dice = 2 * intersection / max(cardinality, 1e-7)
        // dL/dd_k for this class.
        let slope: Double
        if logarithmic {
            value += share * -Double.log(max(dice, 1e-7))
            slope = dice > 1e-7 ? -share / dice : 0
        } else {
            value += share * (1 - dice)
            slope = -share
        }
        for image in sums.indices {
            coefficients.softmax[image][k] += slope * (-2 * intersection / (cardinality * cardinality))
            coefficients.softmaxAtLabel[image][k] += slope * (2 / cardinality)
        }
    }
    return value
}
