import Foundation

// The label-marginal penalties over the three-class simplex Δ₃ = {p : p_k ≥ 0, Σ p_k = 1},
// with the paper's sums over k (not the training code's means): the maps behind Proposition 1.
// Exact functions, no ε: a value that is infinite (KL on an edge where ŷ_k > 0) is `.infinity`.

/// A point of the three-class simplex (barycentric coordinates p₁, p₂, p₃).
public typealias SimplexPoint = SIMD3<Double>

/// Dice's label-marginal bias over the simplex.
/// `DB(p) = Σ_k log(p_k + ŷ_k)`
/// Paper Eq. 1; concave in p, so minimal at a vertex: the vertex of the largest ŷ_k (Proposition 1, Eq. 2).
@inlinable
public func simplexDiceBias(predicted p: SimplexPoint, target y: SimplexPoint) -> Double {
    Foundation.log(p.x + y.x) + Foundation.log(p.y + y.y) + Foundation.log(p.z + y.z)
}

/// CE's hidden label-marginal bias over the simplex.
/// `KL(ŷ‖p) = Σ_k ŷ_k log(ŷ_k / p_k)`, with `0 · log(0/x) = 0`
/// Paper Eq. 4; minimal (0) at p = ŷ, +∞ where some p_k = 0 < ŷ_k.
@inlinable
public func simplexKL(predicted p: SimplexPoint, target y: SimplexPoint) -> Double {
    klTerm(target: y.x, predicted: p.x) + klTerm(target: y.y, predicted: p.y) + klTerm(target: y.z, predicted: p.z)
}

/// The L1 regulariser over the simplex.
/// `L1(ŷ, p) = Σ_k |ŷ_k − p_k|`
/// Paper Eq. 5 with R = L1 (Table 1 writes the sum); minimal (0) at p = ŷ.
@inlinable
public func simplexL1(predicted p: SimplexPoint, target y: SimplexPoint) -> Double {
    abs(y.x - p.x) + abs(y.y - p.y) + abs(y.z - p.z)
}

/// A penalty mapped over the simplex, or the label-marginal part `KL + λ·R` of a CE-based loss.
public enum SimplexPenalty: String, CaseIterable, Sendable, Hashable {
    /// `DB`, Dice's bias (Eq. 1).
    case db
    /// `KL`, CE's hidden bias (Eq. 4).
    case kl
    /// `L1`, the paper's explicit regulariser.
    case l1
    /// `KL + λ·DB`: CE + λ·log-Dice's marginal part.
    case klPlusDB = "kl+db"
    /// `KL + λ·L1`: the paper's Ours(L1).
    case klPlusL1 = "kl+l1"

    /// Whether the penalty carries a weight λ.
    public var isComposite: Bool { self == .klPlusDB || self == .klPlusL1 }

    /// The formula, as figures, exports and the explorer print it.
    public var formula: String {
        switch self {
        case .db: "DB = Σₖ log(p̂ₖ + ŷₖ)"
        case .kl: "KL = Σₖ ŷₖ log(ŷₖ / p̂ₖ)"
        case .l1: "L1 = Σₖ |ŷₖ − p̂ₖ|"
        case .klPlusDB: "KL + λ·DB"
        case .klPlusL1: "KL + λ·L1"
        }
    }

    /// The value at p for target ŷ and weight λ (unused by the raw penalties); `+∞` where infinite.
    public func value(predicted p: SimplexPoint, target y: SimplexPoint, lambda: Double = 1) -> Double {
        switch self {
        case .db: simplexDiceBias(predicted: p, target: y)
        case .kl: simplexKL(predicted: p, target: y)
        case .l1: simplexL1(predicted: p, target: y)
        case .klPlusDB: simplexKL(predicted: p, target: y) + lambda * simplexDiceBias(predicted: p, target: y)
        case .klPlusL1: simplexKL(predicted: p, target: y) + lambda * simplexL1(predicted: p, target: y)
        }
    }
}

/// A penalty sampled on the regular triangular grid of the simplex, and its minimiser.
public struct SimplexMap: Sendable {
    /// The grid's divisions per edge, n: points `(i, j, n − i − j) / n`.
    public let resolution: Int
    /// The grid points, i = 0…n outer, j = 0…n − i inner (so `index(i, j)` finds one).
    public let points: [SimplexPoint]
    /// The penalty at each point (`+∞` where infinite).
    public let values: [Double]
    /// The minimiser: the best grid point, refined by a compass search inside the simplex.
    public let minimiser: (p: SimplexPoint, value: Double)?

    /// Samples `penalty` for target `y` with weight `lambda` on a grid of `resolution` divisions per edge.
    public init(penalty: SimplexPenalty, target y: SimplexPoint, lambda: Double = 1, resolution: Int) {
        precondition(resolution >= 1, "at least one division per edge")
        let f = { (p: SimplexPoint) in penalty.value(predicted: p, target: y, lambda: lambda) }
        self.resolution = resolution
        self.points = simplexGrid(resolution: resolution)
        self.values = points.map(f)
        var best: Int?
        for index in values.indices where values[index].isFinite {
            if let b = best, values[b] <= values[index] { continue }
            best = index
        }
        if let best {
            minimiser = refineSimplexMinimum(f, from: points[best], value: values[best], step: 1 / Double(resolution))
        } else {
            minimiser = nil
        }
    }

    /// The position in `points` of grid point `(i, j, n − i − j) / n`.
    public func index(i: Int, j: Int) -> Int {
        let n = resolution
        // Rows i' < i hold (n + 1 − i') points each.
        return i * (n + 1) - i * (i - 1) / 2 + j
    }
}

/// The regular grid on the simplex with `n` divisions per edge, `(n + 1)(n + 2)/2` points
/// `(i/n, j/n, (n − i − j)/n)`, i outer, j inner; vertices and edges are exact.
public func simplexGrid(resolution n: Int) -> [SimplexPoint] {
    var points: [SimplexPoint] = []
    points.reserveCapacity((n + 1) * (n + 2) / 2)
    let scale = Double(n)
    for i in 0 ... n {
        for j in 0 ... (n - i) {
            points.append(SimplexPoint(Double(i) / scale, Double(j) / scale, Double(n - i - j) / scale))
        }
    }
    return points
}

/// Compass search inside the simplex: from `start`, try a step of `step` along each of the six
/// in-plane directions ±(e_a − e_b); move on a strict improvement that stays in the simplex,
/// halve the step otherwise, until the step is below 1e-15. For Σ|ŷ − p| and the other convex
/// penalties some direction descends at every non-optimal point, so this converges; a start on
/// a vertex that nothing improves (DB's minimiser) comes back exactly.
public func refineSimplexMinimum(
    _ f: (SimplexPoint) -> Double, from start: SimplexPoint, value: Double, step: Double
) -> (p: SimplexPoint, value: Double) {
    let directions: [SimplexPoint] = [
        SimplexPoint(1, -1, 0), SimplexPoint(-1, 1, 0),
        SimplexPoint(1, 0, -1), SimplexPoint(-1, 0, 1),
        SimplexPoint(0, 1, -1), SimplexPoint(0, -1, 1),
    ]
    var point = start
    var best = value
    var h = step
    var evaluations = 0
    while h >= 1e-15, evaluations < 100_000 {
        var moved = false
        for direction in directions {
            let candidate = point + h * direction
            guard candidate.min() >= 0 else { continue }
            let v = f(candidate)
            evaluations += 1
            if v < best {
                point = candidate
                best = v
                moved = true
                break
            }
        }
        if !moved { h /= 2 }
    }
    return (point, best)
}
