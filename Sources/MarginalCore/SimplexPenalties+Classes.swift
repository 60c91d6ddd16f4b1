import Foundation

// The penalties of `SimplexPenalty` for any number of classes K ≥ 2, on proportion vectors
// (arrays that sum to 1), with the paper's sums over k and no ε: the numbers of the explorer's
// Marginals screen. For K = 3 they equal the `SimplexPoint` versions.

extension SimplexPenalty {
    /// The value at p̂ = `p` for target ŷ = `y` (same length) and weight λ; `+∞` where infinite,
    /// `−∞` for DB where a class has p̂ₖ = ŷₖ = 0.
    /// `DB = Σₖ log(p̂ₖ + ŷₖ)`, `KL = Σₖ ŷₖ log(ŷₖ/p̂ₖ)`, `L1 = Σₖ |ŷₖ − p̂ₖ|` (Eqs. 1, 4, 5).
    public func value(predicted p: [Double], target y: [Double], lambda: Double = 1) -> Double {
        precondition(p.count == y.count, "as many predicted as target proportions")
        switch self {
        case .db: return zip(p, y).reduce(0) { $0 + Foundation.log($1.0 + $1.1) }
        case .kl: return zip(p, y).reduce(0) { $0 + klTerm(target: $1.1, predicted: $1.0) }
        case .l1: return zip(p, y).reduce(0) { $0 + abs($1.1 - $1.0) }
        case .klPlusDB: return SimplexPenalty.kl.value(predicted: p, target: y) + lambda * SimplexPenalty.db.value(predicted: p, target: y)
        case .klPlusL1: return SimplexPenalty.kl.value(predicted: p, target: y) + lambda * SimplexPenalty.l1.value(predicted: p, target: y)
        }
    }

    /// Where the penalty is smallest over the simplex of K classes, for target ŷ (every ŷₖ > 0
    /// for the KL-based ones) and weight λ:
    /// - `db`: the vertex of the largest ŷₖ (Proposition 1; DB is concave);
    /// - `kl`, `l1`, `kl+l1`: ŷ itself (each term is ≥ 0 and 0 exactly there);
    /// - `kl+db`: the sum of a convex and a concave term, with no closed form for K > 2: solved
    ///   from its Lagrange condition (see `klPlusDiceBiasMinimiser`), to rounding.
    public func minimiser(target y: [Double], lambda: Double = 1) -> [Double] {
        precondition(y.count >= 2, "at least two classes")
        switch self {
        case .db:
            var vertex = [Double](repeating: 0, count: y.count)
            vertex[diceBiasMinimisingVertex(y)] = 1
            return vertex
        case .kl, .l1, .klPlusL1:
            return y
        case .klPlusDB:
            guard lambda > 0 else { return y }
            return klPlusDiceBiasMinimiser(target: y, lambda: lambda)
        }
    }
}

/// The minimiser of `f(p) = KL(ŷ‖p) + λ Σₖ log(pₖ + ŷₖ)` over the simplex, from the Lagrange
/// condition: at an interior minimum every ∂f/∂pₖ = −ŷₖ/pₖ + λ/(pₖ + ŷₖ) equals one multiplier ν,
/// i.e. ν pₖ² + (ν ŷₖ + ŷₖ − λ) pₖ + ŷₖ² = 0 for each k. Per class that quadratic has a "small"
/// root (where f is locally convex in pₖ) for every ν below Mₖ = (√λ − √ŷₖ)²/ŷₖ (for λ > ŷₖ;
/// below 0 otherwise), increasing in ν, and for 0 < ν ≤ Mₖ a "large" root (concave side),
/// decreasing in ν. A minimum has every class on the small root, or exactly one on the large
/// root (two there would give a direction of negative curvature). So the candidates are: ν with
/// Σₖ smallₖ(ν) = 1 (increasing in ν: bisection), and for each class j, each ν with
/// largeⱼ(ν) + Σ_{k≠j} smallₖ(ν) = 1 (found by a scan and bisection); the best value wins.
/// Classes with ŷₖ = 0 get pₖ = 0 (where λ log pₖ runs to −∞).
func klPlusDiceBiasMinimiser(target y: [Double], lambda: Double) -> [Double] {
    let support = y.indices.filter { y[$0] > 0 }
    let t = support.map { y[$0] }
    // The roots of ν p² + (ν ŷ + ŷ − λ) p + ŷ² = 0 (each written to avoid cancellation).
    func small(_ k: Int, _ nu: Double) -> Double {
        let b = nu * t[k] + t[k] - lambda, c = t[k] * t[k]
        if nu == 0 { return b < 0 ? -c / b : .infinity }
        let d = max(0, b * b - 4 * nu * c).squareRoot()
        if nu < 0 { return b < 0 ? 2 * c / (d - b) : (b + d) / (-2 * nu) }
        return b < 0 ? 2 * c / (d - b) : .infinity
    }
    func large(_ k: Int, _ nu: Double) -> Double {
        let b = nu * t[k] + t[k] - lambda, c = t[k] * t[k]
        let d = max(0, b * b - 4 * nu * c).squareRoot()
        return (d - b) / (2 * nu)
    }
    func f(_ p: [Double]) -> Double {
        var total = 0.0
        for k in p.indices { total += t[k] * (Foundation.log(t[k]) - Foundation.log(p[k])) + lambda * Foundation.log(p[k] + t[k]) }
        return total
    }
    func point(_ nu: Double, largeClass: Int?) -> [Double] {
        t.indices.map { $0 == largeClass ? large($0, nu) : small($0, nu) }
    }
    func total(_ nu: Double, largeClass: Int?) -> Double { point(nu, largeClass: largeClass).reduce(0, +) }
    /// Bisection for total = 1 between a ν where the sum is below 1 and one where it is above.
    func solve(below: Double, above: Double, largeClass: Int?) -> [Double] {
        var (low, high) = (below, above)
        for _ in 0 ..< 200 {
            let middle = low + (high - low) / 2
            guard middle != low, middle != high else { break }
            if total(middle, largeClass: largeClass) < 1 { low = middle } else { high = middle }
        }
        let p = point(high, largeClass: largeClass)
        let sum = p.reduce(0, +)
        return p.map { $0 / sum }
    }
    guard t.count > 1 else {
        var result = [Double](repeating: 0, count: y.count)
        result[support[0]] = 1
        return result
    }
    // The largest ν every class's small root allows.
    let limit = t.map { lambda > $0 ? ($0 - 2 * (lambda * $0).squareRoot() + lambda) / $0 : 0 }.min()!
    var candidates: [[Double]] = []
    // All on the small root: Σ smallₖ(ν) rises from 0 (ν → −∞) to its value at the limit.
    var low = -1.0
    while total(low, largeClass: nil) >= 1 { low *= 2 }
    if limit <= 0 || total(limit, largeClass: nil) >= 1 {
        // At a limit of 0 the sum runs to +∞ as ν → 0⁻.
        let high = limit <= 0 ? -Double.leastNonzeroMagnitude : limit
        candidates.append(solve(below: low, above: high, largeClass: nil))
    }
    // One class on the large root, 0 < ν ≤ limit: scan for crossings of 1.
    if limit > 0 {
        let samples = 400
        for j in t.indices {
            var previous: (nu: Double, above: Bool)?
            for step in 1 ... samples {
                let nu = limit * Double(step) / Double(samples)
                let isAbove = total(nu, largeClass: j) >= 1
                if let previous, previous.above != isAbove {
                    candidates.append(isAbove ? solve(below: previous.nu, above: nu, largeClass: j)
                                              : solveDecreasing(previous.nu, nu, j))
                }
                previous = (nu, isAbove)
            }
        }
    }
    /// Bisection where the sum falls through 1 as ν grows.
    func solveDecreasing(_ a: Double, _ b: Double, _ j: Int) -> [Double] {
        var (low, high) = (a, b)
        for _ in 0 ..< 200 {
            let middle = low + (high - low) / 2
            guard middle != low, middle != high else { break }
            if total(middle, largeClass: j) >= 1 { low = middle } else { high = middle }
        }
        let p = point(low, largeClass: j)
        let sum = p.reduce(0, +)
        return p.map { $0 / sum }
    }
    let best = candidates.filter { $0.allSatisfy { $0 > 0 && $0.isFinite } }.min { f($0) < f($1) } ?? t
    var result = [Double](repeating: 0, count: y.count)
    for (index, k) in support.enumerated() { result[k] = best[index] }
    return result
}

/// `proportions` with class `k` set to `value` (clamped to [0, 1]) and the other classes
/// rescaled to share the rest in their old ratios (equally, if they were all 0), so the result
/// still sums to 1: how the explorer edits one class of p̂.
public func settingProportion(_ proportions: [Double], class k: Int, to value: Double) -> [Double] {
    precondition(proportions.indices.contains(k), "class \(k) of \(proportions.count)")
    let v = min(max(value, 0), 1)
    let othersBefore = proportions.indices.reduce(0) { $0 + ($1 == k ? 0 : proportions[$1]) }
    var result = proportions
    for j in proportions.indices where j != k {
        result[j] = othersBefore > 0 ? proportions[j] * (1 - v) / othersBefore : (1 - v) / Double(proportions.count - 1)
    }
    result[k] = v
    return result
}
