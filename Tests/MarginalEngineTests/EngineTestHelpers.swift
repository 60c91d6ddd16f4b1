import Testing
import MarginalCore
import MarginalEngine
import TestSupport

/// A tensor of standard normal draws, the same for a seed.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor<Double> {
    var random = SeededRandom(seed: seed)
    return Tensor(shape: shape, values: (0 ..< shape.reduce(1, *)).map { _ in scale * random.normal() })
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "dot of \(a.count) and \(b.count) values")
    return zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Checks an analytic gradient against central differences of `f` at `point`, in Double:
/// entry by entry, and along one random direction d (∇f · d against (f(x + hd) − f(x − hd)) / 2h),
/// which also catches errors spread thinly over many entries.
///
/// Tolerance: with h = 1e-5 the central difference's truncation error is O(h² f‴) ≈ 1e-10 and
/// its rounding error O(ε f / h) ≈ 1e-11 for the O(1) functions here, so relative 1e-6 with an
/// absolute floor of 1e-8 (for entries whose true gradient is 0) leaves a margin of 100 while
/// still catching any wrong index, sign or missing term. The one non-smooth risk, a ReLU or
/// max-pool switching inside ±h, has probability ~1e-5 per unit for these random inputs, and the
/// inputs are seeded, so a passing check stays passing.
func expectGradient(_ analytic: [Double], at point: [Double], _ what: String,
                    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Double]) -> Double) {
    #expect(analytic.count == point.count, "\(what): \(analytic.count) gradient entries for \(point.count) inputs",
            sourceLocation: sourceLocation)
    guard analytic.count == point.count else { return }
    let numeric = centralDifferences(at: point, f)
    let mismatch = firstMismatch(analytic, numeric, relative: 1e-6, absolute: 1e-8)
    #expect(mismatch == nil, "\(what): entry \(mismatch?.index ?? -1) analytic \(mismatch?.actual ?? 0), numeric \(mismatch?.expected ?? 0)",
            sourceLocation: sourceLocation)
    // A unit direction, so that the whole step has length h (as each entry's does).
    let raw = randomTensor([point.count], seed: 77).values
    let norm = dot(raw, raw).squareRoot()
    let direction = raw.map { $0 / norm }
    let h = 1e-5
    let along = (f(zip(point, direction).map { $0 + h * $1 }) - f(zip(point, direction).map { $0 - h * $1 })) / (2 * h)
    let predicted = dot(analytic, direction)
    #expect(isClose(predicted, along, relative: 1e-6, absolute: 1e-8),
            "\(what): directional derivative analytic \(predicted), numeric \(along)", sourceLocation: sourceLocation)
}

extension ParameterStore {
    /// The store with tensor `index`'s values replaced.
    func replacing(_ index: Int, with newValues: [T]) -> ParameterStore {
        var copy = self
        copy.values.replaceSubrange(entries[index].range, with: newValues)
        return copy
    }

    func values(of index: Int) -> [T] { Array(values[entries[index].range]) }
    func gradients(of index: Int) -> [T] { Array(gradients[entries[index].range]) }
}
