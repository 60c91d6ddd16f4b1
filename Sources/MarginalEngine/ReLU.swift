/// The rectifier as a layer of its own: `[B, C, H, W] → [B, C, H, W]` (any shape),
/// y = max(x, 0); backward ∂x = ∂y ⊙ [y > 0], so the derivative at 0 is 0 (as PyTorch's
/// `threshold_backward` on the result).
///
/// UNet-S fuses ReLU into `Conv2d` (one pass over the output instead of two); this layer is the
/// same rule for networks that need it separately, and the reference the fused form is tested by.
public struct ReLU<T: EngineScalar>: Sendable {
    public init() {}

    /// y = max(x, 0) into `y` (resized).
    @_specialize(where T == Float)
    public func forward(_ x: Tensor<T>, into y: inout Tensor<T>, context: ComputeContext<T>) {
        y.resize(to: x.shape)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                let input = xs.baseAddress!, output = ys.baseAddress!
                context.forEachRange(xs.count) { range in
                    for i in range { output[i] = input[i] > 0 ? input[i] : 0 }
                }
            }
        }
    }

    /// ∂x = ∂y ⊙ [y > 0] into `dx` (resized), from the forward pass's output `y`.
    @_specialize(where T == Float)
    public func backward(output y: Tensor<T>, outputGradient dy: Tensor<T>, into dx: inout Tensor<T>, context: ComputeContext<T>) {
        precondition(y.shape == dy.shape, "ReLU backward: output \(y.shape) ≠ gradient \(dy.shape)")
        dx.resize(to: y.shape)
        y.withUnsafeBufferPointer { ys in
            dy.withUnsafeBufferPointer { dys in
                dx.withUnsafeMutableBufferPointer { dxs in
                    let output = ys.baseAddress!, gradient = dys.baseAddress!, target = dxs.baseAddress!
                    context.forEachRange(ys.count) { range in
                        for i in range { target[i] = output[i] > 0 ? gradient[i] : 0 }
                    }
                }
            }
        }
    }
}
