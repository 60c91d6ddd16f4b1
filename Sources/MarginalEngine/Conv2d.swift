import MarginalCore

/// A 2-D convolution, stride 1, "same" padding, with a bias and an optional ReLU fused in.
/// `[B, I, H, W] → [B, O, H, W]`;  y_o = act(Σ_{i,dy,dx} W[o, i, dy, dx] · x_i(· + d) + b_o).
///
/// Computed as im2col + one matrix product per image (`gemm`, OpenBLAS): the k × k
/// neighbourhoods of x become the columns of a (I·k²) × (H·W) matrix, so y = W · cols + b.
/// Backward: ∂W += ∂y · colsᵀ, ∂b += Σ_pixels ∂y, ∂cols = Wᵀ · ∂y, then col2im → ∂x.
public final class Conv2d<T: EngineScalar> {
    public let inputChannels: Int
    public let outputChannels: Int
    /// 1 or 3 (odd, so that padding (k − 1)/2 keeps the size).
    public let kernel: Int
    public let relu: Bool
    /// `[O, I, k, k]` flattened to `[O, I·k²]`.
    public var weight: [T]
    public var bias: [T]
    public var weightGradient: [T]
    public var biasGradient: [T]
    /// Whether `backward` must compute ∂x (not for the network's first layer).
    public var needsInputGradient = true

    /// What backward needs: the im2col matrices of every image, one after another (k > 1), or
    /// the input itself (k = 1, where the columns are the input).
    private var columns: [T] = []
    private var savedInput = Tensor<T>(zeros: [0])
    private var output = Tensor<T>(zeros: [0])
    private var inputShape: [Int] { savedInput.shape }

    public init(inputChannels: Int, outputChannels: Int, kernel: Int, relu: Bool, generator: inout SeededRandom) {
        precondition(kernel % 2 == 1 && inputChannels > 0 && outputChannels > 0, "kernel must be odd, channels positive")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.relu = relu
        let fanIn = inputChannels * kernel * kernel
        // He (Kaiming) normal initialisation for ReLU networks: N(0, 2 / fan_in).
        let deviation = (2 / Double(fanIn)).squareRoot()
        weight = (0 ..< outputChannels * fanIn).map { _ in T(deviation * generator.normal()) }
        bias = [T](repeating: 0, count: outputChannels)
        weightGradient = [T](repeating: 0, count: weight.count)
        biasGradient = [T](repeating: 0, count: outputChannels)
    }

    var patchSize: Int { inputChannels * kernel * kernel }

    /// Images are spread over `threads` worker threads, each doing its im2col, product and
    /// bias + ReLU; the products run single-threaded inside a worker (see `setMatrixThreads`),
    /// which keeps both cores busy without BLAS threads waiting on each other.
    public func forward(_ x: Tensor<T>, threads: Int = 1) -> Tensor<T> {
        precondition(x.shape.count == 4 && x.channels == inputChannels, "conv expects [B, \(inputChannels), H, W], got \(x.shape)")
        let (b, h, w) = (x.batch, x.height, x.width)
        let pixels = h * w, patch = patchSize, outputChannels = self.outputChannels, kernel = self.kernel
        let channels = inputChannels, relu = self.relu
        savedInput = x
        if kernel > 1 && columns.count != b * patch * pixels { columns = [T](repeating: 0, count: b * patch * pixels) }
        // Every element is written by the product (β = 0), then shifted by the bias.
        var y = Tensor<T>(uninitialized: [b, outputChannels, h, w])
        x.values.withUnsafeBufferPointer { input in
            columns.withUnsafeMutableBufferPointer { cols in
                y.values.withUnsafeMutableBufferPointer { out in
                    weight.withUnsafeBufferPointer { weight in
                        bias.withUnsafeBufferPointer { bias in
                            let p = UncheckedSendable((input.baseAddress!, cols.baseAddress, out.baseAddress!, weight.baseAddress!, bias.baseAddress!))
                            forEachUnit(b, threads: threads) { image in
                                let (input, cols, out, weight, bias) = p.value
                                let source = input + image * channels * pixels
                                var matrix = UnsafePointer(source)
                                if kernel > 1, let cols {
                                    im2col(source, channels: channels, height: h, width: w, kernel: kernel, into: cols + image * patch * pixels)
                                    matrix = UnsafePointer(cols + image * patch * pixels)
                                }
                                let target = out + image * outputChannels * pixels
                                T.gemm(transposeA: false, transposeB: false, m: outputChannels, n: pixels, k: patch, alpha: 1,
                                       a: weight, lda: patch, b: matrix, ldb: pixels, beta: 0, c: target, ldc: pixels)
                                for o in 0 ..< outputChannels {
                                    let row = target + o * pixels, shift = bias[o]
                                    if relu {
                                        for i in 0 ..< pixels { row[i] = Swift.max(row[i] + shift, 0) }
                                    } else {
                                        for i in 0 ..< pixels { row[i] += shift }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        output = y
        return y
    }

    /// Adds this batch's ∂W and ∂b to the gradients and returns ∂x (an empty tensor when
    /// `needsInputGradient` is false). Each image's ∂W goes to its own slot and the slots are
    /// added in image order, so the result does not depend on the number of threads.
    public func backward(_ outputGradient: consuming Tensor<T>, threads: Int = 1) -> Tensor<T> {
        precondition(outputGradient.shape == output.shape, "gradient shape \(outputGradient.shape) ≠ output \(output.shape)")
        let (b, h, w) = (inputShape[0], inputShape[2], inputShape[3])
        let pixels = h * w, patch = patchSize, outputChannels = self.outputChannels, kernel = self.kernel
        let channels = inputChannels, relu = self.relu, wantsInput = needsInputGradient
        var dy = outputGradient  // consumed: masked in place, no copy
        // Each of these is written whole before it is read: ∂x by the product (k = 1) or by
        // col2im, which clears its target first; the partials and ∂cols by products with β = 0.
        var dx = Tensor<T>(uninitialized: wantsInput ? inputShape : [0])
        var partialWeight = Tensor<T>(uninitialized: [b * weight.count]).values
        var partialBias = Tensor<T>(uninitialized: [b * outputChannels]).values
        var columnGradient = Tensor<T>(uninitialized: [kernel > 1 && wantsInput ? b * patch * pixels : 0]).values
        let source = kernel > 1 ? columns : savedInput.values
        let weightCount = weight.count
        dy.values.withUnsafeMutableBufferPointer { dy in
          output.values.withUnsafeBufferPointer { out in
            source.withUnsafeBufferPointer { cols in
              weight.withUnsafeBufferPointer { weight in
                dx.values.withUnsafeMutableBufferPointer { dx in
                  partialWeight.withUnsafeMutableBufferPointer { dW in
                    partialBias.withUnsafeMutableBufferPointer { dB in
                      columnGradient.withUnsafeMutableBufferPointer { dcols in
                        let p = UncheckedSendable((dy.baseAddress!, out.baseAddress!, cols.baseAddress!, weight.baseAddress!,
                                                   dx.baseAddress, dW.baseAddress!, dB.baseAddress!, dcols.baseAddress))
                        forEachUnit(b, threads: threads) { image in
                            let (dy, out, cols, weight, dx, dW, dB, dcols) = p.value
                            let gradient = dy + image * outputChannels * pixels
                            if relu {
                                // ReLU's derivative: 1 where the output is positive, else 0 (0 at 0, as PyTorch).
                                let activation = out + image * outputChannels * pixels
                                for i in 0 ..< outputChannels * pixels where activation[i] <= 0 { gradient[i] = 0 }
                            }
                            for o in 0 ..< outputChannels {
                                var sum = T(0)
                                for i in 0 ..< pixels { sum += gradient[o * pixels + i] }
                                dB[image * outputChannels + o] = sum
                            }
                            // ∂Wᵀ = cols · ∂yᵀ, [I·k², O]: formed transposed because OpenBLAS runs this
                            // shape (many rows, few columns) markedly faster when O ≪ I·k²; the
                            // partials are transposed back as they are added up below.
                            T.gemm(transposeA: false, transposeB: true, m: patch, n: outputChannels, k: pixels, alpha: 1,
                                   a: cols + image * patch * pixels, lda: pixels, b: gradient, ldb: pixels, beta: 0,
                                   c: dW + image * weightCount, ldc: outputChannels)
                            guard wantsInput, let dx else { return }
                            // ∂cols = Wᵀ ∂y (for k = 1 the columns are the input, so straight into ∂x).
                            let target = kernel > 1 ? dcols! + image * patch * pixels : dx + image * channels * pixels
                            T.gemm(transposeA: true, transposeB: false, m: patch, n: pixels, k: outputChannels, alpha: 1,
                                   a: weight, lda: patch, b: gradient, ldb: pixels, beta: 0, c: target, ldc: pixels)
                            if kernel > 1 {
                                col2im(target, channels: channels, height: h, width: w, kernel: kernel, into: dx + image * channels * pixels)
                            }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        for image in 0 ..< b {
            let base = image * weightCount
            for o in 0 ..< outputChannels {
                for j in 0 ..< patch { weightGradient[o * patch + j] += partialWeight[base + j * outputChannels + o] }
                biasGradient[o] += partialBias[image * outputChannels + o]
            }
        }
        return wantsInput ? dx : Tensor(zeros: [0])
    }

    public func zeroGradients() {
        for i in weightGradient.indices { weightGradient[i] = 0 }
        for i in biasGradient.indices { biasGradient[i] = 0 }
    }
}

/// cols[(c·k² + dy·k + dx) · H·W + y·W + x] = x[c, y + dy − p, x + dx − p], 0 outside (p = (k−1)/2).
func im2col<T: EngineScalar>(_ source: UnsafePointer<T>, channels: Int, height: Int, width: Int, kernel: Int,
                             into columns: UnsafeMutablePointer<T>) {
    let pad = (kernel - 1) / 2, pixels = height * width
    for c in 0 ..< channels {
        let plane = source + c * pixels
        for dy in 0 ..< kernel {
            for dx in 0 ..< kernel {
                let row = columns + ((c * kernel + dy) * kernel + dx) * pixels
                let shiftX = dx - pad
                let first = Swift.max(0, -shiftX), last = Swift.min(width, width - shiftX)  // valid x range
                for y in 0 ..< height {
                    let out = row + y * width
                    let sourceY = y + dy - pad
                    guard sourceY >= 0 && sourceY < height else {
                        out.update(repeating: 0, count: width)
                        continue
                    }
                    for x in 0 ..< first { out[x] = 0 }
                    (out + first).update(from: plane + sourceY * width + first + shiftX, count: Swift.max(0, last - first))
                    for x in Swift.max(first, last) ..< width { out[x] = 0 }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: each column entry is added back to the pixel it was copied from.
func col2im<T: EngineScalar>(_ columns: UnsafePointer<T>, channels: Int, height: Int, width: Int, kernel: Int,
                             into target: UnsafeMutablePointer<T>) {
    let pad = (kernel - 1) / 2, pixels = height * width
    target.update(repeating: 0, count: channels * pixels)
    for c in 0 ..< channels {
        let plane = target + c * pixels
        for dy in 0 ..< kernel {
            for dx in 0 ..< kernel {
                let row = columns + ((c * kernel + dy) * kernel + dx) * pixels
                let shiftX = dx - pad
                let first = Swift.max(0, -shiftX), last = Swift.min(width, width - shiftX)
                for y in 0 ..< height {
                    let sourceY = y + dy - pad
                    guard sourceY >= 0 && sourceY < height, last > first else { continue }
                    let input = row + y * width, out = plane + sourceY * width + shiftX
                    for x in first ..< last { out[x] += input[x] }
                }
            }
        }
    }
}
