import Foundation
import Testing
import MarginalCore
import MarginalEngine
import TestSupport

/// Every layer's backward pass against central differences in Double. The loss is a fixed
/// random linear function of the layer's output, L = Σ r ⊙ y, so ∂L/∂y = r.
@Suite struct LayerGradientTests {
    static func random(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var random = SeededRandom(seed: seed)
        return Tensor(shape: shape, values: (0 ..< shape.reduce(1, *)).map { _ in random.normal() })
    }

    static func dot(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double { zip(a.values, b.values).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test(arguments: [(3, true), (3, false), (1, false), (1, true)])
    func convolutionGradients(kernel: Int, relu: Bool) {
        var generator = SeededRandom(seed: 3)
        let conv = Conv2d<Double>(inputChannels: 3, outputChannels: 4, kernel: kernel, relu: relu, generator: &generator)
        for i in conv.bias.indices { conv.bias[i] = 0.1 * Double(i) - 0.15 }
        let x = Self.random([2, 3, 5, 6], seed: 4)
        let r = Self.random([2, 4, 5, 6], seed: 5)
        _ = conv.forward(x, threads: 2)
        conv.zeroGradients()
        let dx = conv.backward(r, threads: 2)
        let numericInput = centralDifferences(at: x.values) { Self.dot(conv.forward(Tensor(shape: x.shape, values: $0)), r) }
        #expect(firstMismatch(dx.values, numericInput, relative: 1e-6, absolute: 1e-8) == nil, "∂x, k = \(kernel), relu \(relu)")
        let weights = conv.weight
        let numericWeight = centralDifferences(at: weights) { w in
            conv.weight = w
            defer { conv.weight = weights }
            return Self.dot(conv.forward(x), r)
        }
        #expect(firstMismatch(conv.weightGradient, numericWeight, relative: 1e-6, absolute: 1e-8) == nil, "∂W")
        let biases = conv.bias
        let numericBias = centralDifferences(at: biases) { bias in
            conv.bias = bias
            defer { conv.bias = biases }
            return Self.dot(conv.forward(x), r)
        }
        #expect(firstMismatch(conv.biasGradient, numericBias, relative: 1e-6, absolute: 1e-8) == nil, "∂b")
    }

    @Test func poolingUpsamplingAndConcatGradients() {
        let x = Self.random([2, 3, 4, 6], seed: 6)
        var pool = MaxPool2x2<Double>()
        let r = Self.random([2, 3, 2, 3], seed: 7)
        _ = pool.forward(x)
        let dx = pool.backward(r)
        var probe = MaxPool2x2<Double>()
        let numeric = centralDifferences(at: x.values) { Self.dot(probe.forward(Tensor(shape: x.shape, values: $0)), r) }
        #expect(firstMismatch(dx.values, numeric, relative: 1e-6, absolute: 1e-8) == nil, "max-pool")

        let rUp = Self.random([2, 3, 8, 12], seed: 8)
        let numericUp = centralDifferences(at: x.values) { Self.dot(UpsampleNearest2x.forward(Tensor(shape: x.shape, values: $0)), rUp) }
        #expect(firstMismatch(UpsampleNearest2x.backward(rUp).values, numericUp, relative: 1e-6, absolute: 1e-8) == nil, "upsample")

        let second = Self.random([2, 2, 4, 6], seed: 9)
        let rCat = Self.random([2, 5, 4, 6], seed: 10)
        let (da, db) = ChannelConcat.backward(rCat, firstChannels: 3)
        let numericA = centralDifferences(at: x.values) { Self.dot(ChannelConcat.forward(Tensor(shape: x.shape, values: $0), second), rCat) }
        let numericB = centralDifferences(at: second.values) { Self.dot(ChannelConcat.forward(x, Tensor(shape: second.shape, values: $0)), rCat) }
        #expect(firstMismatch(da.values, numericA, relative: 1e-6, absolute: 1e-8) == nil, "concat a")
        #expect(firstMismatch(db.values, numericB, relative: 1e-6, absolute: 1e-8) == nil, "concat b")
    }

    /// UNet-S end to end, through the real loss: ∂ce_l1/∂θ for every parameter of a tiny network.
    @Test func unetGradientThroughTheLoss() throws {
        let model = UNetS<Double>(inputChannels: 2, classes: 3, width: 2, seed: 11)
        let images = Self.random([2, 2, 8, 8], seed: 12)
        var random = SeededRandom(seed: 13)
        let labels = (0 ..< 128).map { i in i % 9 == 0 ? UInt8(255) : UInt8(random.next() % 3) }
        func loss() throws -> Double {
            let logits = model.forward(images)
            let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: 2, classes: 3, height: 8, width: 8)
            return try evaluateLoss(.ceL1, on: batch, settings: LossSettings(temperature: 2), gradient: false).value
        }
        model.zeroGradients()
        let logits = model.forward(images)
        let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: 2, classes: 3, height: 8, width: 8)
        let gradient = try evaluateLoss(.ceL1, on: batch, settings: LossSettings(temperature: 2)).gradient
        model.backward(Tensor(shape: logits.shape, values: gradient))
        for (index, conv) in model.convolutions.enumerated() {
            let weights = conv.weight
            let numeric = try centralDifferences(at: weights) { w in
                conv.weight = w
                defer { conv.weight = weights }
                return try loss()
            }
            #expect(firstMismatch(conv.weightGradient, numeric, relative: 1e-5, absolute: 1e-8) == nil, "layer \(index) ∂W")
            let biases = conv.bias
            let numericBias = try centralDifferences(at: biases) { b in
                conv.bias = b
                defer { conv.bias = biases }
                return try loss()
            }
            #expect(firstMismatch(conv.biasGradient, numericBias, relative: 1e-5, absolute: 1e-8) == nil, "layer \(index) ∂b")
        }
    }
}

@Suite struct TrainingTests {
    /// One Adam step by hand: with g constant, m̂ = g and v̂ = g², so θ moves by η g / (|g| + ε).
    @Test func adamFirstStepByHand() {
        let model = UNetS<Double>(inputChannels: 1, classes: 2, width: 1, seed: 1)
        let before = model.convolutions[0].weight
        model.convolutions[0].weightGradient = before.indices.map { Double($0) - 4 }
        let adam = Adam<Double>(learningRate: 0.01)
        adam.update(model)
        for (j, value) in model.convolutions[0].weight.enumerated() {
            let g = Double(j) - 4
            #expect(isClose(value, before[j] - 0.01 * g / (abs(g) + 1e-8), relative: 1e-12, absolute: 1e-15))
        }
    }

    /// Two SGD steps by hand: v₁ = g + wd·θ₀, θ₁ = θ₀ − η₀v₁; v₂ = μv₁ + g + wd·θ₁, θ₂ = θ₁ − η₁v₂,
    /// with η₁ = η₀ (1 − 1/T)^0.9.
    @Test func sgdStepsByHand() {
        let model = UNetS<Double>(inputChannels: 1, classes: 2, width: 1, seed: 1)
        let theta0 = model.convolutions[0].weight
        let g = theta0.indices.map { 0.1 * Double($0) - 0.2 }
        let sgd = SGD<Double>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, totalSteps: 10)
        model.convolutions[0].weightGradient = g
        sgd.update(model)
        let v1 = zip(g, theta0).map { $0 + 0.01 * $1 }
        let theta1 = zip(theta0, v1).map { $0 - 0.1 * $1 }
        #expect(firstMismatch(model.convolutions[0].weight, theta1, relative: 1e-12, absolute: 1e-15) == nil)
        #expect(isClose(sgd.learningRate, 0.1 * Foundation.pow(0.9, 0.9), relative: 1e-12))
        sgd.update(model)
        let eta1 = 0.1 * Foundation.pow(0.9, 0.9)
        let v2 = (0 ..< g.count).map { 0.9 * v1[$0] + g[$0] + 0.01 * theta1[$0] }
        let theta2 = (0 ..< g.count).map { theta1[$0] - eta1 * v2[$0] }
        #expect(firstMismatch(model.convolutions[0].weight, theta2, relative: 1e-12, absolute: 1e-15) == nil)
    }

    /// A real learning test: 150 Adam steps on a fixed batch lower the loss by more than half.
    @Test func trainingLowersTheLoss() throws {
        let model = UNetS<Float>(inputChannels: 1, classes: 2, width: 4, seed: 2)
        let step = FloatTrainingStep(model: model, optimizer: Adam(learningRate: 3e-3), loss: .ce, lambda: nil,
                                     settings: LossSettings(), threads: 2)
        var random = SeededRandom(seed: 3)
        let images = Tensor<Float>(shape: [2, 1, 16, 16], values: (0 ..< 512).map { _ in Float(random.normal()) })
        // The label is whether the pixel is brighter than its left neighbour: learnable by convolutions.
        let labels: [UInt8] = (0 ..< 512).map { i in i % 16 == 0 ? 0 : (images.values[i] > images.values[i - 1] ? 1 : 0) }
        let first = try step.run(images: images, labels: labels).loss
        var last = first
        for _ in 0 ..< 150 { last = try step.run(images: images, labels: labels).loss }
        #expect(last < 0.5 * first, "loss \(first) → \(last)")
    }

    /// Threads split images, and per-image gradients are added in image order: same bits.
    @Test func threadsDoNotChangeTheStep() throws {
        func run(threads: Int) throws -> [Float] {
            let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 5)
            let step = FloatTrainingStep(model: model, optimizer: Adam(learningRate: 1e-3), loss: .ceL1, lambda: 1,
                                         settings: LossSettings(), threads: threads)
            var random = SeededRandom(seed: 6)
            let images = Tensor<Float>(shape: [4, 1, 16, 16], values: (0 ..< 1024).map { _ in Float(random.normal()) })
            let labels = (0 ..< 1024).map { _ in UInt8(random.next() % 3) }
            for _ in 0 ..< 3 { _ = try step.run(images: images, labels: labels) }
            return model.convolutions.flatMap { $0.weight }
        }
        #expect(try run(threads: 1) == run(threads: 2))
    }
}
