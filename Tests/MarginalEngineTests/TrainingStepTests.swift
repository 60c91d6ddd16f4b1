import Testing
import MarginalCore
import MarginalEngine
import TestSupport

@Suite struct TrainingStepTests {
    /// Images the network cannot take, and labels the loss refuses, are one-line errors that leave
    /// the parameters as they were.
    @Test func badInputIsAnErrorNotACrash() {
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 2, seed: 1)
        let step = FloatTrainingStep(model: model, optimizer: Adam<Float>(learningRate: 1e-3), loss: .ceL1, lambda: nil,
                                     settings: LossSettings(), threads: 1)
        let before = model.parameters
        let cases: [(Tensor<Float>, [UInt8])] = [
            (Tensor(zeros: [1, 1, 10, 8]), [UInt8](repeating: 0, count: 80)),   // 10 is not a multiple of 4
            (Tensor(zeros: [1, 2, 8, 8]), [UInt8](repeating: 0, count: 64)),    // two channels for a C = 1 network
            (Tensor(zeros: [1, 1, 8, 8]), [UInt8](repeating: 7, count: 64)),    // label 7 with K = 3
            (Tensor(zeros: [1, 1, 8, 8]), [UInt8](repeating: 0, count: 60)),    // too few labels
            (Tensor(zeros: [1, 1, 8, 8]), [UInt8](repeating: 255, count: 64)),  // every pixel ignored
        ]
        for (images, labels) in cases {
            #expect(throws: MarginalError.self) { try step.run(images: images, labels: labels) }
        }
        #expect(model.parameters == before)
    }

    /// `withTerms` reports each weighted term, and they add up to the loss.
    @Test func termsAddUpToTheLoss() throws {
        let model = UNetS<Float>(inputChannels: 1, classes: 2, width: 2, seed: 2)
        let step = FloatTrainingStep(model: model, optimizer: SGD<Float>(learningRate: 1e-2), loss: .ceL1, lambda: 0.5,
                                     settings: LossSettings(temperature: 10), threads: 2)
        var random = SeededRandom(seed: 3)
        let images = Tensor<Float>(shape: [2, 1, 8, 8], values: (0 ..< 128).map { _ in Float(random.normal()) })
        let labels = (0 ..< 128).map { _ in UInt8(random.next() % 2) }
        let result = try step.run(images: images, labels: labels, withTerms: true)
        #expect(Set(result.terms.keys) == ["ce", "l1"])
        #expect(isClose(result.terms.values.reduce(0, +), result.loss, relative: 1e-9))
    }
}
