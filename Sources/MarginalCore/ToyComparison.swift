/// Every loss trained on the same toy with the same settings: the toy version of the paper's
/// Table 4 (rows = losses; per-class IoU, hard proportion against ŷ, mIoU).
public struct ToyComparison: Sendable, Equatable {
    public let image: ToyImage
    public let steps: Int
    public let rows: [(loss: LossName, report: ToyReport)]

    /// The steps of `marginal toy --compare` and of the explorer's comparison (docs/toy.md's).
    public static let defaultSteps = 300

    /// Trains each loss for `steps`. `progress(done, total)` hears every 10 steps trained (of
    /// all the losses'); answering false stops the comparison, which then throws.
    public init(image: ToyImage, steps: Int, lambda: Double?, temperature: Double, optimizer: ToyOptimizer,
                learningRate: Double, progress: (_ done: Int, _ total: Int) -> Bool = { _, _ in true }) throws(MarginalError) {
        var rows: [(LossName, ToyReport)] = []
        let losses = LossName.available(classes: image.classes)
        let total = losses.count * steps
        for (index, loss) in losses.enumerated() {
            var run = try ToyRun(image: image, loss: loss, lambda: lambda, temperature: temperature, optimizer: optimizer,
                                 learningRate: learningRate)
            for step in 0 ..< steps {
                run.advance()
                if (step + 1) % 10 == 0, !progress(index * steps + step + 1, total) {
                    throw MarginalError("the comparison was stopped")
                }
            }
            rows.append((loss, run.report()))
        }
        self.image = image
        self.steps = steps
        self.rows = rows
    }
}

extension ToyComparison {
    public static func == (a: ToyComparison, b: ToyComparison) -> Bool {
        a.image == b.image && a.steps == b.steps && a.rows.map(\.loss) == b.rows.map(\.loss) && a.rows.map(\.report) == b.rows.map(\.report)
    }
}
