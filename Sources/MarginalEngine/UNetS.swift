import MarginalCore

/// UNet-S, the benchmark network (docs/ARCHITECTURE.md, and shared/bench/unet_s_torch.py):
/// block(i→o) = conv3×3+ReLU, conv3×3+ReLU;
/// e1 = block(C→w); e2 = block(w→2w)(pool e1); b = block(2w→4w)(pool e2);
/// d2 = block(6w→2w)(concat(up b, e2)); d1 = block(3w→w)(concat(up d2, e1)); head = conv1×1(w→K).
/// `[B, C, H, W] → [B, K, H, W]`, H and W multiples of 4. No normalisation layers.
public final class UNetS<T: EngineScalar> {
    public let inputChannels: Int, width: Int, classes: Int
    /// In forward order: e1a, e1b, e2a, e2b, ba, bb, d2a, d2b, d1a, d1b, head.
    public let convolutions: [Conv2d<T>]
    private var pool1 = MaxPool2x2<T>(), pool2 = MaxPool2x2<T>()
    public var threads = 1

    public init(inputChannels: Int = 1, classes: Int, width: Int = 16, seed: UInt64) {
        precondition(inputChannels > 0 && classes >= 2 && width > 0, "UNet-S needs C > 0, K ≥ 2, w > 0")
        self.inputChannels = inputChannels
        self.width = width
        self.classes = classes
        var generator = SeededRandom(seed: seed)
        let w = width
        let shapes: [(Int, Int, Int, Bool)] = [
            (inputChannels, w, 3, true), (w, w, 3, true),
            (w, 2 * w, 3, true), (2 * w, 2 * w, 3, true),
            (2 * w, 4 * w, 3, true), (4 * w, 4 * w, 3, true),
            (6 * w, 2 * w, 3, true), (2 * w, 2 * w, 3, true),
            (3 * w, w, 3, true), (w, w, 3, true),
            (w, classes, 1, false),
        ]
        convolutions = shapes.map { Conv2d(inputChannels: $0.0, outputChannels: $0.1, kernel: $0.2, relu: $0.3, generator: &generator) }
        convolutions[0].needsInputGradient = false
    }

    private func conv(_ index: Int, _ x: Tensor<T>) -> Tensor<T> { convolutions[index].forward(x, threads: threads) }
    private func back(_ index: Int, _ dy: Tensor<T>) -> Tensor<T> { convolutions[index].backward(dy, threads: threads) }

    /// Logits for a batch of images; keeps what `backward` needs.
    public func forward(_ images: Tensor<T>) -> Tensor<T> {
        precondition(images.shape.count == 4 && images.channels == inputChannels && images.height % 4 == 0 && images.width % 4 == 0,
                     "UNet-S expects [B, \(inputChannels), H, W] with H, W multiples of 4, got \(images.shape)")
        let e1 = conv(1, conv(0, images))
        let e2 = conv(3, conv(2, pool1.forward(e1)))
        let bottom = conv(5, conv(4, pool2.forward(e2)))
        let d2 = conv(7, conv(6, ChannelConcat.forward(UpsampleNearest2x.forward(bottom), e2)))
        let d1 = conv(9, conv(8, ChannelConcat.forward(UpsampleNearest2x.forward(d2), e1)))
        return conv(10, d1)
    }

    /// Given ∂L/∂logits, adds ∂L/∂θ to every layer's gradients (call `zeroGradients` first).
    public func backward(_ logitGradient: Tensor<T>) {
        let w = width
        let dd1 = back(8, back(9, back(10, logitGradient)))
        let (dUp1, dE1Skip) = ChannelConcat.backward(dd1, firstChannels: 2 * w)
        let dd2 = back(6, back(7, UpsampleNearest2x.backward(dUp1)))
        let (dUp2, dE2Skip) = ChannelConcat.backward(dd2, firstChannels: 4 * w)
        let dBottom = back(4, back(5, UpsampleNearest2x.backward(dUp2)))
        let dE2 = Tensor.adding(pool2.backward(dBottom), dE2Skip)
        let dE1 = Tensor.adding(pool1.backward(back(2, back(3, dE2))), dE1Skip)
        _ = back(0, back(1, dE1))
    }

    public func zeroGradients() { convolutions.forEach { $0.zeroGradients() } }

    public var parameterCount: Int { convolutions.reduce(0) { $0 + $1.weight.count + $1.bias.count } }
}
