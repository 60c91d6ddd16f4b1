import Foundation
import Testing
@testable import MarginalCore

/// The softmax's exponentials (`FastExp.swift`) against the C library's `exp` in `Double`, and
/// the facts the passes build on: exp(0) = 1 exactly and no exponential of x ≤ 0 above 1, so that
/// a pixel's largest p is 1 / Σ_k e_k (`SoftmaxTile.temperingPivot`).
@Suite struct FastExpTests {
    /// Every 1/4096 from −87.33 to 88.72, and 20 000 random points.
    static let inputs: [Float] = {
        var generator = SeededRandom(seed: 7)
        let grid = stride(from: -87.33, through: 88.72, by: 1.0 / 4096).map { Float($0) }
        let random = (0 ..< 20_000).map { _ in Float(generator.uniform(-88, 88)) }
        return grid + random
    }()

    /// Relative error against `Double` exp below 2 ulp (2⁻²² relative) wherever the result is a
    /// normal `Float`.
    @Test func fastExpIsWithinTwoUlpOfExp() {
        var worst = 0.0
        for x in Self.inputs {
            let exact = Foundation.exp(Double(x))
            guard exact >= Double(Float.leastNormalMagnitude), exact <= Double(Float.greatestFiniteMagnitude) else { continue }
            worst = max(worst, abs(Double(fastExp(x)) - exact) / exact)
        }
        #expect(worst < 0x1p-22, "worst relative error \(worst)")
        #expect(worst > 0, "a Float exponential cannot be exact everywhere: the comparison did not run")
    }

    /// The non-positive variant is the same number bit for bit on x ≤ 0, down to the flush to 0.
    @Test func nonPositiveVariantEqualsFastExp() {
        var compared = 0
        for x in Self.inputs + [-87.3365, -87.33655, -87.34, -100, -1e30, -.greatestFiniteMagnitude, -.infinity, -0.0] where x <= 0 {
            #expect(fastExpOfNonPositive(x).bitPattern == fastExp(x).bitPattern, "x = \(x)")
            compared += 1
        }
        #expect(compared > 300_000)
    }

    @Test func edgesOfTheRange() {
        #expect(fastExp(0) == 1 && fastExpOfNonPositive(0) == 1)
        #expect(fastExpOfNonPositive(-88) == 0 && fastExp(-88) == 0)
        #expect(fastExp(89) == .infinity)
        #expect(Self.inputs.allSatisfy { $0 > 0 || fastExpOfNonPositive($0) <= 1 })
    }

    /// The pivot pass 1 keeps for pass 2 is the largest p of each pixel for a whole τ, and the
    /// largest logit otherwise, exactly, in `Float` and in `Double`.
    @Test func temperingPivotIsTheLargestProbabilityOrLogit() {
        func check<T: MarginalScalar>(_: T.Type) {
            let classes = 5, count = 37
            var generator = SeededRandom(seed: 3)
            let logits = (0 ..< classes * count).map { _ in T(generator.uniform(-20, 20)) }
            for temperature: T in [10, 2.5] {
                let tile = SoftmaxTile<T>(classes: classes, temperature: true)
                logits.withUnsafeBufferPointer { tile.fill(image: $0.baseAddress!, stride: count, start: 0, count: count, temperature: temperature) }
                let pivot = tile.temperingPivot(temperature: temperature)
                for i in 0 ..< count {
                    let largest = temperature == 10
                        ? (0 ..< classes).map { tile.probabilities[$0 * count + i] }.max()!
                        : (0 ..< classes).map { logits[$0 * count + i] }.max()!
                    #expect(pivot[i] == largest, "\(T.self) τ = \(temperature), pixel \(i)")
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }
}
