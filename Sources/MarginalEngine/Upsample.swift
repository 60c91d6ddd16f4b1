/// Nearest-neighbour upsampling by 2: `[B, C, H, W] → [B, C, 2H, 2W]`, y[2i + di, 2j + dj] = x[i, j]
/// (PyTorch's `interpolate(scale_factor=2, mode="nearest")`). Backward: each input's gradient is
/// the sum of its four copies' gradients.
public struct UpsampleNearest2x<T: EngineScalar>: Sendable {
    public init() {}

    /// The upsampled tensor into `y` (resized).
    @_specialize(where T == Float)
    public func forward(_ x: Tensor<T>, into y: inout Tensor<T>, context: ComputeContext<T>) {
        precondition(x.shape.count == 4 && x.count > 0, "upsampling needs [B, C, H, W], got \(x.shape)")
        let (h, w) = (x.height, x.width), planesPerImage = x.channels
        y.resize(to: [x.batch, x.channels, 2 * h, 2 * w])
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                let input = xs.baseAddress!, output = ys.baseAddress!
                context.forEachImage(x.batch) { image, _ in
                    for plane in image * planesPerImage ..< (image + 1) * planesPerImage {
                        for i in 0 ..< h {
                            let source = input + (plane * h + i) * w
                            let row = output + (plane * 2 * h + 2 * i) * 2 * w
                            for j in 0 ..< w {
                                let v = source[j]
                                row[2 * j] = v
                                row[2 * j + 1] = v
                            }
                            (row + 2 * w).update(from: row, count: 2 * w)
                        }
                    }
                }
            }
        }
    }

    /// ∂x[i, j] = Σ_{di, dj} ∂y[2i + di, 2j + dj] into `dx` (resized).
    @_specialize(where T == Float)
    public func backward(outputGradient dy: Tensor<T>, into dx: inout Tensor<T>, context: ComputeContext<T>) {
        precondition(dy.shape.count == 4 && dy.height % 2 == 0 && dy.width % 2 == 0 && dy.count > 0,
                     "upsampling backward needs [B, C, 2H, 2W], got \(dy.shape)")
        let (h, w) = (dy.height / 2, dy.width / 2), planesPerImage = dy.channels
        dx.resize(to: [dy.batch, dy.channels, h, w])
        dy.withUnsafeBufferPointer { dys in
            dx.withUnsafeMutableBufferPointer { dxs in
                let gradient = dys.baseAddress!, target = dxs.baseAddress!
                context.forEachImage(dy.batch) { image, _ in
                    for plane in image * planesPerImage ..< (image + 1) * planesPerImage {
                        for i in 0 ..< h {
                            let top = gradient + (plane * 2 * h + 2 * i) * 2 * w, bottom = top + 2 * w
                            let out = target + (plane * h + i) * w
                            for j in 0 ..< w {
                                out[j] = (top[2 * j] + top[2 * j + 1]) + (bottom[2 * j] + bottom[2 * j + 1])
                            }
                        }
                    }
                }
            }
        }
    }
}
