import MarginalCore

/// Random logits and labels of a given shape: logits uniform in ±`spread`, about one pixel in
/// `ignoreEvery` ignored (255), and the classes in `absentInFirstImage` never used in image 0,
/// so that every test input has ignored pixels and an absent class.
public func randomBatch(
    batchSize: Int = 2, classes: Int = 4, height: Int = 3, width: Int = 5, spread: Double = 3,
    ignoreEvery: Int = 6, absentInFirstImage: Set<Int> = [2], seed: UInt64 = 1
) -> SegmentationBatch<Double> {
    var generator = SeededGenerator(seed: seed)
    let pixels = batchSize * height * width
    let logits = (0 ..< pixels * classes).map { _ in Double.random(in: -spread ... spread, using: &generator) }
    var labels = [UInt8](repeating: 0, count: pixels)
    for i in 0 ..< pixels {
        if Int.random(in: 0 ..< ignoreEvery, using: &generator) == 0 { labels[i] = 255; continue }
        var label = Int.random(in: 0 ..< classes, using: &generator)
        while i < height * width && absentInFirstImage.contains(label) { label = Int.random(in: 0 ..< classes, using: &generator) }
        labels[i] = UInt8(label)
    }
    // Every image keeps at least one valid pixel.
    for image in 0 ..< batchSize where labels[image * height * width] == 255 { labels[image * height * width] = 0 }
    return try! SegmentationBatch(logits: logits, labels: labels, batchSize: batchSize, classes: classes,
                                  height: height, width: width)
}

extension SegmentationBatch {
    /// The same batch in another floating-point type.
    public func converted<U: MarginalScalar>(to _: U.Type) -> SegmentationBatch<U> {
        try! SegmentationBatch<U>(logits: logits.map { U($0) }, labels: labels, batchSize: batchSize,
                                  classes: classes, height: height, width: width)
    }
}
