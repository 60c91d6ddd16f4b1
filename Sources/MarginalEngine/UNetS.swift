import MarginalCore

/// UNet-S, the benchmark network (docs/ARCHITECTURE.md; Scripts/bench/unet_s_torch.py is the same
/// network in PyTorch). With block(i→o) = conv3×3(pad 1)+ReLU, conv3×3(pad 1)+ReLU:
///
///     e1 = block(C→w)(x)                       [B, w, H, W]
///     e2 = block(w→2w)(maxpool(e1))            [B, 2w, H/2, W/2]
///     b  = block(2w→4w)(maxpool(e2))           [B, 4w, H/4, W/4]
///     d2 = block(6w→2w)(concat(up(b), e2))     [B, 2w, H/2, W/2]
///     d1 = block(3w→w)(concat(up(d2), e1))     [B, w, H, W]
///     logits = conv1×1(w→K)(d1)                [B, K, H, W]
///
/// `[B, C, H, W] → [B, K, H, W]` with H and W multiples of 4; no normalisation layers.
///
/// A class, like a PyTorch module: it owns its parameters, and the activations of the last
/// forward pass and the gradient buffers of the last backward pass, which it overwrites in place
/// each step (allocated once per input shape).
public final class UNetS<T: EngineScalar> {
    public let inputChannels: Int
    public let classes: Int
    /// w, the channels of the first block.
    public let width: Int
    /// Every weight and bias, `e1a.weight`, `e1a.bias`, … `head.bias`, in forward order.
    public var parameters: ParameterStore<T>
    /// The convolutions in forward order: e1a, e1b, e2a, e2b, ba, bb, d2a, d2b, d1a, d1b, head.
    public private(set) var convolutions: [Conv2d<T>]

    /// How the 3 × 3 convolutions form their products (`ConvolutionMethod.preferred` by default).
    public var convolutionMethod: ConvolutionMethod {
        get { convolutions[0].method }
        set { for index in convolutions.indices { convolutions[index].method = newValue } }
    }

    /// Threads for every layer (see `ComputeContext`); setting it keeps the parameters.
    public var threads: Int {
        get { context.threads }
        set { if newValue != context.threads { context = ComputeContext(threads: newValue) } }
    }

    /// When set, every forward and backward pass adds each layer's wall-clock time to it (the
    /// table of `marginal bench train-step`); nil (the default) costs one test a layer.
    public var layerTimes: LayerTimes?

    /// The convolutions' names (their parameters' prefixes), in forward order.
    public let convolutionNames: [String]

    private var context: ComputeContext<T>
    private var pool1 = MaxPool2x2<T>(), pool2 = MaxPool2x2<T>()
    private let upsample = UpsampleNearest2x<T>(), concat = ChannelConcat<T>()
    private var images = Tensor<T>()
    private var forwardState = Activations()
    private var backwardState = Gradients()

    /// A new network with He-initialised weights and zero biases, deterministic for `seed`.
    public init(inputChannels: Int = 1, classes: Int, width: Int = 16, seed: UInt64, threads: Int = 1) {
        precondition(inputChannels > 0 && classes >= 1 && width > 0, "UNet-S needs C > 0, K ≥ 1, w > 0")
        self.inputChannels = inputChannels
        self.classes = classes
        self.width = width
        var generator = SeededRandom(seed: seed)
        var store = ParameterStore<T>()
        let w = width
        let layout: [(String, Int, Int, Int, Activation)] = [
            ("e1a", inputChannels, w, 3, .relu), ("e1b", w, w, 3, .relu),
            ("e2a", w, 2 * w, 3, .relu), ("e2b", 2 * w, 2 * w, 3, .relu),
            ("ba", 2 * w, 4 * w, 3, .relu), ("bb", 4 * w, 4 * w, 3, .relu),
            ("d2a", 6 * w, 2 * w, 3, .relu), ("d2b", 2 * w, 2 * w, 3, .relu),
            ("d1a", 3 * w, w, 3, .relu), ("d1b", w, w, 3, .relu),
            ("head", w, classes, 1, .identity),
        ]
        convolutionNames = layout.map(\.0)
        convolutions = layout.map { name, input, output, kernel, activation in
            Conv2d(name, inputChannels: input, outputChannels: output, kernel: kernel, activation: activation,
                   parameters: &store, generator: &generator)
        }
        parameters = store
        context = ComputeContext(threads: threads)
    }

    /// The activations of a forward pass (each conv's output; the pooled, upsampled and
    /// concatenated tensors), kept for the backward pass.
    struct Activations {
        var e1a = Tensor<T>(), e1 = Tensor<T>(), pool1 = Tensor<T>(), e2a = Tensor<T>(), e2 = Tensor<T>()
        var pool2 = Tensor<T>(), ba = Tensor<T>(), bottom = Tensor<T>(), up2 = Tensor<T>(), cat2 = Tensor<T>()
        var d2a = Tensor<T>(), d2 = Tensor<T>(), up1 = Tensor<T>(), cat1 = Tensor<T>(), d1a = Tensor<T>(), d1 = Tensor<T>()
        var logits = Tensor<T>()
    }

    /// ∂L/∂(each activation), named as in `Activations`.
    struct Gradients {
        var d1 = Tensor<T>(), d1a = Tensor<T>(), cat1 = Tensor<T>(), up1 = Tensor<T>(), e1 = Tensor<T>()
        var d2 = Tensor<T>(), d2a = Tensor<T>(), cat2 = Tensor<T>(), up2 = Tensor<T>(), e2 = Tensor<T>()
        var bottom = Tensor<T>(), ba = Tensor<T>(), pool2 = Tensor<T>(), e2a = Tensor<T>(), pool1 = Tensor<T>()
        var e1a = Tensor<T>(), unused = Tensor<T>()
    }

    /// Throws, in one line, unless `shape` is `[B, C, H, W]` with this network's C, B ≥ 1 and H, W
    /// positive multiples of 4 (two 2 × 2 poolings and two 2× upsamplings must land on the same
    /// size): the check for shapes that come from users, before `forward`'s precondition.
    public func validateInput(shape: [Int]) throws(MarginalError) {
        guard shape.count == 4, shape[0] >= 1, shape[1] == inputChannels else {
            throw MarginalError("UNet-S takes images [B, \(inputChannels), H, W], got \(shape)")
        }
        guard shape[2] > 0, shape[3] > 0, shape[2] % 4 == 0, shape[3] % 4 == 0 else {
            throw MarginalError("UNet-S needs a height and width that are positive multiples of 4, got \(shape[2]) x \(shape[3])")
        }
    }

    /// Logits `[B, K, H, W]` for images `[B, C, H, W]`; keeps what `backward` needs. The result
    /// shares storage with the network's buffer until either is written (copy-on-write), so
    /// holding on to it is safe, merely costing a copy at the next forward pass.
    @_specialize(where T == Float)
    public func forward(_ images: Tensor<T>) -> Tensor<T> {
        precondition(images.shape.count == 4 && images.channels == inputChannels && images.batch > 0
                     && images.height % 4 == 0 && images.width % 4 == 0 && images.height > 0 && images.width > 0,
                     "UNet-S expects [B, \(inputChannels), H, W] with H and W positive multiples of 4, got \(images.shape)")
        self.images = images
        // Work on a local copy moved out of the property, so every buffer is uniquely referenced
        // (written in place) and exclusivity is checked statically.
        var a = Activations()
        swap(&a, &forwardState)
        defer { swap(&a, &forwardState) }
        let c = convolutions, p = parameters, context = self.context, times = layerTimes
        times?.start()
        c[0].forward(images, into: &a.e1a, parameters: p, context: context); times?.lap("e1a", backwardPass: false)
        c[1].forward(a.e1a, into: &a.e1, parameters: p, context: context); times?.lap("e1b", backwardPass: false)
        pool1.forward(a.e1, into: &a.pool1, context: context); times?.lap("pool1", backwardPass: false)
        c[2].forward(a.pool1, into: &a.e2a, parameters: p, context: context); times?.lap("e2a", backwardPass: false)
        c[3].forward(a.e2a, into: &a.e2, parameters: p, context: context); times?.lap("e2b", backwardPass: false)
        pool2.forward(a.e2, into: &a.pool2, context: context); times?.lap("pool2", backwardPass: false)
        c[4].forward(a.pool2, into: &a.ba, parameters: p, context: context); times?.lap("ba", backwardPass: false)
        c[5].forward(a.ba, into: &a.bottom, parameters: p, context: context); times?.lap("bb", backwardPass: false)
        upsample.forward(a.bottom, into: &a.up2, context: context); times?.lap("up2", backwardPass: false)
        concat.forward(a.up2, a.e2, into: &a.cat2, context: context); times?.lap("cat2", backwardPass: false)
        c[6].forward(a.cat2, into: &a.d2a, parameters: p, context: context); times?.lap("d2a", backwardPass: false)
        c[7].forward(a.d2a, into: &a.d2, parameters: p, context: context); times?.lap("d2b", backwardPass: false)
        upsample.forward(a.d2, into: &a.up1, context: context); times?.lap("up1", backwardPass: false)
        concat.forward(a.up1, a.e1, into: &a.cat1, context: context); times?.lap("cat1", backwardPass: false)
        c[8].forward(a.cat1, into: &a.d1a, parameters: p, context: context); times?.lap("d1a", backwardPass: false)
        c[9].forward(a.d1a, into: &a.d1, parameters: p, context: context); times?.lap("d1b", backwardPass: false)
        c[10].forward(a.d1, into: &a.logits, parameters: p, context: context); times?.lap("head", backwardPass: false)
        return a.logits
    }

    /// Given ∂L/∂logits `[B, K, H, W]` for the last forward pass, adds ∂L/∂θ to
    /// `parameters.gradients` (call `zeroGradients` first for a fresh gradient).
    @_specialize(where T == Float)
    public func backward(_ logitGradient: Tensor<T>) {
        var a = Activations(), g = Gradients()
        swap(&a, &forwardState)
        swap(&g, &backwardState)
        defer {
            swap(&a, &forwardState)
            swap(&g, &backwardState)
        }
        precondition(logitGradient.shape == a.logits.shape,
                     "UNet-S backward: gradient \(logitGradient.shape) ≠ the last logits \(a.logits.shape)")
        let c = convolutions, context = self.context, w = width, times = layerTimes
        times?.start()
        var p = ParameterStore<T>()
        swap(&p, &parameters)
        defer { swap(&p, &parameters) }
        c[10].backward(input: a.d1, output: a.logits, outputGradient: logitGradient, inputGradient: &g.d1, parameters: &p, context: context); times?.lap("head", backwardPass: true)
        c[9].backward(input: a.d1a, output: a.d1, outputGradient: g.d1, inputGradient: &g.d1a, parameters: &p, context: context); times?.lap("d1b", backwardPass: true)
        c[8].backward(input: a.cat1, output: a.d1a, outputGradient: g.d1a, inputGradient: &g.cat1, parameters: &p, context: context); times?.lap("d1a", backwardPass: true)
        concat.backward(outputGradient: g.cat1, firstChannels: 2 * w, into: &g.up1, &g.e1, context: context); times?.lap("cat1", backwardPass: true)
        upsample.backward(outputGradient: g.up1, into: &g.d2, context: context); times?.lap("up1", backwardPass: true)
        c[7].backward(input: a.d2a, output: a.d2, outputGradient: g.d2, inputGradient: &g.d2a, parameters: &p, context: context); times?.lap("d2b", backwardPass: true)
        c[6].backward(input: a.cat2, output: a.d2a, outputGradient: g.d2a, inputGradient: &g.cat2, parameters: &p, context: context); times?.lap("d2a", backwardPass: true)
        concat.backward(outputGradient: g.cat2, firstChannels: 4 * w, into: &g.up2, &g.e2, context: context); times?.lap("cat2", backwardPass: true)
        upsample.backward(outputGradient: g.up2, into: &g.bottom, context: context); times?.lap("up2", backwardPass: true)
        c[5].backward(input: a.ba, output: a.bottom, outputGradient: g.bottom, inputGradient: &g.ba, parameters: &p, context: context); times?.lap("bb", backwardPass: true)
        c[4].backward(input: a.pool2, output: a.ba, outputGradient: g.ba, inputGradient: &g.pool2, parameters: &p, context: context); times?.lap("ba", backwardPass: true)
        // e2 feeds both the skip connection and the pool: its gradient is the sum of the two.
        pool2.backward(outputGradient: g.pool2, into: &g.e2, accumulate: true, context: context); times?.lap("pool2", backwardPass: true)
        c[3].backward(input: a.e2a, output: a.e2, outputGradient: g.e2, inputGradient: &g.e2a, parameters: &p, context: context); times?.lap("e2b", backwardPass: true)
        c[2].backward(input: a.pool1, output: a.e2a, outputGradient: g.e2a, inputGradient: &g.pool1, parameters: &p, context: context); times?.lap("e2a", backwardPass: true)
        pool1.backward(outputGradient: g.pool1, into: &g.e1, accumulate: true, context: context); times?.lap("pool1", backwardPass: true)
        c[1].backward(input: a.e1a, output: a.e1, outputGradient: g.e1, inputGradient: &g.e1a, parameters: &p, context: context); times?.lap("e1b", backwardPass: true)
        // The images need no gradient.
        c[0].backward(input: images, output: a.e1a, outputGradient: g.e1a, inputGradient: &g.unused, wantsInputGradient: false,
                      parameters: &p, context: context); times?.lap("e1a", backwardPass: true)
    }

    /// Sets every parameter gradient to 0.
    public func zeroGradients() { parameters.zeroGradients() }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.count }
}
