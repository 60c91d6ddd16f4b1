import Foundation
import Testing
import MarginalCore
import TestSupport

/// The binary penalties of Fig. 2 (CONVENTIONS.md, "Binary penalty curves"): values, slopes,
/// infinities and minimisers. Reference values are closed forms worked by hand next to each.
@Suite struct BinaryPenaltyTests {
    @Test func knownValues() {
        // DB₁(0.1; ŷ = 0.1) = log 0.2
        #expect(isClose(binaryDiceBias(predicted: 0.1, target: 0.1), log(0.2), relative: 1e-15))
        // KL(0.5; 0.1) = 0.1 log(0.1/0.5) + 0.9 log(0.9/0.5) = 0.1 log 0.2 + 0.9 log 1.8
        #expect(isClose(binaryKL(predicted: 0.5, target: 0.1), 0.1 * log(0.2) + 0.9 * log(1.8), relative: 1e-14))
        // KL(ŷ; ŷ) = 0
        #expect(abs(binaryKL(predicted: 0.3, target: 0.3)) < 1e-16)
        // L1(0.3; 0.1) = 0.2
        #expect(isClose(binaryL1(predicted: 0.3, target: 0.1), 0.2, relative: 1e-15))
        // Composites at p = 0.5, ŷ = 0.1, λ = 2
        let kl = 0.1 * log(0.2) + 0.9 * log(1.8)
        #expect(isClose(BinaryPenalty.klPlusDB1.value(predicted: 0.5, target: 0.1, lambda: 2), kl + 2 * log(0.6), relative: 1e-14))
        #expect(isClose(BinaryPenalty.klPlusL1.value(predicted: 0.5, target: 0.1, lambda: 2), kl + 2 * 0.4, relative: 1e-14))
        #expect(isClose(BinaryPenalty.klPlusKL.value(predicted: 0.5, target: 0.1, lambda: 2), 3 * kl, relative: 1e-14))
    }

    @Test func knownDerivatives() {
        // dDB₁/dp = 1/(p + ŷ): 1/(0.4 + 0.1) = 2
        #expect(isClose(binaryDiceBiasDerivative(predicted: 0.4, target: 0.1), 2, relative: 1e-15))
        // dKL/dp = −ŷ/p + (1−ŷ)/(1−p): −0.1/0.5 + 0.9/0.5 = 1.6
        #expect(isClose(binaryKLDerivative(predicted: 0.5, target: 0.1), 1.6, relative: 1e-14))
        #expect(binaryKLDerivative(predicted: 0.1, target: 0.1) == 0)
        // dL1/dp = sign(p − ŷ), 0 at p = ŷ
        #expect(binaryL1Derivative(predicted: 0.3, target: 0.1) == 1)
        #expect(binaryL1Derivative(predicted: 0.05, target: 0.1) == -1)
        #expect(binaryL1Derivative(predicted: 0.1, target: 0.1) == 0)
        // d(KL + λ·DB₁)/dp at p = 0.5, ŷ = 0.1, λ = 2: 1.6 + 2/0.6
        #expect(isClose(BinaryPenalty.klPlusDB1.derivative(predicted: 0.5, target: 0.1, lambda: 2), 1.6 + 2 / 0.6, relative: 1e-14))
        #expect(isClose(BinaryPenalty.klPlusL1.derivative(predicted: 0.5, target: 0.1, lambda: 2), 3.6, relative: 1e-14))
        #expect(isClose(BinaryPenalty.klPlusKL.derivative(predicted: 0.5, target: 0.1, lambda: 2), 4.8, relative: 1e-14))
    }

    @Test func infiniteWhereThePenaltyIsInfiniteAndNowhereElse() {
        for penalty in [BinaryPenalty.kl, .klPlusDB1, .klPlusL1, .klPlusKL] {
            #expect(penalty.value(predicted: 0, target: 0.1) == .infinity, "\(penalty) at 0")
            #expect(penalty.value(predicted: 1, target: 0.1) == .infinity, "\(penalty) at 1")
            #expect(penalty.derivative(predicted: 0, target: 0.1) == -.infinity, "\(penalty)′ at 0")
            #expect(penalty.derivative(predicted: 1, target: 0.1) == .infinity, "\(penalty)′ at 1")
        }
        for p in [0.0, 1.0] {
            #expect(binaryDiceBias(predicted: p, target: 0.1).isFinite)
            #expect(binaryDiceBiasDerivative(predicted: p, target: 0.1).isFinite)
            #expect(binaryL1(predicted: p, target: 0.1).isFinite)
        }
        // 0 · log(0/x) = 0: with ŷ = 0, KL(p) = −log(1 − p), finite at p = 0.
        #expect(binaryKL(predicted: 0, target: 0) == 0)
        #expect(isClose(binaryKL(predicted: 0.5, target: 0), log(2), relative: 1e-15))
    }

    @Test(arguments: BinaryPenalty.allCases)
    func derivativeMatchesCentralDifferences(_ penalty: BinaryPenalty) {
        let h = 1e-6
        for target in [0.02, 0.1, 0.5, 0.9] {
            for p in stride(from: 0.013, to: 0.99, by: 0.0731) where abs(p - target) > 2 * h {
                let numeric = (penalty.value(predicted: p + h, target: target, lambda: 0.7)
                    - penalty.value(predicted: p - h, target: target, lambda: 0.7)) / (2 * h)
                let analytic = penalty.derivative(predicted: p, target: target, lambda: 0.7)
                #expect(isClose(analytic, numeric, relative: 1e-6, absolute: 1e-7), "\(penalty) at p = \(p), ŷ = \(target)")
            }
        }
    }

    @Test(arguments: [0.02, 0.1, 0.37, 0.8])
    func diceBiasIsSmallestAtZero(_ target: Double) throws {
        let minimum = try #require(BinaryPenalty.db1.minimiser(target: target))
        #expect(minimum.p == 0)
        #expect(minimum.value == log(target))
    }

    @Test(arguments: [0.02, 0.1, 0.37, 0.8])
    func klL1AndTheirSumsAreSmallestAtTheTarget(_ target: Double) throws {
        for penalty in [BinaryPenalty.kl, .l1, .klPlusL1, .klPlusKL] {
            let minimum = try #require(penalty.minimiser(target: target, lambda: 1.5))
            #expect(abs(minimum.p - target) < 1e-12, "\(penalty): \(minimum.p) ≠ \(target)")
            #expect(abs(minimum.value) < 1e-14, "\(penalty): \(minimum.value)")
        }
    }

    @Test(arguments: [0.02, 0.1, 0.37, 0.8])
    func klPlusDiceBiasIsSmallestBelowTheTargetAndFallsWithLambda(_ target: Double) throws {
        var previous = target
        for lambda in [0.05, 0.1, 0.5, 1, 2, 5, 20] {
            let minimum = try #require(BinaryPenalty.klPlusDB1.minimiser(target: target, lambda: lambda))
            #expect(minimum.p < target, "λ = \(lambda)")
            #expect(minimum.p < previous, "λ = \(lambda): \(minimum.p) is not below \(previous)")
            // The root of (1−λ)p² + λp − ŷ² = 0 (see klPlusDiceBiasMinimiser).
            let exact = klPlusDiceBiasMinimiser(target: target, lambda: lambda)
            #expect(isClose(minimum.p, exact, relative: 1e-9), "λ = \(lambda): \(minimum.p) vs \(exact)")
            previous = minimum.p
        }
        // λ = 1: p* = ŷ² exactly; λ = 0: p* = ŷ.
        #expect(isClose(klPlusDiceBiasMinimiser(target: target, lambda: 1), target * target, relative: 1e-15))
        #expect(isClose(klPlusDiceBiasMinimiser(target: target, lambda: 0), target, relative: 1e-15))
    }

    @Test func closedFormZeroesTheDerivative() {
        for target in [0.05, 0.3] {
            for lambda in [0.3, 1, 3] {
                let p = klPlusDiceBiasMinimiser(target: target, lambda: lambda)
                #expect(abs(BinaryPenalty.klPlusDB1.derivative(predicted: p, target: target, lambda: lambda)) < 1e-9)
            }
        }
    }

    @Test func minimiserDoesNotDependOnTheSampling() throws {
        for points in [3, 11, 1001] {
            let minimum = try #require(BinaryPenalty.klPlusDB1.minimiser(target: 0.1, lambda: 1, points: points))
            #expect(isClose(minimum.p, 0.01, relative: 1e-9), "\(points) points: \(minimum.p)")
        }
    }

    @Test func evenlySpacedHasExactEnds() {
        let grid = evenlySpaced(count: 1001)
        #expect(grid.count == 1001)
        #expect(grid.first == 0 && grid.last == 1)
        #expect(grid[100] == 0.1)
    }
}
