import MarginalCore
import MarginalDatasets
import MarginalRuns

/// The preview's image: of the first 16 validation images, the one with the most pixels that are
/// not background (class 0) — a lesion to look at, not an empty field.
func previewSample(of dataset: SegmentationDataset) -> Int {
    let candidates = 0 ..< min(16, dataset.validation.count)
    return candidates.max { a, b in
        dataset.validation[a].mask.count { $0 != 0 && $0 != 255 } < dataset.validation[b].mask.count { $0 != 0 && $0 != 255 }
    } ?? 0
}

/// The model's prediction of one validation image, with its truth.
func makePreview(model: UNetS<Float>, dataset: SegmentationDataset, index: Int) throws(MarginalError) -> RunPreview {
    let sample = dataset.validation[index]
    let images = Tensor<Float>(shape: [1, dataset.channels, dataset.height, dataset.width], values: sample.image)
    let logits = model.forward(images)
    let batch = try SegmentationBatch(logits: logits.values, labels: sample.mask, batchSize: 1, classes: dataset.classes,
                                      height: dataset.height, width: dataset.width)
    return try RunPreview(width: dataset.width, height: dataset.height, truth: sample.mask, prediction: predictedLabels(batch))
}
