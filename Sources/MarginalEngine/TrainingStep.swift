import Foundation
import MarginalCore

/// One optimisation step of UNet-S: forward, the loss and ∂loss/∂logits from MarginalCore's
/// `evaluateLoss` (the same code every other face of marginal uses), backward, the optimiser's
/// update. The loss's passes use the network's thread count.
public final class TrainingStep<T: EngineScalar> {
    public let model: UNetS<T>
    public let optimizer: any Optimizer<T>
    public let loss: LossName
    /// λ of a composite loss; nil takes the loss's default.
    public let lambda: Double?
    public let settings: LossSettings
    public let threads: Int

    public init(model: UNetS<T>, optimizer: any Optimizer<T>, loss: LossName, lambda: Double?, settings: LossSettings,
                threads: Int) {
        precondition(threads >= 1, "a training step needs at least 1 thread")
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.lambda = lambda
        self.settings = settings
        self.threads = threads
        model.threads = threads
    }

    /// One step on `images` `[B, C, H, W]` and `labels` `[B, H, W]` (class indices, 255 =
    /// ignored). Returns the loss before the update and, with `withTerms`, each weighted term by
    /// name (`ce`, `l1`, …) on the same logits. Images of a shape the network cannot take, or a
    /// batch the loss refuses (labels out of range or of the wrong count, no valid pixel,
    /// non-finite logits), are a `MarginalError`, and the parameters are left unchanged.
    @_specialize(where T == Float)
    public func run(images: Tensor<T>, labels: [UInt8], withTerms: Bool = false) throws(MarginalError)
        -> (loss: Double, terms: [String: Double]) {
        try model.validateInput(shape: images.shape)
        let logits = model.forward(images)
        let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: logits.batch,
                                          classes: logits.channels, height: logits.height, width: logits.width)
        let result = try evaluateLoss(loss, on: batch, lambda: lambda, settings: settings, threads: threads)
        var terms: [String: Double] = [:]
        if withTerms {
            for (weight, term) in loss.terms(lambda: lambda) {
                terms[term.name] = try evaluateLoss([(weight, term)], on: batch, settings: settings, gradient: false,
                                                    threads: threads).value
            }
        }
        model.zeroGradients()
        model.backward(Tensor(shape: logits.shape, values: result.gradient))
        optimizer.update(&model.parameters)
        return (result.value, terms)
    }
}

/// The training step in `Float` (the name the trainer and the benchmark use).
public typealias FloatTrainingStep = TrainingStep<Float>
