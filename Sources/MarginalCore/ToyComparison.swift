/// Every loss trained on the same toy with the same settings: the toy version of the paper's
/// Table 4 (rows = losses; per-class IoU, hard proportion against ŷ, mIoU).
public struct ToyComparison: Sendable {
    public let image: ToyImage
    public let steps: Int
    public let rows: [(loss: LossName, report: ToyReport)]

    /// The steps of `marginal toy --compare` and of the explorer's comparison (docs/toy.md's).
    public static let defaultSteps = 300

    public init(image: ToyImage, steps: Int, lambda: Double?, temperature: Double, optimizer: ToyOptimizer,
                learningRate: Double) throws(MarginalError) {
        var rows: [(LossName, ToyReport)] = []
        for loss in LossName.available(classes: image.classes) {
            var run = try ToyRun(image: image, loss: loss, lambda: lambda, temperature: temperature, optimizer: optimizer,
                                 learningRate: learningRate)
            for _ in 0 ..< steps { run.advance() }
            rows.append((loss, run.report()))
        }
        self.image = image
        self.steps = steps
        self.rows = rows
    }
}
