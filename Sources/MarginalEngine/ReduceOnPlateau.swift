/// Lowers an optimiser's learning rate when the validation loss stops improving, like PyTorch's
/// `ReduceLROnPlateau(mode="min", factor=0.5, threshold=1e-4, threshold_mode="rel")` but counting
/// as the paper's retinal setting says: after `patience` evaluations in a row without a new best,
/// η ← factor · η and the count starts again.
///
/// "Better" means below best · (1 − threshold): the relative threshold (PyTorch's default 1e-4)
/// keeps noise-level decreases of a flat loss from resetting the count. A plain value (Codable),
/// so a checkpoint carries it.
public struct ReduceOnPlateau: Sendable, Equatable, Codable {
    public let patience: Int
    public let factor: Double
    public let threshold: Double
    /// The lowest validation loss so far.
    public private(set) var best: Double?
    /// Evaluations since the last new best (or the last reduction).
    public private(set) var evaluationsWithoutImprovement = 0

    public init(patience: Int, factor: Double = 0.5, threshold: Double = 1e-4) {
        precondition(patience >= 1, "ReduceOnPlateau: patience must be ≥ 1, got \(patience)")
        precondition(factor > 0 && factor < 1, "ReduceOnPlateau: the factor must be in (0, 1), got \(factor)")
        precondition(threshold >= 0 && threshold < 1, "ReduceOnPlateau: the threshold must be in [0, 1), got \(threshold)")
        self.patience = patience
        self.factor = factor
        self.threshold = threshold
    }

    /// Records one evaluation; returns the factor to multiply the learning rate by (1 or `factor`).
    public mutating func record(validationLoss loss: Double) -> Double {
        if let best, !(loss < best * (1 - threshold)) {
            evaluationsWithoutImprovement += 1
            if evaluationsWithoutImprovement >= patience {
                evaluationsWithoutImprovement = 0
                return factor
            }
            return 1
        }
        best = loss.isNaN ? best : loss
        evaluationsWithoutImprovement = 0
        return 1
    }

    /// Records one evaluation and applies the result to `optimizer`'s learning rate; returns
    /// whether it was lowered.
    @discardableResult
    public mutating func record<O: Optimizer>(validationLoss loss: Double, adjusting optimizer: O) -> Bool {
        let scale = record(validationLoss: loss)
        if scale < 1 { optimizer.learningRate *= scale }
        return scale < 1
    }
}
