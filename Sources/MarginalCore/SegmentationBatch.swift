/// A batch of logits and labels: what every loss, penalty and decomposition reads.
///
/// `logits` is `B × K × H × W` in C order (NCHW), `labels` is `B × H × W` with values
/// `0 ..< K`, or `255` for an ignored pixel. A valid batch has finite logits, `2 ≤ K ≤ 254`
/// (255 is taken by the ignore index) and at least one valid pixel.
public struct SegmentationBatch<T: MarginalScalar>: Sendable {
    public let logits: [T]
    public let labels: [UInt8]
    public let batchSize: Int
    public let classes: Int
    public let height: Int
    public let width: Int

    /// The label of a pixel that no loss, penalty or metric counts.
    public static var ignoreIndex: UInt8 { 255 }

    public var pixelsPerImage: Int { height * width }

    /// Checks every precondition of CONVENTIONS.md and says which one fails, in one line.
    public init(logits: [T], labels: [UInt8], batchSize: Int, classes: Int, height: Int, width: Int) throws(MarginalError) {
        guard batchSize > 0, height > 0, width > 0 else {
            throw MarginalError("shape \(batchSize) x \(classes) x \(height) x \(width) has an empty dimension")
        }
        guard classes >= 2, classes <= 254 else {
            throw MarginalError("K = \(classes) classes; K must be from 2 to 254 (255 is the ignore index)")
        }
        let pixels = batchSize * height * width
        guard logits.count == pixels * classes else {
            throw MarginalError("logits hold \(logits.count) values but B x K x H x W = \(pixels * classes)")
        }
        guard labels.count == pixels else {
            throw MarginalError("labels hold \(labels.count) values but B x H x W = \(pixels)")
        }
        if let bad = logits.firstIndex(where: { !$0.isFinite }) {
            throw MarginalError("logit at flat index \(bad) is \(logits[bad]); logits must be finite")
        }
        var anyValid = false
        for (index, label) in labels.enumerated() where label != Self.ignoreIndex {
            guard Int(label) < classes else {
                let b = index / (height * width), h = (index / width) % height, w = index % width
                throw MarginalError("label \(label) at [\(b), \(h), \(w)] is neither a class (K = \(classes)) nor the ignore index 255")
            }
            anyValid = true
        }
        guard anyValid else { throw MarginalError("no valid pixel: every label is the ignore index 255") }
        self.logits = logits
        self.labels = labels
        self.batchSize = batchSize
        self.classes = classes
        self.height = height
        self.width = width
    }

    /// The same labels with other logits of the same shape (used by gradient checks).
    public func replacingLogits(_ newLogits: [T]) -> SegmentationBatch<T> {
        precondition(newLogits.count == logits.count, "replacement logits must keep the shape")
        return SegmentationBatch(unchecked: newLogits, labels, batchSize, classes, height, width)
    }

    private init(unchecked logits: [T], _ labels: [UInt8], _ b: Int, _ k: Int, _ h: Int, _ w: Int) {
        self.logits = logits; self.labels = labels
        self.batchSize = b; self.classes = k; self.height = h; self.width = w
    }
}

extension SegmentationBatch {
    /// The batch's images one above the other as one image, `K × (B·H) × W`: its proportions
    /// (p̂ at any τ, the hard and the true ones) are those of all the batch's pixels together,
    /// as a split's are (`marginal softmax --proportions --run`).
    public func stackedAsOneImage() throws(MarginalError) -> SegmentationBatch<T> {
        let pixels = pixelsPerImage
        var stacked = [T](repeating: 0, count: logits.count)
        for n in 0 ..< batchSize {
            for k in 0 ..< classes {
                let from = (n * classes + k) * pixels, to = (k * batchSize + n) * pixels
                stacked.replaceSubrange(to ..< to + pixels, with: logits[from ..< from + pixels])
            }
        }
        return try SegmentationBatch(logits: stacked, labels: labels, batchSize: 1, classes: classes, height: batchSize * height, width: width)
    }
}
