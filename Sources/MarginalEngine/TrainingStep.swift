import MarginalCore

/// One optimisation step: forward, the loss and its gradient with respect to the logits from
/// MarginalCore (the same code every other face uses), backward, the optimiser's update.
/// Returns the loss before the update and, with `withTerms`, each weighted term of the loss by
/// name (`ce`, `l1`, …) measured on the same logits.
public func trainingStep<T: EngineScalar>(
    model: UNetS<T>, optimizer: any Optimizer<T>, images: Tensor<T>, labels: [UInt8], loss: LossName, lambda: Double?,
    settings: LossSettings, threads: Int, withTerms: Bool = false
) throws(MarginalError) -> (loss: Double, terms: [String: Double]) {
    model.zeroGradients()
    let logits = model.forward(images)
    let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: logits.batch, classes: logits.channels,
                                      height: logits.height, width: logits.width)
    let result = try evaluateLoss(loss, on: batch, lambda: lambda, settings: settings, threads: threads)
    var terms: [String: Double] = [:]
    if withTerms {
        for (weight, term) in loss.terms(lambda: lambda) {
            terms[term.name] = try evaluateLoss([(weight, term)], on: batch, settings: settings, gradient: false, threads: threads).value
        }
    }
    model.backward(Tensor(shape: logits.shape, values: result.gradient))
    optimizer.update(model)
    return (result.value, terms)
}

/// The training step in `Float`, wrapped here inside the engine so that the whole step is
/// compiled for `Float` (generic code called from another module would not be specialised).
public final class FloatTrainingStep {
    public let model: UNetS<Float>
    public let optimizer: any Optimizer<Float>
    public let loss: LossName
    public let lambda: Double?
    public let settings: LossSettings
    public let threads: Int

    public init(model: UNetS<Float>, optimizer: any Optimizer<Float>, loss: LossName, lambda: Double?, settings: LossSettings, threads: Int) {
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.lambda = lambda
        self.settings = settings
        self.threads = threads
        model.threads = threads
        // marginal spreads images over its own threads; each matrix product runs on one.
        setMatrixThreads(1)
        keepFreedMemoryForReuse()
    }

    public func run(images: Tensor<Float>, labels: [UInt8], withTerms: Bool = false) throws(MarginalError) -> (loss: Double, terms: [String: Double]) {
        try trainingStep(model: model, optimizer: optimizer, images: images, labels: labels, loss: loss, lambda: lambda,
                         settings: settings, threads: threads, withTerms: withTerms)
    }
}
