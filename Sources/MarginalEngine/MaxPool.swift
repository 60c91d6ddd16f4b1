/// 2 × 2 max pooling, stride 2: `[B, C, H, W] → [B, C, H/2, W/2]` (H and W even),
/// y[b, c, i, j] = max(x[b, c, 2i + di, 2j + dj] : di, dj ∈ {0, 1}).
///
/// Forward keeps, for each output, which of the four inputs won (`argmax`, 0 … 3 = 2·di + dj, the
/// first of equal ones in that order, as PyTorch). Backward sends each output's gradient to its
/// winner and 0 to the other three.
public struct MaxPool2x2<T: EngineScalar>: Sendable {
    /// The winner of each output window, `[B, C, H/2, W/2]` flattened; set by `forward`.
    public private(set) var argmax: [UInt8] = []
    private var inputShape: [Int] = []

    public init() {}

    /// The pooled tensor into `y` (resized); remembers the winners for `backward`.
    @_specialize(where T == Float)
    public mutating func forward(_ x: Tensor<T>, into y: inout Tensor<T>, context: ComputeContext<T>) {
        precondition(x.shape.count == 4 && x.height % 2 == 0 && x.width % 2 == 0 && x.count > 0,
                     "2 × 2 max-pooling needs [B, C, H, W] with H and W even, got \(x.shape)")
        let (h, w) = (x.height / 2, x.width / 2), inWidth = x.width, planes = x.batch * x.channels
        inputShape = x.shape
        y.resize(to: [x.batch, x.channels, h, w])
        if argmax.count != y.count { argmax = [UInt8](repeating: 0, count: y.count) }
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                argmax.withUnsafeMutableBufferPointer { winners in
                    let input = xs.baseAddress!, output = ys.baseAddress!, winner = winners.baseAddress!
                    context.forEachImage(x.batch) { image, _ in
                        let planesPerImage = planes / x.batch
                        for plane in image * planesPerImage ..< (image + 1) * planesPerImage {
                            for i in 0 ..< h {
                                let top = input + plane * 4 * h * w + 2 * i * inWidth, bottom = top + inWidth
                                let out = plane * h * w + i * w
                                for j in 0 ..< w {
                                    // Strict > keeps the first of equal values.
                                    var best = top[2 * j], index: UInt8 = 0
                                    if top[2 * j + 1] > best { best = top[2 * j + 1]; index = 1 }
                                    if bottom[2 * j] > best { best = bottom[2 * j]; index = 2 }
                                    if bottom[2 * j + 1] > best { best = bottom[2 * j + 1]; index = 3 }
                                    output[out + j] = best
                                    winner[out + j] = index
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// ∂x from ∂y `[B, C, H/2, W/2]`: written into `dx` (resized), or, with `accumulate`, added to
    /// what `dx` holds (where a skip connection's gradient is already there).
    @_specialize(where T == Float)
    public func backward(outputGradient dy: Tensor<T>, into dx: inout Tensor<T>, accumulate: Bool = false,
                         context: ComputeContext<T>) {
        precondition(dy.count == argmax.count && inputShape.count == 4,
                     "max-pool backward: gradient \(dy.shape) does not match the last forward pass")
        if accumulate {
            precondition(dx.shape == inputShape, "max-pool backward: accumulating into \(dx.shape), input was \(inputShape)")
        } else {
            dx.resize(to: inputShape)
        }
        let (h, w) = (inputShape[2] / 2, inputShape[3] / 2), inWidth = inputShape[3], batch = inputShape[0]
        let planesPerImage = inputShape[1]
        dy.withUnsafeBufferPointer { dys in
            dx.withUnsafeMutableBufferPointer { dxs in
                argmax.withUnsafeBufferPointer { winners in
                    let gradient = dys.baseAddress!, target = dxs.baseAddress!, winner = winners.baseAddress!
                    context.forEachImage(batch) { image, _ in
                        let zero = T.zero
                        for plane in image * planesPerImage ..< (image + 1) * planesPerImage {
                            for i in 0 ..< h {
                                let top = target + plane * 4 * h * w + 2 * i * inWidth, bottom = top + inWidth
                                let gradientRow = gradient + plane * h * w + i * w, winnerRow = winner + plane * h * w + i * w
                                if !accumulate {
                                    // Clear the window rows, then each winner gets its gradient below.
                                    top.update(repeating: zero, count: 2 * w)
                                    bottom.update(repeating: zero, count: 2 * w)
                                }
                                // The winner's address by arithmetic, not by branches (which the random
                                // winners would mispredict half the time).
                                for j in 0 ..< w {
                                    let k = Int(winnerRow[j])
                                    (top + (k >> 1) * inWidth + 2 * j + (k & 1)).pointee += gradientRow[j]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
