import Foundation
import MarginalCore

/// Adam (Kingma & Ba 2015) with PyTorch's defaults and arithmetic: Core's `AdamRule` (the
/// formulas are there) on every parameter of the store, its moments kept per tensor and saved
/// in checkpoints. The learning rate is lowered from outside by `ReduceOnPlateau`
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
        let rule = AdamRule<T>(learningRate: learningRate, step: state.step + 1, beta1: beta1, beta2: beta2,
                               epsilon: epsilon, weightDecay: weightDecay)
        state.forEachTensor(of: &parameters) { values, gradients, buffers in
            let (m, v) = (buffers[0], buffers[1])
            for i in values.indices { rule.update(&values[i], gradient: gradients[i], m: &m[i], v: &v[i]) }
        }
    }

    public func stateData() -> Data { state.serialized() }

    public func loadState(_ data: Data, source: String, parameterCount: Int) throws(MarginalError) {
        state = try state.decoded(data, source: source, parameterCount: parameterCount)
    }
}
