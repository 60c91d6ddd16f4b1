import Testing
import MarginalCore
import MarginalEngine
import TestSupport

@Suite struct LearningTests {
    /// A real learning test (not timed): 300 Adam steps on one fixed batch of two 16 × 16 images
    /// (a bright square on noise, class 1 inside) take ce_l1 below a tenth of where it started.
    @Test func adamLowersTheLossOnAFixedBatch() throws {
        var random = SeededRandom(seed: 3)
        var images = [Float](), labels = [UInt8]()
        for image in 0 ..< 2 {
            let (top, left) = (3 + 4 * image, 5 - 2 * image)
            for y in 0 ..< 16 {
                for x in 0 ..< 16 {
                    let inside = (top ..< top + 6).contains(y) && (left ..< left + 7).contains(x)
                    labels.append(inside ? 1 : 0)
                    images.append(Float((inside ? 1 : 0) + 0.5 * random.normal()))
                }
            }
        }
        let model = UNetS<Float>(inputChannels: 1, classes: 2, width: 4, seed: 1)
        let step = FloatTrainingStep(model: model, optimizer: Adam<Float>(learningRate: 3e-3), loss: .ceL1, lambda: 1,
                                     settings: LossSettings(temperature: 10), threads: 2)
        let batch = Tensor(shape: [2, 1, 16, 16], values: images)
        let first = try step.run(images: batch, labels: labels).loss
        var last = first
        for _ in 1 ..< 300 { last = try step.run(images: batch, labels: labels).loss }
        #expect(last < 0.1 * first, "loss \(first) → \(last)")
    }
}
