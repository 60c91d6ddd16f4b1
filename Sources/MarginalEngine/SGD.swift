import Foundation
import MarginalCore

/// Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's `torch.optim.SGD`
/// (dampening 0, not Nesterov), optionally with polynomial learning-rate decay:
///
///     g ← ∂L/∂θ + λ θ,   m ← μ m + g   (m = g at the first step),   θ ← θ − η_t m,
///     η_t = η · (1 − t/T)^0.9   for the t-th update (t = 0, 1, …), 0 from t = T on,
///
/// the "poly" schedule of the paper's Cityscapes setting (DeepLab's). μ = 0 is plain SGD.
public final class SGD<T: EngineScalar>: Optimizer {
    public typealias Scalar = T
    public let momentum: Double
    public let weightDecay: Double
    /// nil: a constant learning rate.
    public let decay: PolynomialDecay?
    private var state: OptimizerState<T>

    public init(learningRate: Double, momentum: Double = 0.9, weightDecay: Double = 0, decay: PolynomialDecay? = nil) {
        precondition(learningRate.isFinite && learningRate > 0, "SGD: the learning rate must be > 0, got \(learningRate)")
        precondition(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1), got \(momentum)")
        precondition(weightDecay.isFinite && weightDecay >= 0, "SGD: weight decay must be ≥ 0, got \(weightDecay)")
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.decay = decay
        state = OptimizerState(kind: "sgd", learningRate: learningRate, bufferCount: momentum > 0 ? 1 : 0)
    }

    public var learningRate: Double {
        get { state.learningRate }
        set {
            precondition(newValue.isFinite && newValue >= 0, "SGD: the learning rate must be ≥ 0, got \(newValue)")
            state.learningRate = newValue
        }
    }

    public var step: Int { state.step }

    /// η_t for the next update.
    public var currentLearningRate: Double { learningRate * (decay?.factor(atStep: state.step) ?? 1) }

    @_specialize(where T == Float)
    public func update(_ parameters: inout ParameterStore<T>) {
        let rate = T(currentLearningRate), mu = T(momentum), decay = T(weightDecay)
        let first = state.step == 0
        state.forEachTensor(of: &parameters) { values, gradients, buffers in
            Self.rule(values: values, gradients: gradients, momentumBuffer: buffers.first, rate: rate,
                      momentum: mu, weightDecay: decay, firstStep: first)
        }
    }

    /// The rule for one tensor.
    @inline(__always)
    static func rule(values: UnsafeMutableBufferPointer<T>, gradients: UnsafeBufferPointer<T>,
                     momentumBuffer: UnsafeMutablePointer<T>?, rate: T, momentum: T, weightDecay: T, firstStep: Bool) {
        for i in values.indices {
            let g = gradients[i] + weightDecay * values[i]
            var direction = g
            if let buffer = momentumBuffer {
                direction = firstStep ? g : momentum * buffer[i] + g
                buffer[i] = direction
            }
            values[i] -= rate * direction
        }
    }

    public func stateData() -> Data { state.serialized() }

    public func loadState(_ data: Data, source: String, parameterCount: Int) throws(MarginalError) {
        state = try state.decoded(data, source: source, parameterCount: parameterCount)
    }
}

/// Polynomial learning-rate decay: factor (1 − t/T)^power for the t-th update (t = 0, 1, …), and 0
/// from t = T on. power = 0.9 is the paper's Cityscapes setting.
public struct PolynomialDecay: Sendable, Equatable, Codable {
    public let totalSteps: Int
    public let power: Double

    public init(totalSteps: Int, power: Double = 0.9) {
        precondition(totalSteps > 0, "polynomial decay: the total step count must be > 0, got \(totalSteps)")
        precondition(power.isFinite && power > 0, "polynomial decay: the power must be > 0, got \(power)")
        self.totalSteps = totalSteps
        self.power = power
    }

    public func factor(atStep step: Int) -> Double {
        step >= totalSteps ? 0 : Foundation.pow(1 - Double(step) / Double(totalSteps), power)
    }
}
