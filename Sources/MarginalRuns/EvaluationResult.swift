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
    public var loss: Double
    public var hd95: Double?
    public var nsd: Double?

    public init(iou: [Double?], miou: Double?, dice: [Double?], predProportion: [Double], hardProportion: [Double],
                targetProportion: [Double], loss: Double, hd95: Double?, nsd: Double?, temperedProportion: [Double]? = nil) {
        self.iou = iou; self.miou = miou; self.dice = dice; self.predProportion = predProportion
        self.hardProportion = hardProportion; self.targetProportion = targetProportion; self.loss = loss
        self.hd95 = hd95; self.nsd = nsd; self.temperedProportion = temperedProportion
    }

    enum CodingKeys: String, CodingKey {
        case iou, miou, dice, loss, hd95, nsd
        case predProportion = "pred_proportion", hardProportion = "hard_proportion", targetProportion = "target_proportion"
        case temperedProportion = "tempered_proportion"
    }
}
