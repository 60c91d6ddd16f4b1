import Foundation

// The label-marginal penalties of a two-class (binary) segmentation, as functions of the
// predicted foreground proportion p = p̂₁ ∈ [0, 1] for a target proportion ŷ = ŷ₁ — the curves
// of the paper's Fig. 2 (CONVENTIONS.md, "Binary penalty curves").
//
// These are the exact functions, with no ε inside the logarithms (the ε = 1e-10 of the training
// losses only keeps gradients finite; a plot must show where a penalty really goes to infinity).
// A value or slope that is infinite comes back as `±.infinity`, never as a clamped number.

/// Dice's binary label-marginal bias.
/// `DB₁(p) = log(p + ŷ)`
/// Paper Eq. 21 (Appendix B): minimal at p = 0, whatever ŷ — the bias towards empty foregrounds.
@inlinable
public func binaryDiceBias(predicted p: Double, target y: Double) -> Double {
    Foundation.log(p + y)
}

/// `dDB₁/dp = 1 / (p + ŷ)`; bounded on [0, 1] whenever ŷ > 0.
@inlinable
public func binaryDiceBiasDerivative(predicted p: Double, target y: Double) -> Double {
    1 / (p + y)
}

/// CE's hidden label-marginal bias for two classes: the Bernoulli (= K = 2 categorical) KL divergence.
/// `KL(p) = ŷ log(ŷ/p) + (1−ŷ) log((1−ŷ)/(1−p))`, with `0 · log(0/x) = 0`
/// Paper Eq. 4 (the KL term of CE's decomposition) and Table 1; minimal (0) at p = ŷ, +∞ at p = 0 and 1 when 0 < ŷ < 1.
@inlinable
public func binaryKL(predicted p: Double, target y: Double) -> Double {
    klTerm(target: y, predicted: p) + klTerm(target: 1 - y, predicted: 1 - p)
}

/// `dKL/dp = −ŷ/p + (1−ŷ)/(1−p)`; −∞ at p = 0 and +∞ at p = 1 (unbounded near 0, the paper's point
/// about the KL regulariser's gradient dynamics, Sec. 2.6).
@inlinable
public func binaryKLDerivative(predicted p: Double, target y: Double) -> Double {
    -klSlopeTerm(target: y, predicted: p) + klSlopeTerm(target: 1 - y, predicted: 1 - p)
}

/// The L1 regulariser for two classes (the mean over both classes equals the foreground term).
/// `L1(p) = |p − ŷ|`
/// Paper Eq. 5 with R = L1 (Table 1); minimal (0) at p = ŷ.
@inlinable
public func binaryL1(predicted p: Double, target y: Double) -> Double {
    abs(p - y)
}

/// `dL1/dp = sign(p − ŷ)`, taken as 0 at p = ŷ (the subgradient PyTorch uses for |x| at 0).
@inlinable
public func binaryL1Derivative(predicted p: Double, target y: Double) -> Double {
    p > y ? 1 : (p < y ? -1 : 0)
}

/// `t · log(t / q)` with `0 · log(0 / q) = 0` and `t · log(t / 0) = +∞` for t > 0.
@usableFromInline
func klTerm(target t: Double, predicted q: Double) -> Double {
    if t == 0 { return 0 }
    if q == 0 { return .infinity }
    return t * (Foundation.log(t) - Foundation.log(q))
}

/// `d/dq [−t log q] = −t / q` without the sign: `t / q`, 0 when t = 0, +∞ when q = 0 < t.
@usableFromInline
func klSlopeTerm(target t: Double, predicted q: Double) -> Double {
    if t == 0 { return 0 }
    if q == 0 { return .infinity }
    return t / q
}

/// A binary label-marginal penalty of Fig. 2, or the whole label-marginal part of a CE-based
/// loss, `KL + λ·R`, since CE hides a KL (CONVENTIONS.md, "Binary penalty curves").
public enum BinaryPenalty: String, CaseIterable, Sendable, Hashable {
    /// `DB₁`, Dice's bias (Eq. 21).
    case db1
    /// `KL`, CE's hidden bias (Eq. 4).
    case kl
    /// `L1`, the paper's explicit regulariser.
    case l1
    /// `KL + λ·DB₁`: CE + λ·log-Dice's marginal part; minimal strictly below ŷ for λ > 0.
    case klPlusDB1 = "kl+db1"
    /// `KL + λ·L1`: the paper's Ours(L1); minimal at ŷ.
    case klPlusL1 = "kl+l1"
    /// `KL + λ·KL = (1 + λ)·KL`: the paper's Ours(KL); minimal at ŷ.
    case klPlusKL = "kl+kl"

    /// The penalties the CLI plots when none are named: the three of Fig. 2.
    public static let raw: [BinaryPenalty] = [.db1, .kl, .l1]

    /// Whether the penalty carries a weight λ.
    public var isComposite: Bool {
        switch self {
        case .db1, .kl, .l1: false
        case .klPlusDB1, .klPlusL1, .klPlusKL: true
        }
    }

    /// The value at p = p̂₁ for target ŷ = ŷ₁ and weight λ (unused by the raw penalties).
    /// `+∞` where the penalty is infinite (any KL at p = 0 or 1 when 0 < ŷ < 1).
    public func value(predicted p: Double, target y: Double, lambda: Double = 1) -> Double {
        switch self {
        case .db1: binaryDiceBias(predicted: p, target: y)
        case .kl: binaryKL(predicted: p, target: y)
        case .l1: binaryL1(predicted: p, target: y)
        case .klPlusDB1: binaryKL(predicted: p, target: y) + lambda * binaryDiceBias(predicted: p, target: y)
        case .klPlusL1: binaryKL(predicted: p, target: y) + lambda * binaryL1(predicted: p, target: y)
        case .klPlusKL: (1 + lambda) * binaryKL(predicted: p, target: y)
        }
    }

    /// The first derivative with respect to p; `±∞` where it is unbounded (KL at p = 0 or 1).
    public func derivative(predicted p: Double, target y: Double, lambda: Double = 1) -> Double {
        switch self {
        case .db1: binaryDiceBiasDerivative(predicted: p, target: y)
        case .kl: binaryKLDerivative(predicted: p, target: y)
        case .l1: binaryL1Derivative(predicted: p, target: y)
        case .klPlusDB1:
            binaryKLDerivative(predicted: p, target: y) + lambda * binaryDiceBiasDerivative(predicted: p, target: y)
        case .klPlusL1:
            binaryKLDerivative(predicted: p, target: y) + lambda * binaryL1Derivative(predicted: p, target: y)
        case .klPlusKL: (1 + lambda) * binaryKLDerivative(predicted: p, target: y)
        }
    }

    /// Finds the minimiser over p ∈ [0, 1]: the best of `points` evenly spaced samples, then
    /// refined by bisection on the sign of the derivative between the neighbouring samples
    /// (every penalty here is convex or monotone there, so the sign changes once), to the last
    /// bit. `nil` only if every sample is infinite.
    public func minimiser(target y: Double, lambda: Double = 1, points: Int = 1001) -> (p: Double, value: Double)? {
        let count = max(points, 3)
        let grid = evenlySpaced(count: count)
        var best: Int?
        for (index, p) in grid.enumerated() {
            let v = value(predicted: p, target: y, lambda: lambda)
            guard v.isFinite else { continue }
            if let b = best, value(predicted: grid[b], target: y, lambda: lambda) <= v { continue }
            best = index
        }
        guard let best else { return nil }
        var lower = grid[max(best - 1, 0)]
        var upper = grid[min(best + 1, count - 1)]
        var candidates = [grid[best], lower, upper]
        while true {
            let middle = lower + (upper - lower) / 2
            guard middle > lower, middle < upper else { break }
            let slope = derivative(predicted: middle, target: y, lambda: lambda)
            if slope > 0 {
                upper = middle
            } else if slope < 0 {
                lower = middle
            } else {
                lower = middle
                upper = middle
                break
            }
        }
        candidates += [lower, upper]
        var answer = (p: grid[best], value: value(predicted: grid[best], target: y, lambda: lambda))
        for p in candidates {
            let v = value(predicted: p, target: y, lambda: lambda)
            // Ties go to the refined point (`lower`, listed last), the closest to the true minimiser.
            if v.isFinite, v < answer.value || (v == answer.value && p == lower) { answer = (p, v) }
        }
        return answer
    }
}

/// `count` points evenly spaced on [0, 1]: `i / (count − 1)`, exactly 0 and 1 at the ends.
public func evenlySpaced(count: Int) -> [Double] {
    precondition(count >= 2, "at least two points")
    let last = Double(count - 1)
    return (0 ..< count).map { Double($0) / last }
}

/// The closed-form minimiser of `KL + λ·DB₁`: setting the derivative
/// `−ŷ/p + (1−ŷ)/(1−p) + λ/(p+ŷ)` to zero and multiplying by `p(1−p)(p+ŷ)` leaves
/// `(1−λ) p² + λ p − ŷ² = 0`, whose root in (0, ŷ] is returned (p = ŷ² at λ = 1, p = ŷ at λ = 0).
/// It is below ŷ for every λ > 0 and falls towards 0 as λ grows: Dice's bias pulls CE's
/// matching of proportions towards empty foregrounds.
public func klPlusDiceBiasMinimiser(target y: Double, lambda: Double) -> Double {
    // (−λ + √(λ² + 4(1−λ)ŷ²)) / (2(1−λ)), multiplied by its conjugate: no 0/0 at λ = 1.
    // The discriminant is (λ − 2ŷ²)² + 4ŷ²(1 − ŷ²) > 0 for 0 < ŷ < 1.
    2 * y * y / (lambda + (lambda * lambda + 4 * (1 - lambda) * y * y).squareRoot())
}
