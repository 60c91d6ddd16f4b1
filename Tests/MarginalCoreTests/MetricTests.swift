import Testing
import MarginalCore
import TestSupport

@Suite struct ConfusionMatrixTests {
    /// Worked by hand: target 0 0 1 1 2 255, prediction 0 1 1 1 0 2.
    @Test func perClassMetricsByHand() {
        var matrix = ConfusionMatrix(classes: 4)
        matrix.accumulate(predicted: [0, 1, 1, 1, 0, 2], target: [0, 0, 1, 1, 2, 255])
        // class 0: TP 1, FP 1 (the 2 predicted 0), FN 1 → 1/3; class 1: TP 2, FP 1 → 2/3;
        // class 2: TP 0, FN 1 → 0; class 3: absent from both → nil.
        #expect(matrix.iou[0]! == 1.0 / 3 && matrix.iou[1]! == 2.0 / 3 && matrix.iou[2]! == 0)
        #expect(matrix.iou[3] == nil)
        #expect(matrix.meanIoU! == (1.0 / 3 + 2.0 / 3 + 0) / 3)
        #expect(matrix.dice[0]! == 0.5 && matrix.dice[1]! == 0.8 && matrix.dice[3] == nil)
        #expect(matrix.predictedProportion == [0.4, 0.6, 0, 0])
        #expect(matrix.targetProportion == [0.4, 0.4, 0.2, 0])
        #expect(matrix.validPixels == 5)
    }

    @Test func accumulatesAcrossBatches() {
        var once = ConfusionMatrix(classes: 2), twice = ConfusionMatrix(classes: 2)
        once.accumulate(predicted: [0, 1, 1, 0], target: [0, 1, 0, 0])
        twice.accumulate(predicted: [0, 1], target: [0, 1])
        twice.accumulate(predicted: [1, 0], target: [0, 0])
        #expect(once == twice)
    }
}

@Suite struct SurfaceDistanceTests {
    static let (height, width) = (12, 15)

    static func mask(_ name: String) -> [Bool] {
        var mask = [Bool](repeating: false, count: height * width)
        for r in 0 ..< height {
            for c in 0 ..< width {
                let (fr, fc) = (Double(r), Double(c))
                let ringRadius = (fr - 6) * (fr - 6) + (fc - 7) * (fc - 7)
                switch name {
                case "disc": mask[r * width + c] = (fr - 5.2) * (fr - 5.2) + (fc - 6.1) * (fc - 6.1) <= 12.5
                case "shifted": mask[r * width + c] = (fr - 6.0) * (fr - 6.0) + (fc - 8.3) * (fc - 8.3) <= 10.0
                case "ring": mask[r * width + c] = ringRadius >= 9 && ringRadius <= 25
                default: mask[r * width + c] = r < 4 && c < 5
                }
            }
        }
        return mask
    }

    /// From Scripts/reference/surface_reference.py (scipy's erosion and EDT, numpy's percentile,
    /// as MONAI uses them): (A, B, HD95, NSD at 1.5 pixels).
    static let reference: [(String, String, Double, Double)] = [
        ("disc", "shifted", 3.0, 0.5588235294117647),
        ("disc", "ring", 2.8284271247461903, 0.7727272727272727),
        ("corner", "disc", 6.4031242374328485, 0.25),
        ("ring", "shifted", 3.1054804791094464, 0.640625),
    ]

    @Test(arguments: 0 ..< 4)
    func matchesScipyReference(_ index: Int) {
        let (a, b, hd95, nsd) = Self.reference[index]
        let (ma, mb) = (Self.mask(a), Self.mask(b))
        #expect(isClose(hausdorffDistance95(predicted: ma, target: mb, height: Self.height, width: Self.width)!, hd95, relative: 1e-12))
        #expect(isClose(hausdorffDistance95(predicted: mb, target: ma, height: Self.height, width: Self.width)!, hd95, relative: 1e-12))
        #expect(isClose(normalizedSurfaceDice(predicted: ma, target: mb, height: Self.height, width: Self.width, tolerance: 1.5)!,
                        nsd, relative: 1e-12))
    }

    @Test func identicalMasksAreAtDistanceZero() {
        let disc = Self.mask("disc")
        #expect(hausdorffDistance95(predicted: disc, target: disc, height: Self.height, width: Self.width) == 0)
        #expect(normalizedSurfaceDice(predicted: disc, target: disc, height: Self.height, width: Self.width, tolerance: 0) == 1)
    }

    /// A 4 × 4 square moved 2 pixels to the right: every boundary pixel of one is within 2 of the
    /// other's; the farthest (the two far sides) are exactly 2 away.
    @Test func shiftedSquareByHand() {
        var a = [Bool](repeating: false, count: 100), b = a
        for r in 3 ..< 7 { for c in 2 ..< 6 { a[r * 10 + c] = true; b[r * 10 + c + 2] = true } }
        #expect(hausdorffDistance95(predicted: a, target: b, height: 10, width: 10) == 2)
        #expect(normalizedSurfaceDice(predicted: a, target: b, height: 10, width: 10, tolerance: 2) == 1)
    }

    @Test func emptyMasksFollowMONAI() {
        let empty = [Bool](repeating: false, count: Self.height * Self.width), disc = Self.mask("disc")
        #expect(hausdorffDistance95(predicted: empty, target: empty, height: Self.height, width: Self.width) == nil)
        #expect(normalizedSurfaceDice(predicted: empty, target: empty, height: Self.height, width: Self.width, tolerance: 1) == nil)
        #expect(hausdorffDistance95(predicted: empty, target: disc, height: Self.height, width: Self.width) == .infinity)
        #expect(normalizedSurfaceDice(predicted: disc, target: empty, height: Self.height, width: Self.width, tolerance: 1) == 0)
    }

    /// The exact distance transform against brute force on random masks.
    @Test(arguments: 1 ... 20)
    func distanceTransformMatchesBruteForce(_ seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let (h, w) = (1 + Int(random.next() % 17), 1 + Int(random.next() % 19))
        let density = random.uniform(0.01, 0.3)
        let sites = (0 ..< h * w).map { _ in random.uniform(0, 1) < density }
        let transform = squaredDistanceTransform(sites, height: h, width: w)
        for q in 0 ..< h * w {
            var best = Double.infinity
            for p in 0 ..< h * w where sites[p] {
                let (dr, dc) = (q / w - p / w, q % w - p % w)
                best = min(best, Double(dr * dr + dc * dc))
            }
            #expect(transform[q] == best, "seed \(seed) pixel \(q)")
        }
    }

    @Test func percentileIsNumpyLinear() {
        #expect(percentile([1, 2, 3, 4], 95) == 3.85)
        #expect(percentile([5], 95) == 5)
        #expect(percentile([3, 1, 2], 50) == 2)
    }
}
