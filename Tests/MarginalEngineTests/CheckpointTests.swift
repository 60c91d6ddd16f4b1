import Foundation
import Testing
import MarginalCore
import MarginalEngine

@Suite struct CheckpointTests {
    /// Save, load into a differently initialised model: the same logits to the bit, and the same
    /// next Adam step.
    @Test func roundTripGivesIdenticalOutputs() throws {
        let trained = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 1)
        let adam = Adam<Float>(learningRate: 1e-3)
        let step = FloatTrainingStep(model: trained, optimizer: adam, loss: .ceL1, lambda: 1, settings: LossSettings(), threads: 1)
        var random = SeededRandom(seed: 2)
        let images = Tensor<Float>(shape: [2, 1, 8, 8], values: (0 ..< 128).map { _ in Float(random.normal()) })
        let labels = (0 ..< 128).map { _ in UInt8(random.next() % 3) }
        for _ in 0 ..< 3 { _ = try step.run(images: images, labels: labels) }
        let data = Checkpoint.encode(model: trained, optimizer: adam)

        let restored = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 99)
        let restoredAdam = Adam<Float>(learningRate: 1e-3)
        try Checkpoint.decode(data, path: "test", into: restored, optimizer: restoredAdam)
        #expect(restored.forward(images) == trained.forward(images))
        let restoredStep = FloatTrainingStep(model: restored, optimizer: restoredAdam, loss: .ceL1, lambda: 1, settings: LossSettings(), threads: 1)
        _ = try step.run(images: images, labels: labels)
        _ = try restoredStep.run(images: images, labels: labels)
        #expect(restored.forward(images) == trained.forward(images))
    }

    @Test func anotherArchitectureOrGarbageIsRefused() throws {
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 1)
        let data = Checkpoint.encode(model: model, optimizer: Adam(learningRate: 1e-3))
        let wider = UNetS<Float>(inputChannels: 1, classes: 3, width: 8, seed: 1)
        #expect(throws: MarginalError.self) { try Checkpoint.decode(data, path: "c", into: wider, optimizer: Adam(learningRate: 1e-3)) }
        #expect(throws: MarginalError.self) { try Checkpoint.decode(data.prefix(100), path: "c", into: model, optimizer: Adam(learningRate: 1e-3)) }
        #expect(throws: MarginalError.self) { try Checkpoint.decode(Data("nonsense".utf8), path: "c", into: model, optimizer: Adam(learningRate: 1e-3)) }
    }
}
