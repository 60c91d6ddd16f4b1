/// The label-marginal penalties R(ŷ, p̂) of the paper, with the authors' normalisation
/// (CONVENTIONS.md, "Regularisers"): each is computed per image on ŷ_b and p̂_b (p̂ at
/// temperature τ) and averaged over the images that have a valid pixel.
public enum MarginalPenalty: String, CaseIterable, Sendable {
    /// l1 = mean over b, k of |p̂_bk − ŷ_bk|  (the paper's Eq. 7 takes the sum over k; the code the mean).
    case l1
    /// kl = mean over b of Σ_k ŷ_bk log((ŷ_bk + ε) / (p̂_bk + ε))  (Eq. 6; 0 · log(·) = 0).
    case kl
    /// db = mean over b, k of log(p̂_bk + ŷ_bk + ε)  (Dice's label-marginal bias, Eq. 1).
    case db
    /// db1 = mean over b of log(p̂_b1 + ŷ_b1 + ε)  (binary, foreground only, Eq. 21).
    case db1

    /// ε = 1e-10 keeps log finite where a proportion is 0 (an absent class, or p̂ underflowing
    /// at τ = 10); it moves no value by more than about 1e-10 / (p̂ + ŷ).
    public static let epsilon = 1e-10

    /// R for one image and ∂R/∂p̂_k, the latter already divided by K where R takes a mean over k.
    func valueAndSlope(target: [Double], predicted: [Double]) -> (value: Double, slope: [Double]) {
        let classes = Double(target.count)
        let epsilon = Self.epsilon
        switch self {
        case .l1:
            var value = 0.0
            var slope = [Double](repeating: 0, count: target.count)
            for k in target.indices {
                let difference = predicted[k] - target[k]
                value += abs(difference) / classes
                // d|x|/dx at x = 0 taken as 0, as PyTorch does.
                slope[k] = difference > 0 ? 1 / classes : (difference < 0 ? -1 / classes : 0)
            }
            return (value, slope)
        case .kl:
            var value = 0.0
            var slope = [Double](repeating: 0, count: target.count)
            for k in target.indices where target[k] > 0 {
                value += target[k] * Double.log((target[k] + epsilon) / (predicted[k] + epsilon))
                slope[k] = -target[k] / (predicted[k] + epsilon)
            }
            return (value, slope)
        case .db:
            var value = 0.0
            var slope = [Double](repeating: 0, count: target.count)
            for k in target.indices {
                value += Double.log(predicted[k] + target[k] + epsilon) / classes
                slope[k] = 1 / ((predicted[k] + target[k] + epsilon) * classes)
            }
            return (value, slope)
        case .db1:
            var slope = [Double](repeating: 0, count: target.count)
            slope[1] = 1 / (predicted[1] + target[1] + epsilon)
            return (Double.log(predicted[1] + target[1] + epsilon), slope)
        }
    }

    /// Only db1 is defined for K = 2 alone.
    public var isBinaryOnly: Bool { self == .db1 }
}

/// Adds `weight · R` to a loss: R averaged over the images with a valid pixel, and its gradient
/// chained through p̂_bk = (1/|V_b|) Σ_i p^τ_ki, whose derivative is
/// ∂p̂_bk/∂z_ji = (τ/|V_b|) p^τ_ki ([j = k] − p^τ_ji).
func marginalPenaltyTerm(_ penalty: MarginalPenalty, _ sums: [ImageSums], weight: Double, temperature: Double,
                         into coefficients: inout GradientCoefficients) -> Double {
    let images = sums.indices.filter { sums[$0].validPixels > 0 }
    let share = weight / Double(images.count)
    var value = 0.0
    for image in images {
        let (imageValue, slope) = penalty.valueAndSlope(target: sums[image].targetProportion,
                                                        predicted: sums[image].predictedProportion)
        value += share * imageValue
        let chain = share * temperature / Double(sums[image].validPixels)
        for k in slope.indices { coefficients.tempered[image][k] += chain * slope[k] }
    }
    return value
}

/// Proposition 1: the point of the simplex where Dice's bias Σ_k log(p̂_k + ŷ_k) is smallest is
/// the vertex p̂ = e_k of the class with the largest ŷ_k (the penalty is concave in p̂, so its
/// minimum is at a vertex, and log(1 + ŷ_k) − log ŷ_k is smallest for the largest ŷ_k).
/// Ties go to the first such class.
/// Every class whose vertex minimises Dice's bias: all the classes tied for the largest ŷ_k
/// (equal to within 1e-12), in class order. Proposition 1 names one; at a tie each is a minimum.
public func diceBiasMinimisingVertices(_ target: [Double]) -> [Int] {
    guard let largest = target.max() else { return [] }
    return target.indices.filter { target[$0] >= largest - 1e-12 }
}

public func diceBiasMinimisingVertex(_ target: [Double]) -> Int {
    var best = 0
    for k in target.indices where target[k] > target[best] { best = k }
    return best
}
