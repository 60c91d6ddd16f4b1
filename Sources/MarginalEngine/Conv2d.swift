import MarginalCore

/// The nonlinearity a layer applies to its output.
public enum Activation: Sendable, Equatable {
    case identity
    /// max(·, 0), whose derivative is taken as 0 at 0 (as PyTorch).
    case relu
}

/// How a 3 × 3 convolution forms its matrix products (both give the same result up to rounding).
public enum ConvolutionMethod: String, Sendable, Equatable, CaseIterable {
    /// Materialise im2col(x) band by band and multiply once (`Im2col.swift`); any odd kernel.
    case im2col
    /// Nine products over shifted views of x itself (`ShiftedTaps.swift`); 3 × 3 only.
    case shiftedTaps = "shifted-taps"

    /// The faster for the OpenBLAS kernels in use. Measured on UNet-S's training step (B = 8,
    /// 64 × 64, one core of a Zen 5): with the AVX2 kernels ("Haswell", "Zen", …) shifted taps take
    /// about 67 ms against 72 ms for im2col, since the nine narrower products cost less than
    /// writing and re-reading a 9-times-larger matrix; with the AVX-512 kernels ("SkylakeX",
    /// "Cooperlake", "SapphireRapids") im2col takes about 52 ms against 58 ms, their products
    /// losing more than that from the shallower depth (C instead of 9C).
    public static let preferred: ConvolutionMethod = {
        let avx512 = ["skylakex", "cooperlake", "sapphirerapids"]
        return avx512.contains(matrixKernelName.lowercased()) ? .im2col : .shiftedTaps
    }()
}

/// A 2-D convolution with stride 1 and zero padding p = (k − 1)/2 ("same" size), a bias, and an
/// optional fused ReLU: `[B, I, H, W] → [B, O, H, W]`,
/// y[b, o] = act(bias[o] + Σ_{i, ky, kx} W[o, i, ky, kx] · x[b, i, · + ky − p, · + kx − p]),
/// with W `[O, I, k, k]` and bias `[O]` in a `ParameterStore`; k is odd (UNet-S uses 3 and 1).
///
/// Computed image by image with OpenBLAS products (`EngineScalar.gemm`), in one of two ways
/// (`method`): im2col, in bands of output rows (see `bandRows`),
/// y[:, band] = W[O, I·k²] · cols[I·k², band]; or, for k = 3, nine products over shifted views of
/// x (`ShiftedTaps`). For k = 1 the image itself is the column matrix. Bias and ReLU follow in one
/// pass while the output is in cache. Backward, with g = ∂L/∂y ⊙ ReLU′:
///
///     ∂bias = Σ_pixels g
///     ∂Wᵀ   = cols · gᵀ                      [I·k², O]  (cols recomputed, not kept from forward:
///                                                        4·I·k²·H·W bytes an image)
///     ∂x    = flipped[I, O·k²] · im2col(g)   (see `flippedTransposedWeights`; for k = 1, Wᵀ · g)
///
/// or their per-tap forms. ∂W is formed transposed because OpenBLAS runs that product 10–40 %
/// faster when O ≪ I·k² (both its AVX2 and AVX-512 kernels); it is transposed back when the
/// images' parts are added.
public struct Conv2d<T: EngineScalar>: Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    /// Odd kernel size.
    public let kernel: Int
    public let activation: Activation
    /// Index of the weights `[O, I, k, k]` in the parameter store.
    public let weightIndex: Int
    /// Index of the bias `[O]` in the parameter store.
    public let biasIndex: Int
    /// How the products are formed for k = 3 (`ConvolutionMethod.preferred` unless set; the tests
    /// check both). Other kernel sizes always use im2col, and k = 1 needs no columns at all.
    public var method: ConvolutionMethod = .preferred

    /// Whether this layer's products go through `ShiftedTaps`.
    var usesShiftedTaps: Bool { kernel == 3 && method == .shiftedTaps }

    /// Adds `name.weight` (He normal, see `heNormal`) and `name.bias` (zeros) to `parameters`.
    public init(_ name: String, inputChannels: Int, outputChannels: Int, kernel: Int, activation: Activation,
                parameters: inout ParameterStore<T>, generator: inout SeededRandom) {
        precondition(inputChannels > 0 && outputChannels > 0, "\(name): channels must be positive")
        precondition(kernel > 0 && kernel % 2 == 1, "\(name): the kernel size must be odd, got \(kernel)")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.activation = activation
        let fanIn = inputChannels * kernel * kernel
        weightIndex = parameters.append("\(name).weight", shape: [outputChannels, inputChannels, kernel, kernel],
                                        values: heNormal(count: outputChannels * fanIn, fanIn: fanIn, generator: &generator))
        biasIndex = parameters.append("\(name).bias", shape: [outputChannels], values: [T](repeating: 0, count: outputChannels))
    }

    /// I·k²: the rows of the im2col matrix, the columns of W.
    var patchSize: Int { inputChannels * kernel * kernel }

    /// `[B, I, H, W] → [B, O, H, W]` into `y` (resized; every element written).
    @_specialize(where T == Float)
    public func forward(_ x: Tensor<T>, into y: inout Tensor<T>, parameters: ParameterStore<T>, context: ComputeContext<T>) {
        precondition(x.shape.count == 4 && x.channels == inputChannels && x.count > 0,
                     "convolution expects [B, \(inputChannels), H, W], got \(x.shape)")
        let (b, h, w) = (x.batch, x.height, x.width)
        let pixels = h * w, patch = patchSize, channels = inputChannels, outputs = outputChannels, kernel = self.kernel
        y.resize(to: [b, outputs, h, w])
        let band = bandRows(patch: patch, height: h, width: w), taps = usesShiftedTaps
        let columns = kernel > 1 && !taps ? context.scratch(slot: ScratchSlot.columns, count: patch * band * w) : []
        let edgeCount = ShiftedTaps.edgeCopyCount(channels: channels, pixels: pixels)
        let zeroLast = taps ? context.scratch(slot: ScratchSlot.zeroLastColumn, count: edgeCount) : []
        let zeroFirst = taps ? context.scratch(slot: ScratchSlot.zeroFirstColumn, count: edgeCount) : []
        let tapWeights = context.sharedScratch(slot: SharedSlot.tapWeights, count: taps ? outputs * channels * 9 : 0)
        let weightOffset = parameters.entries[weightIndex].offset, biasOffset = parameters.entries[biasIndex].offset
        let relu = activation == .relu
        x.withUnsafeBufferPointer { xs in
            parameters.values.withUnsafeBufferPointer { values in
                y.withUnsafeMutableBufferPointer { ys in
                    let input = xs.baseAddress!, output = ys.baseAddress!
                    let weight = values.baseAddress! + weightOffset, bias = values.baseAddress! + biasOffset
                    if taps { ShiftedTaps.splitByTap(weight, outputs: outputs, channels: channels, into: tapWeights) }
                    context.forEachImage(b) { image, worker in
                        let source = input + image * channels * pixels, target = output + image * outputs * pixels
                        if taps {
                            let edges = ShiftedTaps.makeEdgeCopies(source, channels: channels, height: h, width: w,
                                                                   zeroLast: zeroLast[worker], zeroFirst: zeroFirst[worker])
                            ShiftedTaps.accumulate(taps: tapWeights, outputs: outputs, channels: channels, adjoint: false,
                                                   source: source, zeroLast: edges.zeroLast, zeroFirst: edges.zeroFirst,
                                                   height: h, width: w, into: target)
                            addBias(bias, to: target, channels: outputs, count: pixels, stride: pixels, relu: relu)
                            return
                        }
                        guard kernel > 1 else {
                            // 1 × 1: the image itself is the column matrix.
                            T.gemm(transposeA: false, transposeB: false, m: outputs, n: pixels, k: patch, alpha: 1,
                                   a: weight, lda: patch, b: source, ldb: pixels, beta: 0, c: target, ldc: pixels)
                            addBias(bias, to: target, channels: outputs, count: pixels, stride: pixels, relu: relu)
                            return
                        }
                        // Band by band: y[:, band] = W · im2col(x)[:, band], then bias and ReLU, while both
                        // the band's columns and its outputs are in cache.
                        for first in Swift.stride(from: 0, to: h, by: band) {
                            let rows = first ..< min(h, first + band), n = rows.count * w
                            im2col(source, channels: channels, height: h, width: w, kernel: kernel, rows: rows, into: columns[worker])
                            T.gemm(transposeA: false, transposeB: false, m: outputs, n: n, k: patch, alpha: 1,
                                   a: weight, lda: patch, b: columns[worker], ldb: n, beta: 0, c: target + first * w, ldc: pixels)
                            addBias(bias, to: target + first * w, channels: outputs, count: n, stride: pixels, relu: relu)
                        }
                    }
                }
            }
        }
    }

    /// The backward pass. Given the forward pass's input `x` and output `y` (whose sign is ReLU′)
    /// and `outputGradient` = ∂L/∂y `[B, O, H, W]`: adds ∂L/∂W and ∂L/∂bias to
    /// `parameters.gradients`, and, when `wantsInputGradient`, writes ∂L/∂x `[B, I, H, W]` into
    /// `inputGradient` (resized; untouched otherwise, as for a network's first layer).
    ///
    /// Each image's ∂W and ∂bias go to their own slot and the slots are added in image order, so the
    /// result does not depend on the number of threads.
    @_specialize(where T == Float)
    public func backward(input x: Tensor<T>, output y: Tensor<T>, outputGradient dy: Tensor<T>,
                         inputGradient dx: inout Tensor<T>, wantsInputGradient: Bool = true,
                         parameters: inout ParameterStore<T>, context: ComputeContext<T>) {
        precondition(x.shape.count == 4 && x.channels == inputChannels, "convolution input \(x.shape) ≠ [B, \(inputChannels), H, W]")
        let (b, h, w) = (x.batch, x.height, x.width)
        precondition(y.shape == [b, outputChannels, h, w] && dy.shape == y.shape,
                     "convolution backward: output \(y.shape) and its gradient \(dy.shape) must be [\(b), \(outputChannels), \(h), \(w)]")
        let pixels = h * w, patch = patchSize, channels = inputChannels, outputs = outputChannels, kernel = self.kernel
        let weightEntry = parameters.entries[weightIndex], biasEntry = parameters.entries[biasIndex]
        let weightCount = weightEntry.count, relu = activation == .relu
        // Per worker: a band of the im2col matrix (of x, then of g for ∂x) and g = ∂L/∂y ⊙ ReLU′.
        let flippedPatch = outputs * kernel * kernel
        let band = bandRows(patch: patch, height: h, width: w), gradientBand = bandRows(patch: flippedPatch, height: h, width: w)
        let taps = usesShiftedTaps
        let columnCount = kernel > 1 && !taps ? max(patch * band * w, wantsInputGradient ? flippedPatch * gradientBand * w : 0) : 0
        let columns = columnCount > 0 ? context.scratch(slot: ScratchSlot.columns, count: columnCount) : []
        // Shifted taps: edge copies of x (for ∂W), then of g (for ∂x), per worker.
        let edgeCount = ShiftedTaps.edgeCopyCount(channels: max(channels, outputs), pixels: pixels)
        let zeroLast = taps ? context.scratch(slot: ScratchSlot.zeroLastColumn, count: edgeCount) : []
        let zeroFirst = taps ? context.scratch(slot: ScratchSlot.zeroFirstColumn, count: edgeCount) : []
        let tapWeights = context.sharedScratch(slot: SharedSlot.tapWeights, count: taps ? weightCount : 0)
        let masked = relu ? context.scratch(slot: ScratchSlot.maskedGradient, count: outputs * pixels) : []
        // Shared: each image's ∂W and ∂bias, and the flipped weights.
        let partialWeight = context.sharedScratch(slot: SharedSlot.partialWeight, count: b * weightCount)
        let partialBias = context.sharedScratch(slot: SharedSlot.partialBias, count: b * outputs)
        let flipped = context.sharedScratch(slot: SharedSlot.flippedWeight, count: weightCount)
        // ∂x's storage, touched only when wanted (so a tensor passed just to fill the argument is
        // neither resized nor copied).
        func withInputGradient(_ body: (UnsafeMutablePointer<T>?) -> Void) {
            guard wantsInputGradient else { return body(nil) }
            dx.resize(to: x.shape)
            dx.withUnsafeMutableBufferPointer { body($0.baseAddress) }
        }
        parameters.values.withUnsafeBufferPointer { values in
            let weight = values.baseAddress! + weightEntry.offset
            if taps {
                ShiftedTaps.splitByTap(weight, outputs: outputs, channels: channels, into: tapWeights)
            } else if wantsInputGradient && kernel > 1 {
                flippedTransposedWeights(weight, outputChannels: outputs, inputChannels: channels, kernel: kernel, into: flipped)
            }
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    dy.withUnsafeBufferPointer { dys in
                        withInputGradient { inputGradient in
                            let input = xs.baseAddress!, output = ys.baseAddress!, outputGradient = dys.baseAddress!
                            context.forEachImage(b) { image, worker in
                                let offset = image * outputs * pixels
                                // g, and Σ_pixels g per channel (∂bias) in the same pass.
                                let g: UnsafePointer<T>
                                if relu {
                                    maskByPositive(outputGradient + offset, output + offset, into: masked[worker],
                                                   channels: outputs, pixels: pixels, sums: partialBias + image * outputs)
                                    g = UnsafePointer(masked[worker])
                                } else {
                                    g = outputGradient + offset
                                    sumRows(g, channels: outputs, pixels: pixels, into: partialBias + image * outputs)
                                }
                                let source = input + image * channels * pixels
                                let weightSlot = partialWeight + image * weightCount
                                if taps {
                                    let edges = ShiftedTaps.makeEdgeCopies(source, channels: channels, height: h, width: w,
                                                                           zeroLast: zeroLast[worker], zeroFirst: zeroFirst[worker])
                                    ShiftedTaps.weightGradient(source: source, zeroLast: edges.zeroLast, zeroFirst: edges.zeroFirst,
                                                               gradient: g, channels: channels, outputs: outputs, height: h, width: w,
                                                               into: weightSlot)
                                    guard wantsInputGradient, let inputGradient else { return }
                                    let gradientEdges = ShiftedTaps.makeEdgeCopies(g, channels: outputs, height: h, width: w,
                                                                                   zeroLast: zeroLast[worker], zeroFirst: zeroFirst[worker])
                                    ShiftedTaps.accumulate(taps: tapWeights, outputs: outputs, channels: channels, adjoint: true,
                                                           source: g, zeroLast: gradientEdges.zeroLast, zeroFirst: gradientEdges.zeroFirst,
                                                           height: h, width: w, into: inputGradient + image * channels * pixels)
                                    return
                                }
                                // ∂Wᵀ is computed, [I·k², O] (the product is faster that way round for
                                // O ≪ I·k²; see `accumulateTransposed`).
                                if kernel == 1 {
                                    // ∂Wᵀ_image = x[I, HW] · gᵀ[HW, O].
                                    T.gemm(transposeA: false, transposeB: true, m: patch, n: outputs, k: pixels, alpha: 1,
                                           a: source, lda: pixels, b: g, ldb: pixels, beta: 0, c: weightSlot, ldc: outputs)
                                } else {
                                    // ∂Wᵀ_image = Σ_bands im2col(x)[:, band] · g[:, band]ᵀ.
                                    for first in Swift.stride(from: 0, to: h, by: band) {
                                        let rows = first ..< min(h, first + band), n = rows.count * w
                                        im2col(source, channels: channels, height: h, width: w, kernel: kernel, rows: rows,
                                               into: columns[worker])
                                        T.gemm(transposeA: false, transposeB: true, m: patch, n: outputs, k: n, alpha: 1,
                                               a: columns[worker], lda: n, b: g + first * w, ldb: pixels,
                                               beta: first == 0 ? 0 : 1, c: weightSlot, ldc: outputs)
                                    }
                                }
                                guard wantsInputGradient, let inputGradient else { return }
                                let target = inputGradient + image * channels * pixels
                                if kernel == 1 {
                                    // ∂x = Wᵀ[I, O] · g[O, HW].
                                    T.gemm(transposeA: true, transposeB: false, m: channels, n: pixels, k: outputs, alpha: 1,
                                           a: weight, lda: channels, b: g, ldb: pixels, beta: 0, c: target, ldc: pixels)
                                    return
                                }
                                // ∂x[:, band] = flipped[I, O·k²] · im2col(g)[:, band].
                                for first in Swift.stride(from: 0, to: h, by: gradientBand) {
                                    let rows = first ..< min(h, first + gradientBand), n = rows.count * w
                                    im2col(g, channels: outputs, height: h, width: w, kernel: kernel, rows: rows, into: columns[worker])
                                    T.gemm(transposeA: false, transposeB: false, m: channels, n: n, k: flippedPatch, alpha: 1,
                                           a: flipped, lda: flippedPatch, b: columns[worker], ldb: n, beta: 0,
                                           c: target + first * w, ldc: pixels)
                                }
                            }
                        }
                    }
                }
            }
        }
        parameters.gradients.withUnsafeMutableBufferPointer { gradients in
            let weightGradient = gradients.baseAddress! + weightEntry.offset, biasGradient = gradients.baseAddress! + biasEntry.offset
            accumulateTransposed(partialWeight, slots: b, rows: patch, columns: outputs, into: weightGradient)
            for image in 0 ..< b { addInPlace(biasGradient, partialBias + image * outputs, count: outputs) }
        }
    }
}

/// target[o, j] += Σ_slots slot[j, o]: sums `slots` matrices [rows, columns] in slot order (so the
/// result does not depend on the thread count) and adds the transpose of the sum to target
/// [columns, rows]. The slots are summed in place into slot 0.
func accumulateTransposed<T: EngineScalar>(_ slots: UnsafeMutablePointer<T>, slots count: Int, rows: Int, columns: Int,
                                           into target: UnsafeMutablePointer<T>) {
    let size = rows * columns
    for slot in 1 ..< max(1, count) { addInPlace(slots, slots + slot * size, count: size) }
    for j in 0 ..< rows {
        let row = slots + j * columns
        for o in 0 ..< columns { target[o * rows + j] += row[o] }
    }
}

/// Output rows per band of a convolution of `patch` = I·k² im2col rows: as many as keep the band's
/// im2col matrix within `bandElements` (an L2-sized block), at least 1.
func bandRows(patch: Int, height: Int, width: Int) -> Int {
    max(1, min(height, bandElements / max(1, patch * width)))
}

/// The im2col band size in elements (1 MiB of Float, half of this machine's L2 per core); see
/// `bandRows`. Measured on UNet-S: from 2¹⁶ to unbanded the step time changes by under 3 %, but
/// bands keep the scratch small.
let bandElements = 1 << 18

/// Allocating forms, for tests and one-off use.
extension Conv2d {
    /// `[B, I, H, W] → [B, O, H, W]` in a new tensor.
    public func forward(_ x: Tensor<T>, parameters: ParameterStore<T>, context: ComputeContext<T>) -> Tensor<T> {
        var y = Tensor<T>()
        forward(x, into: &y, parameters: parameters, context: context)
        return y
    }
}

/// The per-worker scratch buffers of `ComputeContext` the layers use.
enum ScratchSlot {
    /// im2col matrices.
    static let columns = 0
    /// ∂L/∂y ⊙ ReLU′ of one image.
    static let maskedGradient = 1
    /// `ShiftedTaps`' edge copies.
    static let zeroLastColumn = 2
    static let zeroFirstColumn = 3
}

/// The shared scratch buffers of `ComputeContext` the layers use.
enum SharedSlot {
    static let partialWeight = 0
    static let partialBias = 1
    static let flippedWeight = 2
    static let tapWeights = 3
}
