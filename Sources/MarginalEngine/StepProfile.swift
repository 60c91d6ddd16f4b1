import Dispatch

/// One convolution of a network at the size it runs at: what its products cost.
public struct ConvolutionShape: Sendable, Equatable {
    public let name: String
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernel: Int
    /// The height and width of its input and output (padding keeps them).
    public let height: Int
    public let width: Int

    /// The image's product as a matrix product M × K · K × N, M = O, K = I·k², N = H·W, the
    /// shape `cblas_sgemm` sees for one image under im2col.
    public var product: (m: Int, n: Int, k: Int) { (outputChannels, height * width, inputChannels * kernel * kernel) }

    /// 2·O·I·k²·H·W a image: the multiply-adds of the forward product (bias and ReLU, one
    /// operation a value, are left out: under 1 % here).
    public func forwardFLOP(batch: Int) -> Double {
        let (m, n, k) = product
        return 2 * Double(batch) * Double(m) * Double(n) * Double(k)
    }

    /// The backward products: ∂W (as many as the forward product) and, unless the input needs
    /// no gradient (the images), ∂x (as many again).
    public func backwardFLOP(batch: Int, wantsInputGradient: Bool = true) -> Double {
        forwardFLOP(batch: batch) * (wantsInputGradient ? 2 : 1)
    }
}

/// Wall-clock nanoseconds a layer's forward and backward passes took, summed over the steps
/// run while it was attached (`UNetS.layerTimes`), in the order the passes first ran.
public final class LayerTimes: @unchecked Sendable {
    public private(set) var names: [String] = []
    public private(set) var forward: [String: UInt64] = [:]
    public private(set) var backward: [String: UInt64] = [:]
    /// Steps recorded (forward passes of the first layer).
    public private(set) var steps = 0
    private var last: UInt64 = 0

    public init() {}

    /// Starts a pass: the next lap is measured from now.
    func start() { last = DispatchTime.now().uptimeNanoseconds }

    /// Ends the interval since the last lap (or `start`) as `name`'s share of this pass.
    func lap(_ name: String, backwardPass: Bool) {
        let now = DispatchTime.now().uptimeNanoseconds
        let elapsed = now - last
        last = now
        if forward[name] == nil && backward[name] == nil { names.append(name) }
        if backwardPass { backward[name, default: 0] += elapsed } else { forward[name, default: 0] += elapsed }
        if !backwardPass && names.first == name { steps += 1 }
    }
}

extension UNetS {
    /// The eleven convolutions at the sizes an `[B, C, height, width]` input gives them: the
    /// encoder at full, half and quarter size, the decoder back up, the head at full size.
    public func convolutionShapes(height: Int, width: Int) -> [ConvolutionShape] {
        let downscale = [1, 1, 2, 2, 4, 4, 2, 2, 1, 1, 1]
        return convolutions.indices.map { index in
            let convolution = convolutions[index]
            return ConvolutionShape(name: convolutionNames[index], inputChannels: convolution.inputChannels,
                                    outputChannels: convolution.outputChannels, kernel: convolution.kernel,
                                    height: height / downscale[index], width: width / downscale[index])
        }
    }

    /// The floating-point operations of the products of one training step (forward, and
    /// backward without ∂x for the images), from the layers' shapes.
    public func stepFLOP(batch: Int, height: Int, width: Int) -> (forward: Double, backward: Double) {
        let shapes = convolutionShapes(height: height, width: width)
        let forward = shapes.reduce(0) { $0 + $1.forwardFLOP(batch: batch) }
        let backward = shapes.indices.reduce(0) { total, index in
            total + shapes[index].backwardFLOP(batch: batch, wantsInputGradient: index > 0)
        }
        return (forward, backward)
    }
}
