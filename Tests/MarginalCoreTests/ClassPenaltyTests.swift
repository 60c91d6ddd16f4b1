import Foundation
import Testing
import MarginalCore
import TestSupport

/// The K-class penalties and minimisers of the explorer's Marginals screen, the proportion
/// editing it does, hard proportions and the Cityscapes row.
@Suite struct ClassPenaltyTests {
    @Test func arrayPenaltiesEqualTheThreeClassOnes() {
        let y = SimplexPoint(0.6, 0.3, 0.1), p = SimplexPoint(0.2, 0.5, 0.3)
        for penalty in SimplexPenalty.allCases {
            let three = penalty.value(predicted: p, target: y, lambda: 0.7)
            let array = penalty.value(predicted: [p.x, p.y, p.z], target: [y.x, y.y, y.z], lambda: 0.7)
            #expect(isClose(array, three, relative: 1e-15), "\(penalty)")
        }
        #expect(SimplexPenalty.kl.value(predicted: [1, 0], target: [0.5, 0.5]) == .infinity)
    }

    @Test func closedFormMinimisers() {
        let y = Cityscapes.proportions()
        #expect(SimplexPenalty.kl.minimiser(target: y) == y)
        #expect(SimplexPenalty.klPlusL1.minimiser(target: y, lambda: 3) == y)
        #expect(SimplexPenalty.klPlusDB.minimiser(target: y, lambda: 0) == y)
        let vertex = SimplexPenalty.db.minimiser(target: y)
        #expect(vertex[0] == 1 && vertex.reduce(0, +) == 1)  // road is the largest class
    }

    /// For three classes the descent agrees with the grid search and compass refinement of `SimplexMap`.
    @Test(arguments: [0.3, 1.0, 2.0, 5.0, 20.0])
    func klPlusDBMinimiserMatchesTheSimplexSearch(lambda: Double) throws {
        let y = SimplexPoint(0.6, 0.3, 0.1)
        let map = SimplexMap(penalty: .klPlusDB, target: y, lambda: lambda, resolution: 200)
        let expected = try #require(map.minimiser)
        let found = SimplexPenalty.klPlusDB.minimiser(target: [y.x, y.y, y.z], lambda: lambda)
        let value = SimplexPenalty.klPlusDB.value(predicted: found, target: [y.x, y.y, y.z], lambda: lambda)
        #expect(value <= expected.value + 1e-9, "descent \(found) \(value) vs search \(expected)")
        #expect(abs(found[0] - expected.p.x) < 1e-4 && abs(found[1] - expected.p.y) < 1e-4)
        #expect(isClose(found.reduce(0, +), 1, relative: 1e-12))
    }

    /// At an interior minimiser the gradient is the same for every class (the Lagrange condition),
    /// and Dice's bias pulls the small classes below their target.
    @Test func klPlusDBMinimiserIsStationaryForNineteenClasses() {
        let y = Cityscapes.proportions(), lambda = 0.5
        let p = SimplexPenalty.klPlusDB.minimiser(target: y, lambda: lambda)
        let gradient = p.indices.map { -y[$0] / p[$0] + lambda / (p[$0] + y[$0]) }
        let mean = gradient.reduce(0, +) / Double(gradient.count)
        for g in gradient { #expect(abs(g - mean) < 1e-5 * max(1, abs(mean))) }
        let smallest = y.indices.min { y[$0] < y[$1] }!
        #expect(p[smallest] < y[smallest])
    }

    @Test func settingOneProportionRescalesTheOthers() {
        let p = settingProportion([0.5, 0.3, 0.2], class: 0, to: 0.75)
        #expect(isClose(p[0], 0.75) && isClose(p[1], 0.15) && isClose(p[2], 0.1))
        #expect(settingProportion([1, 0, 0], class: 0, to: 0.5) == [0.5, 0.25, 0.25])
        #expect(settingProportion([0.5, 0.5], class: 1, to: 2) == [0, 1])
    }

    @Test func hardProportionsCountArgmaxOverValidPixels() throws {
        // Two classes, four pixels (one ignored): argmax 0, 1, 1, and a tie that goes to class 0.
        let logits: [Double] = [2, 0, 0, 1, /* class 1 */ 1, 3, 5, 1]
        let batch = try SegmentationBatch(logits: logits, labels: [0, 1, 255, 0], batchSize: 1, classes: 2, height: 2, width: 2)
        let hard = try #require(hardProportions(batch)[0])
        #expect(hard == [2.0 / 3, 1.0 / 3])
    }

    @Test func cityscapesRowIsTable4() {
        #expect(Cityscapes.classNames.count == 19)
        #expect(isClose(Cityscapes.meanRegionProportionPercent.reduce(0, +), 88.6, relative: 1e-12))
        let y = Cityscapes.proportions()
        #expect(isClose(y.reduce(0, +), 1, relative: 1e-12))
        #expect(isClose(y[0], 32.6 / 88.6, relative: 1e-12))
        #expect(Cityscapes.proportions(classes: 2) == [32.6 / 38, 5.4 / 38])
    }
}
