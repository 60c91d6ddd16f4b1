import Foundation
import Testing
@testable import MarginalCore

/// `stackedAsOneImage`: a batch's images one above the other; each class's logits stay with
/// their pixel, so the one image's proportions are the mean of the images' (equal sizes).
@Suite struct StackedBatchTests {
    @Test func theStackedImagesProportionsAreTheImagesMean() throws {
        var generator = SystemRandomNumberGenerator()
        let (b, k, h, w) = (3, 4, 2, 5)
        let logits = (0 ..< b * k * h * w).map { _ in Double.random(in: -3 ... 3, using: &generator) }
        let labels = (0 ..< b * h * w).map { _ in UInt8.random(in: 0 ..< UInt8(k), using: &generator) }
        let batch = try SegmentationBatch(logits: logits, labels: labels, batchSize: b, classes: k, height: h, width: w)
        let stacked = try batch.stackedAsOneImage()
        #expect(stacked.batchSize == 1 && stacked.height == b * h && stacked.width == w && stacked.labels == labels)
        // Pixel (row 1, column 2) of image 2, class 3, is where the stacking put it.
        #expect(stacked.logits[(3 * b + 2) * h * w + 1 * w + 2] == logits[((2 * k + 3) * h + 1) * w + 2])
        for tau in [1.0, 10] {
            let perImage = labelMarginals(batch, temperature: tau), whole = labelMarginals(stacked, temperature: tau)
            for c in 0 ..< k {
                let mean = (0 ..< b).map { perImage.predicted[$0]![c] }.reduce(0, +) / Double(b)
                #expect(abs(whole.predicted[0]![c] - mean) < 1e-12)
            }
        }
        let hardPerImage = hardProportions(batch), hardWhole = hardProportions(stacked)
        for c in 0 ..< k { #expect(abs(hardWhole[0]![c] - (0 ..< b).map { hardPerImage[$0]![c] }.reduce(0, +) / Double(b)) < 1e-12) }
    }
}
