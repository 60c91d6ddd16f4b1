import Foundation

extension UNetS {
    /// Every parameter tensor in a fixed order (each layer's weight, then its bias) with its gradient.
    public func visitParameters(_ body: (inout [T], [T]) -> Void) {
        for conv in convolutions {
            body(&conv.weight, conv.weightGradient)
            body(&conv.bias, conv.biasGradient)
        }
    }
}

/// A rule that moves every parameter along its gradient, with the state it keeps (moments), so
/// that a checkpoint can save and restore it.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: EngineScalar
    /// The learning rate of the next update (schedules change it).
    var learningRate: Double { get set }
    /// Updates made so far.
    var step: Int { get }
    func update(_ model: UNetS<Scalar>)
    /// The per-parameter state, in `visitParameters` order, one array per state kind and tensor.
    var moments: [[Scalar]] { get }
    /// How many state arrays each parameter tensor has (Adam 2, SGD with momentum 1).
    var momentsPerParameter: Int { get }
    func restore(step: Int, moments: [[Scalar]])
}

/// Adam (Kingma & Ba 2015) with PyTorch's defaults and update:
/// m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − η (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
/// ε = 1e-8 keeps the step finite where a gradient has been 0 so far.
public final class Adam<T: EngineScalar>: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double
    public private(set) var step = 0
    private var firstMoment: [[T]] = [], secondMoment: [[T]] = []

    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        precondition(learningRate > 0 && (0 ..< 1).contains(beta1) && (0 ..< 1).contains(beta2) && epsilon > 0,
                     "Adam needs η > 0, β in [0, 1), ε > 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// All first moments, then all second moments.
    public var moments: [[T]] { firstMoment + secondMoment }
    public var momentsPerParameter: Int { 2 }

    public func restore(step: Int, moments: [[T]]) {
        self.step = step
        firstMoment = Array(moments[..<(moments.count / 2)])
        secondMoment = Array(moments[(moments.count / 2)...])
    }

    /// Specialised for Float: it is called through `any Optimizer`, which would otherwise run
    /// the generic code, several times slower on this hot loop.
    @_specialize(where T == Float)
    public func update(_ model: UNetS<T>) {
        step += 1
        let correction1 = T(1 - Foundation.pow(beta1, Double(step))), correction2 = T(1 - Foundation.pow(beta2, Double(step)))
        let (b1, b2, eps, rate) = (T(beta1), T(beta2), T(epsilon), T(learningRate))
        var index = 0
        model.visitParameters { values, gradient in
            if firstMoment.count <= index {
                firstMoment.append([T](repeating: 0, count: values.count))
                secondMoment.append([T](repeating: 0, count: values.count))
            }
            for j in values.indices {
                let g = gradient[j]
                firstMoment[index][j] = b1 * firstMoment[index][j] + (1 - b1) * g
                secondMoment[index][j] = b2 * secondMoment[index][j] + (1 - b2) * g * g
                let mean = firstMoment[index][j] / correction1, variance = secondMoment[index][j] / correction2
                values[j] -= rate * mean / (variance.squareRoot() + eps)
            }
            index += 1
        }
    }
}


/// SGD with momentum and weight decay (PyTorch's update) under polynomial decay, the paper's
/// Cityscapes setting: g ← g + wd·θ,  v ← μv + g,  θ ← θ − η_t v,  η_t = η₀ (1 − t/T)^0.9.
public final class SGD<T: EngineScalar>: Optimizer {
    public var learningRate: Double
    public let initialLearningRate: Double
    public let momentum: Double, weightDecay: Double
    /// T of the polynomial decay: the run's total steps.
    public let totalSteps: Int
    public private(set) var step = 0
    private var velocity: [[T]] = []

    public init(learningRate: Double, momentum: Double = 0.9, weightDecay: Double = 1e-4, totalSteps: Int) {
        precondition(learningRate > 0 && (0 ..< 1).contains(momentum) && weightDecay >= 0 && totalSteps >= 1,
                     "SGD needs η > 0, momentum in [0, 1), weight decay ≥ 0, T ≥ 1")
        self.learningRate = learningRate
        self.initialLearningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.totalSteps = totalSteps
    }

    public var moments: [[T]] { velocity }
    public var momentsPerParameter: Int { 1 }

    public func restore(step: Int, moments: [[T]]) {
        self.step = step
        velocity = moments
        learningRate = initialLearningRate * Foundation.pow(max(0, 1 - Double(step) / Double(totalSteps)), 0.9)
    }

    @_specialize(where T == Float)
    public func update(_ model: UNetS<T>) {
        let (mu, decay, rate) = (T(momentum), T(weightDecay), T(learningRate))
        var index = 0
        model.visitParameters { values, gradient in
            if velocity.count <= index { velocity.append([T](repeating: 0, count: values.count)) }
            for j in values.indices {
                let g = gradient[j] + decay * values[j]
                velocity[index][j] = mu * velocity[index][j] + g
                values[j] -= rate * velocity[index][j]
            }
            index += 1
        }
        step += 1
        learningRate = initialLearningRate * Foundation.pow(max(0, 1 - Double(step) / Double(totalSteps)), 0.9)
    }
}
