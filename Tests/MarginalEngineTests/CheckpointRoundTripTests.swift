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

    /// The run's position (step, learning rate, plateau) is saved inside checkpoint.bin, with the
    /// weights, so one atomic write holds both; a checkpoint saved without one, or of version 2
    /// (two parts only), gives none and the trainer reads checkpoint.json.
    @Test func theRunsPositionTravelsWithTheWeights() throws {
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 2, seed: 1)
        let adam = Adam<Float>(learningRate: 1e-3)
        var plateau = ReduceOnPlateau(patience: 2)
        _ = plateau.record(validationLoss: 0.5)
        let info = CheckpointInfo(step: 40, epoch: 2.5, learningRate: 5e-4, plateau: plateau, bestMIoU: 0.61)
        let restored = UNetS<Float>(inputChannels: 1, classes: 3, width: 2, seed: 9)
        #expect(try Checkpoint.decode(Checkpoint.encode(model: model, optimizer: adam, info: info), path: "c.bin", into: restored,
                                      optimizer: Adam<Float>(learningRate: 1e-3)) == info)
        #expect(try Checkpoint.decode(Checkpoint.encode(model: model, optimizer: adam), path: "c.bin", into: restored,
                                      optimizer: Adam<Float>(learningRate: 1e-3)) == nil)
        // Version 2, as earlier marginals wrote it: the weights and Adam's state, no position.
        let v3: Data = Checkpoint.encode(model: model, optimizer: adam)
        var v2 = Data("MRGNCKPT".utf8)
        v2.append(contentsOf: [2, 0, 0, 0])
        v2.append(contentsOf: v3.subdata(in: 12 ..< (v3.count - 8)))  // both parts with their lengths, less the empty third's length
        let fresh = UNetS<Float>(inputChannels: 1, classes: 3, width: 2, seed: 9)
        #expect(try Checkpoint.decode(v2, path: "c.bin", into: fresh, optimizer: Adam<Float>(learningRate: 1e-3)) == nil)
        #expect(fresh.parameters.values == model.parameters.values)
        // An unreadable position is one line naming the file, and the model is left as it was.
        var broken = v3
        broken.removeLast(8)
        broken.append(contentsOf: [3, 0, 0, 0, 0, 0, 0, 0] + Array("{x}".utf8))
        let untouched = UNetS<Float>(inputChannels: 1, classes: 3, width: 2, seed: 9), before = untouched.parameters.values
        #expect(throws: MarginalError("c.bin: the run's position (step, learning rate) is not readable")) {
            try Checkpoint.decode(broken, path: "c.bin", into: untouched, optimizer: Adam<Float>(learningRate: 1e-3))
        }
        #expect(untouched.parameters.values == before)
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
