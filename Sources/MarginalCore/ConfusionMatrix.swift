/// Counts of (target class, predicted class) over the valid pixels, and the per-class metrics
/// read off them. Follows reset / accumulate / measure: make one, `accumulate` batch after batch,
/// then read `iou`, `dice`, the proportions.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classes: Int
    /// K × K, row = target, column = prediction.
    public private(set) var counts: [Int]

    public init(classes: Int) {
        precondition(classes >= 1, "a confusion matrix needs at least one class")
        self.classes = classes
        counts = [Int](repeating: 0, count: classes * classes)
    }

    /// Adds one (prediction, target) pair per pixel; a target of 255 (ignored) is skipped.
    /// Every other value must be a class: a caller passing anything else is a bug.
    public mutating func accumulate(predicted: some Collection<Int>, target: some Collection<Int>) {
        precondition(predicted.count == target.count, "prediction and target differ in size")
        for (p, t) in zip(predicted, target) where t != 255 {
            precondition((0 ..< classes).contains(p) && (0 ..< classes).contains(t), "class out of range")
            counts[t * classes + p] += 1
        }
    }

    public func count(target: Int, predicted: Int) -> Int { counts[target * classes + predicted] }

    private var truePositives: [Int] { (0 ..< classes).map { count(target: $0, predicted: $0) } }
    private var targetTotals: [Int] { (0 ..< classes).map { k in (0 ..< classes).reduce(0) { $0 + count(target: k, predicted: $1) } } }
    private var predictedTotals: [Int] { (0 ..< classes).map { k in (0 ..< classes).reduce(0) { $0 + count(target: $1, predicted: k) } } }
    public var validPixels: Int { counts.reduce(0, +) }

    /// IoU_k = TP / (TP + FP + FN); nil when class k is absent from both prediction and target.
    public var iou: [Double?] {
        let tp = truePositives, target = targetTotals, predicted = predictedTotals
        return (0 ..< classes).map { k in
            let union = target[k] + predicted[k] - tp[k]
            return union == 0 ? nil : Double(tp[k]) / Double(union)
        }
    }

    /// The mean of the non-nil IoUs; nil when there are none.
    public var meanIoU: Double? {
        let present = iou.compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
    }

    /// Dice_k = 2 TP / (2 TP + FP + FN); nil when class k is absent from both.
    public var dice: [Double?] {
        let tp = truePositives, target = targetTotals, predicted = predictedTotals
        return (0 ..< classes).map { k in
            let total = target[k] + predicted[k]
            return total == 0 ? nil : 2 * Double(tp[k]) / Double(total)
        }
    }

    /// The share of valid pixels predicted as each class (the "hard" proportion); 0s when empty.
    public var predictedProportion: [Double] {
        let total = Double(max(validPixels, 1))
        return predictedTotals.map { Double($0) / total }
    }

    /// ŷ over the valid pixels; 0s when empty.
    public var targetProportion: [Double] {
        let total = Double(max(validPixels, 1))
        return targetTotals.map { Double($0) / total }
    }
}
