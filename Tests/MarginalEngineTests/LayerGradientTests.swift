import Testing
import MarginalCore
import MarginalEngine
import TestSupport

/// Every layer's backward pass, ∂x and ∂θ, against central differences in Double (see
/// `expectGradient` for the tolerance). The loss is a fixed random linear function of the
/// layer's output, L = Σ r ⊙ y, so ∂L/∂y = r. Batches of 3 on 2 threads exercise the split of
/// images over workers, and H ≠ W catches transposed indices.
@Suite struct LayerGradientTests {
    @Test(arguments: [(3, Activation.relu, ConvolutionMethod.shiftedTaps), (3, .identity, .shiftedTaps),
                      (3, .relu, .im2col), (3, .identity, .im2col), (1, .relu, .im2col), (1, .identity, .im2col)])
    func convolution(kernel: Int, activation: Activation, method: ConvolutionMethod) {
        var generator = SeededRandom(seed: 3)
        var store = ParameterStore<Double>()
        var conv = Conv2d("c", inputChannels: 3, outputChannels: 4, kernel: kernel, activation: activation,
                          parameters: &store, generator: &generator)
        conv.method = method
        // Non-zero biases, so that no pre-activation sits exactly on the ReLU's kink.
        store = store.replacing(conv.biasIndex, with: [-0.15, -0.05, 0.05, 0.15])
        let context = ComputeContext<Double>(threads: 2)
        let x = randomTensor([3, 3, 5, 6], seed: 4), r = randomTensor([3, 4, 5, 6], seed: 5)
        func loss(_ x: Tensor<Double>, _ store: ParameterStore<Double>) -> Double {
            dot(conv.forward(x, parameters: store, context: context).values, r.values)
        }
        let y = conv.forward(x, parameters: store, context: context)
        var dx = Tensor<Double>()
        conv.backward(input: x, output: y, outputGradient: r, inputGradient: &dx, parameters: &store, context: context)
        let label = "k = \(kernel), \(activation), \(method)"
        expectGradient(dx.values, at: x.values, "∂x, \(label)") { loss(Tensor(shape: x.shape, values: $0), store) }
        expectGradient(store.gradients(of: conv.weightIndex), at: store.values(of: conv.weightIndex), "∂W, \(label)") {
            loss(x, store.replacing(conv.weightIndex, with: $0))
        }
        expectGradient(store.gradients(of: conv.biasIndex), at: store.values(of: conv.biasIndex), "∂b, \(label)") {
            loss(x, store.replacing(conv.biasIndex, with: $0))
        }
    }

    /// Shifted taps and im2col compute the same convolution, forward and backward, on every image
    /// shape (down to 1 × 1, where every neighbour is padding) and on 1 and 3 threads.
    @Test(arguments: [[2, 3, 5, 6], [3, 2, 1, 1], [2, 2, 1, 5], [2, 2, 4, 1], [1, 4, 2, 2], [3, 5, 8, 3]])
    func shiftedTapsMatchIm2col(shape: [Int]) {
        var results: [(y: [Double], dx: [Double], gradients: [Double])] = []
        for (method, threads) in [(ConvolutionMethod.im2col, 1), (.shiftedTaps, 1), (.shiftedTaps, 3)] {
            var generator = SeededRandom(seed: 30)
            var store = ParameterStore<Double>()
            var conv = Conv2d("c", inputChannels: shape[1], outputChannels: 3, kernel: 3, activation: .relu,
                              parameters: &store, generator: &generator)
            conv.method = method
            store = store.replacing(conv.biasIndex, with: [0.1, -0.1, 0.05])
            let context = ComputeContext<Double>(threads: threads)
            let x = randomTensor(shape, seed: 31), r = randomTensor([shape[0], 3, shape[2], shape[3]], seed: 32)
            let y = conv.forward(x, parameters: store, context: context)
            var dx = Tensor<Double>()
            conv.backward(input: x, output: y, outputGradient: r, inputGradient: &dx, parameters: &store, context: context)
            results.append((y.values, dx.values, store.gradients))
        }
        for other in results.dropFirst() {
            #expect(firstMismatch(other.y, results[0].y, relative: 1e-12, absolute: 1e-14) == nil, "y, \(shape)")
            #expect(firstMismatch(other.dx, results[0].dx, relative: 1e-12, absolute: 1e-14) == nil, "∂x, \(shape)")
            #expect(firstMismatch(other.gradients, results[0].gradients, relative: 1e-12, absolute: 1e-14) == nil, "∂θ, \(shape)")
        }
    }

    /// Backward adds to the gradients (so a second call doubles them) and, without
    /// `wantsInputGradient`, leaves the input-gradient tensor alone.
    @Test func convolutionAccumulatesParameterGradients() {
        var generator = SeededRandom(seed: 8)
        var store = ParameterStore<Double>()
        let conv = Conv2d("c", inputChannels: 2, outputChannels: 3, kernel: 3, activation: .relu, parameters: &store, generator: &generator)
        let context = ComputeContext<Double>(threads: 1)
        let x = randomTensor([2, 2, 4, 4], seed: 9), r = randomTensor([2, 3, 4, 4], seed: 10)
        let y = conv.forward(x, parameters: store, context: context)
        var untouched = Tensor<Double>(shape: [1], values: [42])
        conv.backward(input: x, output: y, outputGradient: r, inputGradient: &untouched, wantsInputGradient: false,
                      parameters: &store, context: context)
        let once = store.gradients
        conv.backward(input: x, output: y, outputGradient: r, inputGradient: &untouched, wantsInputGradient: false,
                      parameters: &store, context: context)
        #expect(firstMismatch(store.gradients, once.map { 2 * $0 }, relative: 1e-12) == nil)
        #expect(untouched == Tensor(shape: [1], values: [42]))
    }

    /// The fused conv + ReLU is the conv followed by the ReLU layer, forward and backward.
    @Test func fusedReLUMatchesTheSeparateLayer() {
        var generator = SeededRandom(seed: 11)
        var fusedStore = ParameterStore<Double>()
        let fused = Conv2d("c", inputChannels: 2, outputChannels: 3, kernel: 3, activation: .relu, parameters: &fusedStore, generator: &generator)
        generator = SeededRandom(seed: 11)
        var plainStore = ParameterStore<Double>()
        let plain = Conv2d("c", inputChannels: 2, outputChannels: 3, kernel: 3, activation: .identity, parameters: &plainStore, generator: &generator)
        let context = ComputeContext<Double>(threads: 2), relu = ReLU<Double>()
        let x = randomTensor([2, 2, 4, 5], seed: 12), r = randomTensor([2, 3, 4, 5], seed: 13)
        let y = fused.forward(x, parameters: fusedStore, context: context)
        let z = plain.forward(x, parameters: plainStore, context: context)
        var activated = Tensor<Double>(), dz = Tensor<Double>(), dxFused = Tensor<Double>(), dxPlain = Tensor<Double>()
        relu.forward(z, into: &activated, context: context)
        #expect(y == activated)
        fused.backward(input: x, output: y, outputGradient: r, inputGradient: &dxFused, parameters: &fusedStore, context: context)
        relu.backward(output: activated, outputGradient: r, into: &dz, context: context)
        plain.backward(input: x, output: z, outputGradient: dz, inputGradient: &dxPlain, parameters: &plainStore, context: context)
        #expect(firstMismatch(dxFused.values, dxPlain.values, relative: 1e-12, absolute: 1e-15) == nil)
        #expect(firstMismatch(fusedStore.gradients, plainStore.gradients, relative: 1e-12, absolute: 1e-15) == nil)
    }

    @Test func relu() {
        let context = ComputeContext<Double>(threads: 2), layer = ReLU<Double>()
        let x = randomTensor([2, 3, 4, 5], seed: 14), r = randomTensor([2, 3, 4, 5], seed: 15)
        var y = Tensor<Double>(), dx = Tensor<Double>()
        layer.forward(x, into: &y, context: context)
        #expect(y.values == x.values.map { max($0, 0) })
        layer.backward(output: y, outputGradient: r, into: &dx, context: context)
        expectGradient(dx.values, at: x.values, "ReLU ∂x") { values in
            var y = Tensor<Double>()
            layer.forward(Tensor(shape: x.shape, values: values), into: &y, context: context)
            return dot(y.values, r.values)
        }
    }

    @Test func maxPool() {
        let context = ComputeContext<Double>(threads: 2)
        let x = randomTensor([3, 2, 4, 6], seed: 16), r = randomTensor([3, 2, 2, 3], seed: 17)
        var pool = MaxPool2x2<Double>(), y = Tensor<Double>(), dx = Tensor<Double>()
        pool.forward(x, into: &y, context: context)
        #expect(y.shape == [3, 2, 2, 3])
        // y[0, 0, 1, 2] is the largest of x[0, 0, 2...3, 4...5].
        #expect(y.values[5] == [x.values[16], x.values[17], x.values[22], x.values[23]].max())
        pool.backward(outputGradient: r, into: &dx, context: context)
        expectGradient(dx.values, at: x.values, "max-pool ∂x") { values in
            var probe = MaxPool2x2<Double>(), y = Tensor<Double>()
            probe.forward(Tensor(shape: x.shape, values: values), into: &y, context: context)
            return dot(y.values, r.values)
        }
        // Accumulating adds to what is there (the skip connection's share).
        let skip = randomTensor(x.shape, seed: 18)
        var sum = skip
        pool.backward(outputGradient: r, into: &sum, accumulate: true, context: context)
        #expect(firstMismatch(sum.values, zip(skip.values, dx.values).map(+), relative: 1e-15) == nil)
    }

    /// Equal values send the gradient to the first of them in reading order, as PyTorch.
    @Test func maxPoolTiesGoToTheFirst() {
        let context = ComputeContext<Double>(threads: 1)
        var pool = MaxPool2x2<Double>(), y = Tensor<Double>(), dx = Tensor<Double>()
        pool.forward(Tensor(shape: [1, 1, 2, 2], values: [1, 3, 3, 3]), into: &y, context: context)
        pool.backward(outputGradient: Tensor(shape: [1, 1, 1, 1], values: [5]), into: &dx, context: context)
        #expect(y.values == [3] && dx.values == [0, 5, 0, 0])
    }

    @Test func upsample() {
        let context = ComputeContext<Double>(threads: 2), layer = UpsampleNearest2x<Double>()
        let x = randomTensor([3, 2, 3, 2], seed: 19), r = randomTensor([3, 2, 6, 4], seed: 20)
        var y = Tensor<Double>(), dx = Tensor<Double>()
        layer.forward(x, into: &y, context: context)
        #expect(y.shape == [3, 2, 6, 4])
        // y[0, 0, 3, 1] = x[0, 0, 1, 0].
        #expect(y.values[3 * 4 + 1] == x.values[2])
        layer.backward(outputGradient: r, into: &dx, context: context)
        expectGradient(dx.values, at: x.values, "upsample ∂x") { values in
            var y = Tensor<Double>()
            layer.forward(Tensor(shape: x.shape, values: values), into: &y, context: context)
            return dot(y.values, r.values)
        }
    }

    @Test func channelConcat() {
        let context = ComputeContext<Double>(threads: 2), layer = ChannelConcat<Double>()
        let a = randomTensor([3, 2, 3, 4], seed: 21), b = randomTensor([3, 3, 3, 4], seed: 22)
        let r = randomTensor([3, 5, 3, 4], seed: 23)
        var y = Tensor<Double>(), da = Tensor<Double>(), db = Tensor<Double>()
        layer.forward(a, b, into: &y, context: context)
        #expect(y.shape == [3, 5, 3, 4])
        // Image 1 of y is image 1 of a, then image 1 of b.
        #expect(Array(y.values[60 ..< 84]) == Array(a.values[24 ..< 48]))
        #expect(Array(y.values[84 ..< 120]) == Array(b.values[36 ..< 72]))
        layer.backward(outputGradient: r, firstChannels: 2, into: &da, &db, context: context)
        func loss(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
            var y = Tensor<Double>()
            layer.forward(a, b, into: &y, context: context)
            return dot(y.values, r.values)
        }
        expectGradient(da.values, at: a.values, "concat ∂a") { loss(Tensor(shape: a.shape, values: $0), b) }
        expectGradient(db.values, at: b.values, "concat ∂b") { loss(a, Tensor(shape: b.shape, values: $0)) }
    }

    /// im2col against its definition, including the zero border.
    @Test func im2colLayout() {
        var generator = SeededRandom(seed: 24)
        var store = ParameterStore<Double>()
        // A 3 × 3 convolution with one-hot weights picks out single im2col rows: output channel
        // (c·3 + ky)·3 + kx of a conv with W[o, c, ky, kx] = 1 is x[c, y + ky − 1, x + kx − 1].
        let conv = Conv2d("c", inputChannels: 2, outputChannels: 18, kernel: 3, activation: .identity, parameters: &store, generator: &generator)
        var weights = [Double](repeating: 0, count: 18 * 18)
        for o in 0 ..< 18 { weights[o * 18 + o] = 1 }
        store = store.replacing(conv.weightIndex, with: weights)
        let x = randomTensor([1, 2, 3, 4], seed: 25)
        let y = conv.forward(x, parameters: store, context: ComputeContext(threads: 1))
        for c in 0 ..< 2 { for ky in 0 ..< 3 { for kx in 0 ..< 3 { for row in 0 ..< 3 { for column in 0 ..< 4 {
            let (sy, sx) = (row + ky - 1, column + kx - 1)
            let expected = (0 ..< 3).contains(sy) && (0 ..< 4).contains(sx) ? x.values[(c * 3 + sy) * 4 + sx] : 0
            #expect(y.values[(((c * 3 + ky) * 3 + kx) * 3 + row) * 4 + column] == expected)
        } } } } }
    }
}
