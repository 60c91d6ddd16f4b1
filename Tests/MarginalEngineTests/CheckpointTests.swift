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

@Suite struct DatasetTests {
    @Test(arguments: SyntheticDataset.allCases)
    func deterministicWithProportionsNearTheIntended(_ dataset: SyntheticDataset) {
        let a = dataset.sample(.train, 3, seed: 1, size: 64), b = dataset.sample(.train, 3, seed: 1, size: 64)
        #expect(a.image == b.image && a.mask == b.mask)
        #expect(dataset.sample(.train, 3, seed: 2, size: 64).mask != a.mask)
        #expect(dataset.sample(.validation, 3, seed: 1, size: 64).mask != a.mask)
        var counts = [Double](repeating: 0, count: dataset.classes)
        for index in 0 ..< 64 { for label in dataset.sample(.train, index, seed: 1, size: 64).mask { counts[Int(label)] += 1 } }
        let total = counts.reduce(0, +)
        for (k, intended) in dataset.intendedProportion.enumerated() {
            #expect(abs(counts[k] / total - intended) <= max(0.004, 0.35 * intended), "\(dataset.rawValue) class \(k): \(counts[k] / total)")
        }
    }

    /// No threshold on intensity separates the foreground: the best one's IoU stays low.
    @Test(arguments: [SyntheticDataset.lesions, .organ])
    func notSeparableByAThreshold(_ dataset: SyntheticDataset) {
        let samples = (0 ..< 16).map { dataset.sample(.train, $0, seed: 1, size: 64) }
        let foreground = UInt8(dataset.classes - 1)
        var best = 0.0
        for threshold in stride(from: -2.0, through: 4.0, by: 0.1) {
            var intersection = 0.0, union = 0.0
            for sample in samples {
                for (value, label) in zip(sample.image, sample.mask) {
                    let predicted = Double(value) > threshold, actual = label == foreground
                    if predicted && actual { intersection += 1 }
                    if predicted || actual { union += 1 }
                }
            }
            best = max(best, intersection / max(union, 1))
        }
        #expect(best < 0.5, "\(dataset.rawValue): a threshold reaches IoU \(best)")
    }
}
