/// How the toy model's parameters move.
public enum ToyOptimizer: String, CaseIterable, Sendable {
    /// θ ← θ − η g
    case gd
    /// Adam (Kingma & Ba) with PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    case adam
}

/// What one toy step shows: the loss and its parts, the proportions, the per-class IoU.
public struct ToyReport: Sendable, Equatable {
    public let step: Int
    public let loss: Double
    /// Each weighted term of the loss by name (`ce`, `l1`, `dice`, …), so λ·R reads directly.
    public let terms: [String: Double]
    /// The paper's decomposition of the current prediction (τ = 1): CE's entropy and KL, Dice's df and db.
    public let decomposition: Decomposition
    /// p̂ at τ = 1: the soft proportion CE matches.
    public let softProportion: [Double]
    /// p̂ at the loss's τ: what a label-marginal penalty sees.
    public let temperedProportion: [Double]
    /// The proportion of pixels whose argmax is each class.
    public let hardProportion: [Double]
    public let targetProportion: [Double]
    public let iou: [Double?]
    public let meanIoU: Double?
    /// argmax_k p_ki, row-major.
    public let prediction: [UInt8]
}

/// A toy run: a per-pixel softmax regression, z_ki = Σ_d W_kd f_di + b_k, trained on one toy
/// image with any loss of CONVENTIONS.md through the same `evaluateLoss` as everything else.
/// ∂L/∂W_kd = Σ_i (∂L/∂z_ki) f_di,  ∂L/∂b_k = Σ_i ∂L/∂z_ki.
public struct ToyRun: Sendable {
    public let image: ToyImage
    public let loss: LossName
    /// nil: the loss's default λ.
    public let lambda: Double?
    public let settings: LossSettings
    public let optimizer: ToyOptimizer
    public let learningRate: Double
    public private(set) var step = 0
    /// K × (D + 1): each class's D weights, then its bias. Starts at 0 (p uniform).
    public private(set) var parameters: [Double]
    private var firstMoment: [Double]
    private var secondMoment: [Double]

    /// The step size of the toy's Adam, the CLI's `--lr` default and the explorer's.
    public static let defaultLearningRate = 0.05

    public init(image: ToyImage, loss: LossName, lambda: Double? = nil, temperature: Double = 10,
                optimizer: ToyOptimizer = .adam, learningRate: Double = ToyRun.defaultLearningRate) throws(MarginalError) {
        if loss.isBinaryOnly && image.classes != 2 {
            throw MarginalError("loss \(loss.rawValue) is binary only (K = 2); scenario \(image.scenario.rawValue) has K = \(image.classes)")
        }
        guard learningRate.isFinite, learningRate > 0 else { throw MarginalError("--lr \(learningRate): must be a positive number") }
        if let lambda, !(lambda.isFinite && lambda >= 0) { throw MarginalError("--lambda \(lambda): must be a number ≥ 0") }
        guard temperature.isFinite, temperature > 0 else { throw MarginalError("--tau \(temperature): must be a positive number") }
        self.image = image
        self.loss = loss
        self.lambda = lambda
        self.settings = LossSettings(temperature: temperature)
        self.optimizer = optimizer
        self.learningRate = learningRate
        let count = image.classes * (ToyImage.featureCount + 1)
        parameters = [Double](repeating: 0, count: count)
        firstMoment = parameters
        secondMoment = parameters
    }

    /// z = W f + b for every pixel, as a batch of one image.
    public func logits() -> SegmentationBatch<Double> {
        let classes = image.classes, pixels = image.pixels, features = ToyImage.featureCount
        var logits = [Double](repeating: 0, count: classes * pixels)
        for k in 0 ..< classes {
            let row = k * (features + 1)
            for i in 0 ..< pixels {
                var z = parameters[row + features]
                for d in 0 ..< features { z += parameters[row + d] * image.features[d * pixels + i] }
                logits[k * pixels + i] = z
            }
        }
        // The toy's labels are always valid and its logits finite, so this cannot fail.
        return try! SegmentationBatch(logits: logits, labels: image.labels, batchSize: 1, classes: classes,
                                      height: image.height, width: image.width)
    }

    /// One gradient step on the loss.
    public mutating func advance() {
        let batch = logits()
        // Settings were validated in init; the loss accepts this batch by construction.
        let gradient = try! evaluateLoss(loss, on: batch, lambda: lambda, settings: settings).gradient
        let classes = image.classes, pixels = image.pixels, features = ToyImage.featureCount
        var parameterGradient = [Double](repeating: 0, count: parameters.count)
        for k in 0 ..< classes {
            let row = k * (features + 1)
            for i in 0 ..< pixels {
                let g = gradient[k * pixels + i]
                for d in 0 ..< features { parameterGradient[row + d] += g * image.features[d * pixels + i] }
                parameterGradient[row + features] += g
            }
        }
        step += 1
        switch optimizer {
        case .gd:
            for j in parameters.indices { parameters[j] -= learningRate * parameterGradient[j] }
        case .adam:
            // The one Adam rule (the engine's too), with PyTorch's defaults.
            let rule = AdamRule<Double>(learningRate: learningRate, step: step)
            for j in parameters.indices {
                rule.update(&parameters[j], gradient: parameterGradient[j], m: &firstMoment[j], v: &secondMoment[j])
            }
        }
    }

    /// The current state, measured.
    public func report() -> ToyReport {
        let batch = logits()
        let classes = image.classes
        var terms: [String: Double] = [:]
        var total = 0.0
        for (weight, term) in loss.terms(lambda: lambda) {
            let value = try! evaluateLoss([(weight, term)], on: batch, settings: settings, gradient: false).value
            terms[term.name] = value
            total += value
        }
        let prediction = predictedLabels(batch)
        var confusion = ConfusionMatrix(classes: classes)
        confusion.accumulate(predicted: prediction.map(Int.init), target: image.labels.map(Int.init))
        return ToyReport(
            step: step, loss: total, terms: terms, decomposition: decompose(batch),
            softProportion: labelMarginals(batch, temperature: 1).predicted[0]!,
            temperedProportion: labelMarginals(batch, temperature: settings.temperature).predicted[0]!,
            hardProportion: confusion.predictedProportion, targetProportion: image.targetProportion,
            iou: confusion.iou, meanIoU: confusion.meanIoU, prediction: prediction
        )
    }
}

extension LossTerm {
    /// The name a report gives the term: `ce`, `focal`, `dice`, `log_dice`, `dice1`, `log_dice1`,
    /// `gdice`, or the penalty's name.
    public var name: String {
        switch self {
        case .crossEntropy: "ce"
        case .focal: "focal"
        case .dice(let logarithmic, let foregroundOnly): (logarithmic ? "log_dice" : "dice") + (foregroundOnly ? "1" : "")
        case .generalizedDice: "gdice"
        case .marginal(let penalty): penalty.rawValue
        }
    }
}
