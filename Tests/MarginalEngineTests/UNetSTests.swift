import Testing
import MarginalCore
import MarginalEngine
import TestSupport

@Suite struct UNetSTests {
    /// A tiny UNet-S (w = 2, 1 × 8 × 8, K = 2, B = 2, 2 threads) in Double with small random
    /// biases (so no pre-activation sits on a ReLU kink), its images and labels.
    static func tinyNetwork(seed: UInt64) -> (UNetS<Double>, Tensor<Double>, [UInt8]) {
        let model = UNetS<Double>(inputChannels: 1, classes: 2, width: 2, seed: seed, threads: 2)
        var random = SeededRandom(seed: seed &+ 100)
        for entry in model.parameters.entries where entry.name.hasSuffix(".bias") {
            for i in entry.range { model.parameters.values[i] = random.uniform(-0.1, 0.1) }
        }
        let labels = (0 ..< 128).map { _ in UInt8(random.next() % 2) }
        return (model, randomTensor([2, 1, 8, 8], seed: seed &+ 200), labels)
    }

    /// ∂L/∂θ of the whole network against central differences for every one of its 1 900
    /// parameters, with L = ce_l1 (τ = 10, λ = 1) through MarginalCore's `evaluateLoss`: the
    /// training step's own chain from parameters to loss.
    @Test(arguments: [ConvolutionMethod.shiftedTaps, .im2col])
    func gradientThroughTheLoss(method: ConvolutionMethod) throws {
        let (model, images, labels) = Self.tinyNetwork(seed: 1)
        model.convolutionMethod = method
        func batch(_ logits: Tensor<Double>) throws -> SegmentationBatch<Double> {
            try SegmentationBatch(logits: logits.values, labels: labels, batchSize: 2, classes: 2, height: 8, width: 8)
        }
        let start = model.parameters.values
        let logits = model.forward(images)
        let result = try evaluateLoss(.ceL1, on: batch(logits), settings: LossSettings(temperature: 10))
        model.zeroGradients()
        model.backward(Tensor(shape: logits.shape, values: result.gradient))
        let analytic = model.parameters.gradients
        #expect(analytic.count == 1900)
        expectGradient(analytic, at: start, "UNet-S ∂θ of ce_l1, \(method)") { values in
            model.parameters.values = values
            return try! evaluateLoss(.ceL1, on: batch(model.forward(images)), settings: LossSettings(temperature: 10),
                                     gradient: false).value
        }
    }

    /// The same with L = Σ r ⊙ logits, a fixed random linear function, so that every logit's
    /// gradient path is weighted independently of the loss code.
    @Test func gradientOfALinearFunctionOfTheLogits() {
        let (model, images, _) = Self.tinyNetwork(seed: 2)
        let r = randomTensor([2, 2, 8, 8], seed: 3)
        let start = model.parameters.values
        _ = model.forward(images)
        model.zeroGradients()
        model.backward(r)
        expectGradient(model.parameters.gradients, at: start, "UNet-S ∂θ of Σ r ⊙ z") { values in
            model.parameters.values = values
            return dot(model.forward(images).values, r.values)
        }
    }

    /// UNet-S at w = 16, C = 1, K = 3 has 118 019 parameters, as the PyTorch model of
    /// Scripts/bench/unet_s_torch.py (`sum(p.numel() for p in model.parameters())`), in the same
    /// tensors and order.
    @Test func parameterLayoutMatchesPyTorch() {
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 16, seed: 0)
        #expect(model.parameterCount == 118_019)
        #expect(model.parameters.entries.map(\.name).prefix(4) == ["e1a.weight", "e1a.bias", "e1b.weight", "e1b.bias"])
        #expect(model.parameters.entries[12].shape == [32, 96, 3, 3])  // d2a: 6w → 2w
        #expect(model.parameters.entries.last?.shape == [3])
    }

    /// He normal: deterministic for a seed, standard deviation √(2 / fan_in), biases 0.
    @Test func heInitialisation() {
        let a = UNetS<Float>(classes: 3, seed: 7), b = UNetS<Float>(classes: 3, seed: 7), c = UNetS<Float>(classes: 3, seed: 8)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters.values != c.parameters.values)
        let bottom = a.parameters.values(of: a.parameters.index(of: "bb.weight")!).map(Double.init)  // 36 864 draws, fan_in 576
        let deviation = (bottom.reduce(0) { $0 + $1 * $1 } / Double(bottom.count)).squareRoot()
        #expect(abs(deviation / (2.0 / 576).squareRoot() - 1) < 0.02)
        #expect(a.parameters.values(of: a.parameters.index(of: "bb.bias")!).allSatisfy { $0 == 0 })
    }

    /// The Float network (sgemm) computes what the Double one (dgemm) does, to Float's precision.
    @Test func floatAgreesWithDouble() {
        let single = UNetS<Float>(inputChannels: 2, classes: 3, width: 4, seed: 4, threads: 2)
        let double = UNetS<Double>(inputChannels: 2, classes: 3, width: 4, seed: 4, threads: 1)
        double.parameters.values = single.parameters.values.map(Double.init)
        let images = randomTensor([3, 2, 16, 12], seed: 5)
        let r = randomTensor([3, 3, 16, 12], seed: 6)
        let logits = single.forward(Tensor(shape: images.shape, values: images.values.map(Float.init)))
        let reference = double.forward(images)
        let scale = reference.values.map(abs).max()!
        #expect(firstMismatch(logits.values.map(Double.init), reference.values, relative: 1e-4, absolute: 1e-5 * scale) == nil)
        single.zeroGradients()
        double.zeroGradients()
        single.backward(Tensor(shape: r.shape, values: r.values.map(Float.init)))
        double.backward(r)
        let gradientScale = double.parameters.gradients.map(abs).max()!
        // Float's 24-bit sums over up to 3·16·12 pixels: 1e-4 of the largest entry.
        #expect(firstMismatch(single.parameters.gradients.map(Double.init), double.parameters.gradients,
                              relative: 1e-3, absolute: 1e-4 * gradientScale) == nil)
    }

    /// Per-image slots added in image order: the same bits on 1 and 3 threads.
    @Test func resultsDoNotDependOnTheThreadCount() {
        var outputs: [[Float]] = [], gradients: [[Float]] = []
        let images = Tensor(shape: [5, 1, 8, 8], values: randomTensor([5, 1, 8, 8], seed: 9).values.map(Float.init))
        let r = Tensor(shape: [5, 3, 8, 8], values: randomTensor([5, 3, 8, 8], seed: 10).values.map(Float.init))
        for threads in [1, 3] {
            let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 11, threads: threads)
            outputs.append(model.forward(images).values)
            model.zeroGradients()
            model.backward(r)
            gradients.append(model.parameters.gradients)
        }
        #expect(outputs[0] == outputs[1])
        #expect(gradients[0] == gradients[1])
    }

    /// A second pass on another batch size reuses nothing stale; holding on to returned logits is
    /// safe (copy-on-write).
    @Test func buffersFollowTheInputShape() {
        let model = UNetS<Float>(inputChannels: 1, classes: 2, width: 2, seed: 12)
        let small = Tensor(shape: [1, 1, 8, 8], values: randomTensor([1, 1, 8, 8], seed: 13).values.map(Float.init))
        let large = Tensor(shape: [3, 1, 16, 8], values: randomTensor([3, 1, 16, 8], seed: 14).values.map(Float.init))
        let first = model.forward(small)
        let kept = first
        #expect(model.forward(large).shape == [3, 2, 16, 8])
        #expect(model.forward(small) == kept)
        #expect(kept.shape == [1, 2, 8, 8])
    }
}
