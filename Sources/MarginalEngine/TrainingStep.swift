import MarginalCore

/// One optimisation step: forward, the loss and its gradient with respect to the logits from
/// MarginalCore (the same code every other face uses), backward, the optimiser's update.
/// Returns the loss value before the update.
public func trainingStep<T: EngineScalar>(
    model: UNetS<T>, optimizer: Adam<T>, images: Tensor<T>, labels: [UInt8], loss: LossName, lambda: Double?,
    settings: LossSettings, threads: Int
) throws(MarginalError) -> Double {
    model.zeroGradients()
    let logits = model.forward(images)
    let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: logits.batch, classes: logits.channels,
                                      height: logits.height, width: logits.width)
    let result = try evaluateLoss(loss, on: batch, lambda: lambda, settings: settings, threads: threads)
    model.backward(Tensor(shape: logits.shape, values: result.gradient))
    optimizer.update(model)
    return result.value
}

/// The benchmark's step, `Float` throughout; here, inside the engine, so that the whole step
/// is compiled for `Float` (generic code called from another module would not be specialised).
public final class FloatTrainingStep {
    public let model: UNetS<Float>
    public let optimizer: Adam<Float>
    public let loss: LossName
    public let lambda: Double?
    public let settings: LossSettings
    public let threads: Int

    public init(model: UNetS<Float>, optimizer: Adam<Float>, loss: LossName, lambda: Double?, settings: LossSettings, threads: Int) {
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

    public func run(images: Tensor<Float>, labels: [UInt8]) throws(MarginalError) -> Double {
        try trainingStep(model: model, optimizer: optimizer, images: images, labels: labels, loss: loss, lambda: lambda,
                         settings: settings, threads: threads)
    }
}
