/// Something with trainable parameters: each tensor visited in a fixed order with its gradient.
public protocol Trainable: AnyObject {
    associatedtype Scalar: EngineScalar
    func visitParameters(_ body: (_ values: inout [Scalar], _ gradient: [Scalar]) -> Void)
}

extension UNetS: Trainable {
    public func visitParameters(_ body: (inout [T], [T]) -> Void) {
        for conv in convolutions {
            body(&conv.weight, conv.weightGradient)
            body(&conv.bias, conv.biasGradient)
        }
    }
}

/// Adam (Kingma & Ba 2015) with PyTorch's defaults and update:
/// m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − η (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
/// ε = 1e-8 keeps the step finite where a gradient has been 0 so far.
public final class Adam<T: EngineScalar> {
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

    /// The moments, for checkpoints: (step, first moments, second moments), one array a parameter tensor.
    public var state: (step: Int, first: [[T]], second: [[T]]) { (step, firstMoment, secondMoment) }

    public func restore(step: Int, first: [[T]], second: [[T]]) {
        self.step = step
        firstMoment = first
        secondMoment = second
    }

    public func update<Model: Trainable>(_ model: Model) where Model.Scalar == T {
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

import Foundation
