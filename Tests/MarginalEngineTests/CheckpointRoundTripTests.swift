import Foundation
import Testing
import MarginalCore
import MarginalEngine
import TestSupport

@Suite struct CheckpointRoundTripTests {
    static func batch(seed: UInt64) -> (Tensor<Float>, [UInt8]) {
        var random = SeededRandom(seed: seed)
        let images = Tensor<Float>(shape: [2, 1, 8, 8], values: (0 ..< 128).map { _ in Float(random.normal()) })
        return (images, (0 ..< 128).map { _ in UInt8(random.next() % 3) })
    }

    /// Parameters saved and loaded into a differently initialised model give the same logits, bit
    /// for bit.
    @Test func parametersRoundTrip() throws {
        let (images, labels) = Self.batch(seed: 1)
        let trained = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 1)
        let step = FloatTrainingStep(model: trained, optimizer: Adam<Float>(learningRate: 1e-2), loss: .ceL1, lambda: 1,
                                     settings: LossSettings(), threads: 2)
        for _ in 0 ..< 3 { _ = try step.run(images: images, labels: labels) }
        let restored = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 99)
        try restored.parameters.load(trained.parameters.serialized(), source: "p.bin")
        #expect(restored.parameters.values == trained.parameters.values)
        #expect(restored.forward(images) == trained.forward(images))
    }

    /// Double parameters keep every bit (binary64 on disk).
    @Test func doubleParametersRoundTrip() throws {
        let a = UNetS<Double>(classes: 2, width: 2, seed: 3), b = UNetS<Double>(classes: 2, width: 2, seed: 4)
        try b.parameters.load(a.parameters.serialized(), source: "p.bin")
        #expect(a.parameters.values == b.parameters.values)
    }

    /// Model + Adam checkpoint: after one more step each, the resumed run matches the original.
    @Test func checkpointResumesExactly() throws {
        let (images, labels) = Self.batch(seed: 2)
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 1)
        let adam = Adam<Float>(learningRate: 1e-2)
        let step = FloatTrainingStep(model: model, optimizer: adam, loss: .ceL1, lambda: 1, settings: LossSettings(), threads: 1)
        for _ in 0 ..< 3 { _ = try step.run(images: images, labels: labels) }
        adam.learningRate = 5e-3
        let data = Checkpoint.encode(model: model, optimizer: adam)

        let restored = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 5)
        let restoredAdam = Adam<Float>(learningRate: 1e-2)
        try Checkpoint.decode(data, path: "c.bin", into: restored, optimizer: restoredAdam)
        #expect(restoredAdam.step == 3 && restoredAdam.learningRate == 5e-3)
        let restoredStep = FloatTrainingStep(model: restored, optimizer: restoredAdam, loss: .ceL1, lambda: 1,
                                             settings: LossSettings(), threads: 2)
        let a = try step.run(images: images, labels: labels), b = try restoredStep.run(images: images, labels: labels)
        #expect(a.loss == b.loss)
        #expect(restored.parameters.values == model.parameters.values)
    }

    /// Another width, class count or input channel count, another optimiser, a truncated file or
    /// garbage: one line naming the file, and the model is left as it was.
    @Test func anotherArchitectureOrGarbageIsRefused() throws {
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 1)
        let data = Checkpoint.encode(model: model, optimizer: Adam<Float>(learningRate: 1e-3))
        for other in [UNetS<Float>(inputChannels: 1, classes: 3, width: 8, seed: 1),
                      UNetS<Float>(inputChannels: 1, classes: 2, width: 4, seed: 1),
                      UNetS<Float>(inputChannels: 2, classes: 3, width: 4, seed: 1)] {
            let before = other.parameters
            expectOneLineError { try Checkpoint.decode(data, path: "c.bin", into: other, optimizer: Adam<Float>(learningRate: 1e-3)) }
            #expect(other.parameters == before)
        }
        let fresh = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 2)
        let before = fresh.parameters
        expectOneLineError { try Checkpoint.decode(data, path: "c.bin", into: fresh, optimizer: SGD<Float>(learningRate: 1e-3)) }
        for length in [0, 5, 8, 12, 20, 200, data.count / 2, data.count - 1] {
            expectOneLineError { try Checkpoint.decode(data.prefix(length), path: "c.bin", into: fresh, optimizer: Adam<Float>(learningRate: 1e-3)) }
        }
        expectOneLineError { try Checkpoint.decode(data + Data([0]), path: "c.bin", into: fresh, optimizer: Adam<Float>(learningRate: 1e-3)) }
        expectOneLineError { try Checkpoint.decode(Data("nonsense, not a checkpoint".utf8), path: "c.bin", into: fresh,
                                                   optimizer: Adam<Float>(learningRate: 1e-3)) }
        #expect(fresh.parameters == before)
    }
}
