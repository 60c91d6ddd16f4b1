/// Concatenation along channels: `[B, C₁, H, W], [B, C₂, H, W] → [B, C₁ + C₂, H, W]`, image by
/// image (image b of the result is image b of the first, then image b of the second). Backward
/// splits the gradient the same way.
public struct ChannelConcat<T: EngineScalar>: Sendable {
    public init() {}

    /// concat(a, b) into `y` (resized).
    @_specialize(where T == Float)
    public func forward(_ a: Tensor<T>, _ b: Tensor<T>, into y: inout Tensor<T>, context: ComputeContext<T>) {
        precondition(a.shape.count == 4 && b.shape.count == 4 && a.batch == b.batch && a.height == b.height && a.width == b.width,
                     "channel concatenation needs [B, C, H, W] tensors of the same B, H, W, got \(a.shape) and \(b.shape)")
        let first = a.count / a.batch, second = b.count / b.batch
        y.resize(to: [a.batch, a.channels + b.channels, a.height, a.width])
        a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                y.withUnsafeMutableBufferPointer { ys in
                    let left = left.baseAddress!, right = right.baseAddress!, output = ys.baseAddress!
                    context.forEachImage(a.batch) { image, _ in
                        let target = output + image * (first + second)
                        target.update(from: left + image * first, count: first)
                        (target + first).update(from: right + image * second, count: second)
                    }
                }
            }
        }
    }

    /// Splits ∂y `[B, C₁ + C₂, H, W]` into ∂a `[B, C₁, H, W]` and ∂b `[B, C₂, H, W]` (both resized).
    @_specialize(where T == Float)
    public func backward(outputGradient dy: Tensor<T>, firstChannels: Int, into da: inout Tensor<T>, _ db: inout Tensor<T>,
                         context: ComputeContext<T>) {
        precondition(dy.shape.count == 4 && firstChannels > 0 && firstChannels < dy.channels,
                     "concatenation backward: cannot split \(dy.shape) after \(firstChannels) channels")
        let pixels = dy.height * dy.width, first = firstChannels * pixels, total = dy.count / dy.batch
        da.resize(to: [dy.batch, firstChannels, dy.height, dy.width])
        db.resize(to: [dy.batch, dy.channels - firstChannels, dy.height, dy.width])
        dy.withUnsafeBufferPointer { dys in
            da.withUnsafeMutableBufferPointer { left in
                db.withUnsafeMutableBufferPointer { right in
                    let gradient = dys.baseAddress!, left = left.baseAddress!, right = right.baseAddress!
                    context.forEachImage(dy.batch) { image, _ in
                        let source = gradient + image * total
                        (left + image * first).update(from: source, count: first)
                        (right + image * (total - first)).update(from: source + first, count: total - first)
                    }
                }
            }
        }
    }
}
