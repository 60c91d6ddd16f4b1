import MarginalCore

/// One evaluation of a model on a split: per-class IoU and Dice (hard predictions), HD95 and NSD
/// (binary: the mean over images where they are defined and finite), and the proportions.
public struct EvaluationResult: Codable, Sendable, Equatable {
    public var iou: [Double?]
    public var miou: Double?
    public var dice: [Double?]
    /// Mean over images of the soft p̂ (τ = 1).
    public var predProportion: [Double]
    /// Share of pixels whose argmax is each class.
    public var hardProportion: [Double]
    public var targetProportion: [Double]
    /// Mean over images of p̂ at the run's temperature τ: the marginal that L1 and KL penalise
    /// (CONVENTIONS.md). nil in evaluations written before it was recorded.
    public var temperedProportion: [Double]?
    /// Prop. 2 on the split's logits: CE = H(F|K) + KL(ŷ‖p̂) + H(ŷ), by MarginalCore's
    /// `DecompositionMean` (τ = 1, mean over images). nil in evaluations written before it was recorded.
    public var crossEntropyTerms: CrossEntropyTerms?
    public var loss: Double
    public var hd95: Double?
    public var nsd: Double?

    public init(iou: [Double?], miou: Double?, dice: [Double?], predProportion: [Double], hardProportion: [Double],
                targetProportion: [Double], loss: Double, hd95: Double?, nsd: Double?, temperedProportion: [Double]? = nil,
                crossEntropyTerms: CrossEntropyTerms? = nil) {
        self.iou = iou; self.miou = miou; self.dice = dice; self.predProportion = predProportion
        self.hardProportion = hardProportion; self.targetProportion = targetProportion; self.loss = loss
        self.hd95 = hd95; self.nsd = nsd; self.temperedProportion = temperedProportion
        self.crossEntropyTerms = crossEntropyTerms
    }

    enum CodingKeys: String, CodingKey {
        case iou, miou, dice, loss, hd95, nsd
        case predProportion = "pred_proportion", hardProportion = "hard_proportion", targetProportion = "target_proportion"
        case temperedProportion = "tempered_proportion"
        case crossEntropyTerms = "decomposition"
    }
}

/// The eval line's `"decomposition"`: Prop. 2's three terms and the CE they add up to, named as
/// in `marginal decompose --json` (CONVENTIONS.md, "Decomposition").
public struct CrossEntropyTerms: Codable, Sendable, Equatable {
    /// H(F|K), CE's ground-truth matching term (can be negative: a differential entropy).
    public var entropy: Double
    /// KL(ŷ ‖ p̂¹), CE's hidden label-marginal bias.
    public var kl: Double
    /// H(ŷ), the labels' entropy.
    public var labelEntropy: Double
    /// CE = entropy + kl + labelEntropy (to rounding).
    public var crossEntropy: Double

    public init(entropy: Double, kl: Double, labelEntropy: Double, crossEntropy: Double) {
        self.entropy = entropy; self.kl = kl; self.labelEntropy = labelEntropy; self.crossEntropy = crossEntropy
    }

    public init(_ decomposition: Decomposition) {
        self.init(entropy: decomposition.entropy, kl: decomposition.kl, labelEntropy: decomposition.labelEntropy,
                  crossEntropy: decomposition.crossEntropy)
    }

    enum CodingKeys: String, CodingKey {
        case entropy, kl
        case labelEntropy = "label_entropy", crossEntropy = "ce"
    }
}
