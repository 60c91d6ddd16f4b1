import Foundation

/// Adam's rule for one parameter (Kingma & Ba 2015) with PyTorch's arithmetic
/// (`torch.optim.Adam`; defaults β = (0.9, 0.999), ε = 1e-8, optional L2 weight decay λ added
/// to the gradient), at step t = 1, 2, …:
///
///     g ← ∂L/∂θ + λ θ,   m ← m + (1 − β₁)(g − m),   v ← β₂ v + (1 − β₂) g²,
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// ε keeps the step finite where a gradient has been 0 so far (v = 0); it is added after the bias
/// correction, as PyTorch does. The one Adam of marginal: the engine's `Adam` applies it to every
/// tensor of a network, the toy (`ToyRun`) to its softmax regression's weights.
public struct AdamRule<T: BinaryFloatingPoint & Sendable>: Sendable {
    @usableFromInline let stepSize: T, correction2Root: T
    @usableFromInline let oneMinusBeta1: T, beta2: T, oneMinusBeta2: T, epsilon: T, weightDecay: T

    /// The constants of step `step` (≥ 1); the bias corrections in Double, as PyTorch computes
    /// them in Python floats.
    @inlinable
    public init(learningRate: Double, step: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) {
        precondition(step >= 1, "Adam: steps count from 1, got \(step)")
        precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam: β₁ and β₂ must be in [0, 1), got \(beta1), \(beta2)")
        precondition(epsilon.isFinite && epsilon > 0, "Adam: ε must be > 0, got \(epsilon)")
        precondition(weightDecay.isFinite && weightDecay >= 0, "Adam: weight decay must be ≥ 0, got \(weightDecay)")
        let t = Double(step)
        stepSize = T(learningRate / (1 - Foundation.pow(beta1, t)))
        correction2Root = T((1 - Foundation.pow(beta2, t)).squareRoot())
        oneMinusBeta1 = T(1 - beta1)
        self.beta2 = T(beta2)
        oneMinusBeta2 = T(1 - beta2)
        self.epsilon = T(epsilon)
        self.weightDecay = T(weightDecay)
    }

    /// One parameter's step: `value` moves, its moments `m` and `v` are updated.
    @inlinable @inline(__always)
    public func update(_ value: inout T, gradient: T, m: inout T, v: inout T) {
        let g = gradient + weightDecay * value
        m += oneMinusBeta1 * (g - m)
        v = beta2 * v + oneMinusBeta2 * g * g
        value -= stepSize * m / (v.squareRoot() / correction2Root + epsilon)
    }
}
