/// Sums over the valid pixels of one image, gathered in one pass over its logits; every loss,
/// penalty and marginal of CONVENTIONS.md is a function of these (accumulated in `Double`
/// whatever the logits' type, so that a 512 × 512 image sums without losing digits).
public struct ImageSums: Sendable, Equatable {
    /// |V_b|
    public var validPixels = 0
    /// n_bk = |{i ∈ V_b : y_i = k}|
    public var labelCount: [Double]
    /// P_bk = Σ_{i∈V_b} p_ki (τ = 1)
    public var probabilitySum: [Double]
    /// I_bk = Σ_{i∈V_b, y_i = k} p_ki (τ = 1)
    public var probabilityAtLabel: [Double]
    /// Σ_{i∈V_b} p^τ_ki; empty when no temperature was asked for.
    public var temperedSum: [Double]
    /// Σ_{i∈V_b} w_{y_i} (−log p_{y_i}); w = 1 without class weights.
    public var crossEntropy = 0.0
    /// Σ_{i∈V_b} w_{y_i}
    public var weightSum = 0.0
    /// Σ_{i∈V_b} −(1 − p_{y_i})^γ log p_{y_i}; 0 unless focal was asked for.
    public var focal = 0.0

    init(classes: Int, tempered: Bool) {
        labelCount = Array(repeating: 0, count: classes)
        probabilitySum = Array(repeating: 0, count: classes)
        probabilityAtLabel = Array(repeating: 0, count: classes)
        temperedSum = tempered ? Array(repeating: 0, count: classes) : []
    }

    mutating func add(_ other: ImageSums) {
        validPixels += other.validPixels
        for k in labelCount.indices {
            labelCount[k] += other.labelCount[k]
            probabilitySum[k] += other.probabilitySum[k]
            probabilityAtLabel[k] += other.probabilityAtLabel[k]
        }
        for k in temperedSum.indices { temperedSum[k] += other.temperedSum[k] }
        crossEntropy += other.crossEntropy
        weightSum += other.weightSum
        focal += other.focal
    }

    /// ŷ_bk = n_bk / |V_b|
    public var targetProportion: [Double] { labelCount.map { $0 / Double(validPixels) } }
    /// p̂_bk = (1/|V_b|) Σ p^τ_ki
    public var predictedProportion: [Double] { temperedSum.map { $0 / Double(validPixels) } }
}
