import Foundation
import Testing
import MarginalCore
import TestSupport

/// The three-class penalties of `marginal simplex`, their grid and their minimisers.
@Suite struct SimplexPenaltyTests {
    let target = SimplexPoint(0.6, 0.3, 0.1)

    @Test func gridHasEveryPointOnceWithExactVertices() {
        let n = 7
        let grid = simplexGrid(resolution: n)
        #expect(grid.count == (n + 1) * (n + 2) / 2)
        #expect(grid.first == SimplexPoint(0, 0, 1))
        #expect(grid.last == SimplexPoint(1, 0, 0))
        #expect(grid.contains(SimplexPoint(0, 1, 0)))
        for p in grid {
            #expect(p.min() >= 0)
            #expect(abs(p.sum() - 1) < 1e-15)
        }
        let map = SimplexMap(penalty: .l1, target: target, resolution: n)
        for i in 0 ... n {
            for j in 0 ... (n - i) {
                #expect(map.points[map.index(i: i, j: j)] == SimplexPoint(Double(i) / 7, Double(j) / 7, Double(n - i - j) / 7))
            }
        }
    }

    @Test func knownValues() {
        let p = SimplexPoint(0.2, 0.5, 0.3)
        // DB = log(0.8) + log(0.8) + log(0.4)
        #expect(isClose(simplexDiceBias(predicted: p, target: target), 2 * log(0.8) + log(0.4), relative: 1e-14))
        // KL = 0.6 log 3 + 0.3 log 0.6 + 0.1 log(1/3)
        #expect(isClose(simplexKL(predicted: p, target: target), 0.6 * log(3) + 0.3 * log(0.6) + 0.1 * log(1.0 / 3), relative: 1e-14))
        // L1 = 0.4 + 0.2 + 0.2 (the paper's sum, not the training code's mean)
        #expect(isClose(simplexL1(predicted: p, target: target), 0.8, relative: 1e-14))
        #expect(isClose(SimplexPenalty.klPlusDB.value(predicted: p, target: target, lambda: 2),
                        simplexKL(predicted: p, target: target) + 2 * simplexDiceBias(predicted: p, target: target), relative: 1e-14))
        #expect(simplexKL(predicted: target, target: target) == 0)
    }

    @Test func klIsInfiniteOnTheEdges() {
        #expect(simplexKL(predicted: SimplexPoint(0.5, 0.5, 0), target: target) == .infinity)
        #expect(SimplexPenalty.klPlusL1.value(predicted: SimplexPoint(1, 0, 0), target: target) == .infinity)
        #expect(simplexDiceBias(predicted: SimplexPoint(1, 0, 0), target: target).isFinite)
        // A class with ŷ_k = 0 adds 0 · log(0/p_k) = 0, even where p_k = 0.
        #expect(simplexKL(predicted: SimplexPoint(0.5, 0.5, 0), target: SimplexPoint(0.5, 0.5, 0)) == 0)
    }

    /// Proposition 1: DB = Σ log(p_k + ŷ_k) is smallest at the vertex of the largest ŷ_k.
    @Test func diceBiasMinimiserIsTheVertexOfTheLargestTarget() throws {
        var generator = SeededGenerator(seed: 2024)
        for _ in 0 ..< 40 {
            let raw = SimplexPoint(Double.random(in: 0.01 ... 1, using: &generator),
                                   Double.random(in: 0.01 ... 1, using: &generator),
                                   Double.random(in: 0.01 ... 1, using: &generator))
            let y = raw / raw.sum()
            let map = SimplexMap(penalty: .db, target: y, resolution: 24)
            let minimum = try #require(map.minimiser)
            let largest = [y.x, y.y, y.z].enumerated().max { $0.element < $1.element }!.offset
            var vertex = SimplexPoint(0, 0, 0)
            vertex[largest] = 1
            #expect(minimum.p == vertex, "ŷ = \(y): minimiser \(minimum.p)")
            #expect(minimum.value == simplexDiceBias(predicted: vertex, target: y))
        }
    }

    @Test(arguments: [SimplexPenalty.kl, .l1, .klPlusL1])
    func targetMatchingPenaltiesAreSmallestAtTheTarget(_ penalty: SimplexPenalty) throws {
        for y in [target, SimplexPoint(0.2, 0.5, 0.3), SimplexPoint(0.05, 0.05, 0.9)] {
            let map = SimplexMap(penalty: penalty, target: y, lambda: 1, resolution: 30)
            let minimum = try #require(map.minimiser)
            #expect(largestDifference(minimum.p, y) < 1e-6, "\(penalty), ŷ = \(y): \(minimum.p)")
            #expect(minimum.value <= map.values.filter(\.isFinite).min()!)
        }
    }

    @Test func klPlusDiceBiasMinimiserMovesTowardsTheLargestClass() throws {
        let map = SimplexMap(penalty: .klPlusDB, target: target, lambda: 2, resolution: 50)
        let minimum = try #require(map.minimiser)
        #expect(minimum.p.x > target.x)
        #expect(minimum.p.min() > 0)
        #expect(minimum.value < SimplexPenalty.klPlusDB.value(predicted: target, target: target, lambda: 2))
        // A stationary point: no in-plane move of 1e-5 lowers the value.
        let f = { (p: SimplexPoint) in SimplexPenalty.klPlusDB.value(predicted: p, target: target, lambda: 2) }
        for d in [SimplexPoint(1, -1, 0), SimplexPoint(0, 1, -1), SimplexPoint(-1, 0, 1)] {
            #expect(f(minimum.p + 1e-5 * d) >= minimum.value)
            #expect(f(minimum.p - 1e-5 * d) >= minimum.value)
        }
    }
}

/// max_k |a_k − b_k|.
private func largestDifference(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    let d = a - b
    return max(abs(d.x), abs(d.y), abs(d.z))
}
