import MarginalCore
import MarginalDatasets
import MarginalRuns

/// Runs the model over `split` in batches and measures it; the loss is the run's own. `observe`
/// sees each batch's logits and labels (for `marginal eval --save-logits` and `--decompose`).
public func evaluate(model: UNetS<Float>, dataset: SegmentationDataset, split: DatasetSplit, configuration: RunConfiguration,
                     loss: LossName, observe: ((SegmentationBatch<Float>) -> Void)? = nil) throws(MarginalError) -> EvaluationResult {
    let classes = dataset.classes, (height, width) = (dataset.height, dataset.width), pixels = height * width
    let samplesOfSplit = dataset[split]
    let count = samplesOfSplit.count
    var confusion = ConfusionMatrix(classes: classes)
    var softSum = [Double](repeating: 0, count: classes), temperedSum = softSum
    var lossSum = 0.0, batches = 0.0
    var decomposition = DecompositionMean()
    var hd95: [Double] = [], nsd: [Double] = []
    var start = 0
    while start < count {
        let assembled = samplesOfSplit.batch(Array(start ..< min(count, start + configuration.batch)))
        let images = Tensor<Float>(shape: [assembled.count, dataset.channels, height, width], values: assembled.images)
        let labels = assembled.masks
        let logits = model.forward(images)
        // A batch whose every pixel is ignored has nothing to measure.
        guard labels.contains(where: { $0 != 255 }) else { start += configuration.batch; continue }
        let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: assembled.count, classes: classes,
                                          height: height, width: width)
        lossSum += try evaluateLoss(loss, on: batch, lambda: configuration.lambda,
                                    settings: LossSettings(temperature: configuration.tau), gradient: false).value
        batches += 1
        observe?(batch)
        decomposition.add(batch)
        for row in labelMarginals(batch, temperature: 1).predicted { if let row { for k in 0 ..< classes { softSum[k] += row[k] } } }
        // p̂ at the run's τ, the marginal the label-marginal penalties see.
        for row in labelMarginals(batch, temperature: configuration.tau).predicted { if let row { for k in 0 ..< classes { temperedSum[k] += row[k] } } }
        let predictions = predictedLabels(batch)
        for index in 0 ..< assembled.count {
            let mask = labels[index * pixels ..< (index + 1) * pixels]
            let prediction = predictions[index * pixels ..< (index + 1) * pixels].map(Int.init)
            confusion.accumulate(predicted: prediction, target: mask.map(Int.init))
            if classes == 2 {
                // Ignored pixels (255) count in neither mask.
                let predicted = zip(prediction, mask).map { $0 == 1 && $1 != 255 }, target = mask.map { $0 == 1 }
                if let h = hausdorffDistance95(predicted: predicted, target: target, height: height, width: width), h.isFinite { hd95.append(h) }
                if let n = normalizedSurfaceDice(predicted: predicted, target: target, height: height, width: width, tolerance: 2) { nsd.append(n) }
            }
        }
        start += configuration.batch
    }
    return EvaluationResult(
        iou: confusion.iou, miou: confusion.meanIoU, dice: confusion.dice,
        predProportion: softSum.map { $0 / Double(count) }, hardProportion: confusion.predictedProportion,
        targetProportion: confusion.targetProportion, loss: batches > 0 ? lossSum / batches : .nan,
        hd95: hd95.isEmpty ? nil : hd95.reduce(0, +) / Double(hd95.count),
        nsd: nsd.isEmpty ? nil : nsd.reduce(0, +) / Double(nsd.count),
        temperedProportion: temperedSum.map { $0 / Double(count) },
        crossEntropyTerms: decomposition.value.map(CrossEntropyTerms.init)
    )
}
