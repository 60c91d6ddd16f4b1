import Foundation
import MarginalCore

/// Adam (Kingma & Ba 2015) with PyTorch's defaults and arithmetic (`torch.optim.Adam`, β = (0.9,
/// 0.999), ε = 1e-8, optional L2 weight decay λ added to the gradient):
///
///     g ← ∂L/∂θ + λ θ,   m ← m + (1 − β₁)(g − m),   v ← β₂ v + (1 − β₂) g²,
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)        at step t = 1, 2, …
///
/// ε keeps the step finite where a gradient has been 0 so far (v = 0); it is added after the bias
/// correction, as PyTorch does. The learning rate is lowered from outside by `ReduceOnPlateau`
/// (the paper's retinal setting).
public final class Adam<T: EngineScalar>: Optimizer {
    public typealias Scalar = T
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    private var state: OptimizerState<T>

    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        precondition(learningRate.isFinite && learningRate > 0, "Adam: the learning rate must be > 0, got \(learningRate)")
        precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam: β₁ and β₂ must be in [0, 1), got \(beta1), \(beta2)")
        precondition(epsilon.isFinite && epsilon > 0, "Adam: ε must be > 0, got \(epsilon)")
        precondition(weightDecay.isFinite && weightDecay >= 0, "Adam: weight decay must be ≥ 0, got \(weightDecay)")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        state = OptimizerState(kind: "adam", learningRate: learningRate, bufferCount: 2)
    }

    public var learningRate: Double {
        get { state.learningRate }
        set {
            precondition(newValue.isFinite && newValue >= 0, "Adam: the learning rate must be ≥ 0, got \(newValue)")
            state.learningRate = newValue
        }
    }

    public var step: Int { state.step }

    /// η: Adam has no schedule of its own.
    public var currentLearningRate: Double { learningRate }

    @_specialize(where T == Float)
    public func update(_ parameters: inout ParameterStore<T>) {
        let t = Double(state.step + 1)
        // The bias corrections in Double, as PyTorch computes them in Python floats.
        let stepSize = T(learningRate / (1 - Foundation.pow(beta1, t)))
        let correction2Root = T((1 - Foundation.pow(beta2, t)).squareRoot())
        let (oneMinusBeta1, beta2, oneMinusBeta2) = (T(1 - beta1), T(self.beta2), T(1 - self.beta2))
        let (epsilon, decay) = (T(self.epsilon), T(weightDecay))
        state.forEachTensor(of: &parameters) { values, gradients, buffers in
            Self.rule(values: values, gradients: gradients, m: buffers[0], v: buffers[1], stepSize: stepSize,
                      correction2Root: correction2Root, oneMinusBeta1: oneMinusBeta1, beta2: beta2,
                      oneMinusBeta2: oneMinusBeta2, epsilon: epsilon, weightDecay: decay)
        }
    }

    /// The rule for one tensor.
    @inline(__always)
    static func rule(values: UnsafeMutableBufferPointer<T>, gradients: UnsafeBufferPointer<T>,
                     m: UnsafeMutablePointer<T>, v: UnsafeMutablePointer<T>, stepSize: T, correction2Root: T,
                     oneMinusBeta1: T, beta2: T, oneMinusBeta2: T, epsilon: T, weightDecay: T) {
        for i in values.indices {
            let g = gradients[i] + weightDecay * values[i]
            m[i] += oneMinusBeta1 * (g - m[i])
            v[i] = beta2 * v[i] + oneMinusBeta2 * g * g
            values[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + epsilon)
        }
    }

    public func stateData() -> Data { state.serialized() }

    public func loadState(_ data: Data, source: String, parameterCount: Int) throws(MarginalError) {
        state = try state.decoded(data, source: source, parameterCount: parameterCount)
    }
}
