import MarginalCore

/// Everything that defines a training run; written to `config.json` and checked on `--resume`.
public struct RunConfiguration: Codable, Sendable, Equatable {
    public var dataset: String
    public var loss: String
    /// nil: the loss's default λ.
    public var lambda: Double?
    public var tau: Double
    public var steps: Int
    public var batch: Int
    public var learningRate: Double
    public var optimizer: String
    public var seed: UInt64
    /// Image side in pixels (a multiple of 4).
    public var size: Int
    /// UNet-S width w.
    public var width: Int
    public var evalEvery: Int
    public var threads: Int
    /// Evaluations without a better validation loss before Adam's learning rate is halved.
    public var patience: Int

    public init(dataset: String, loss: String, lambda: Double?, tau: Double, steps: Int, batch: Int, learningRate: Double,
                optimizer: String, seed: UInt64, size: Int, width: Int, evalEvery: Int, threads: Int, patience: Int = 5) {
        self.dataset = dataset; self.loss = loss; self.lambda = lambda; self.tau = tau; self.steps = steps
        self.batch = batch; self.learningRate = learningRate; self.optimizer = optimizer; self.seed = seed
        self.size = size; self.width = width; self.evalEvery = evalEvery; self.threads = threads; self.patience = patience
    }

    enum CodingKeys: String, CodingKey {
        case dataset, loss, lambda, tau, steps, batch, optimizer, seed, size, width, threads, patience
        case learningRate = "lr", evalEvery = "eval_every"
    }

    /// Every value checked, each failure one line naming the flag.
    public func validated() throws(MarginalError) -> (SyntheticDataset, LossName) {
        guard let dataset = SyntheticDataset(rawValue: dataset) else {
            throw MarginalError("--dataset \(dataset): unknown; choose one of \(SyntheticDataset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let loss = LossName(rawValue: loss) else {
            throw MarginalError("--loss \(loss): unknown; choose one of \(LossName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if loss.isBinaryOnly && dataset.classes != 2 {
            throw MarginalError("--loss \(loss.rawValue) is binary only, but \(dataset.rawValue) has \(dataset.classes) classes")
        }
        if let lambda, !(lambda.isFinite && lambda >= 0) { throw MarginalError("--lambda \(lambda): must be a number ≥ 0") }
        guard tau.isFinite, tau > 0 else { throw MarginalError("--tau \(tau): must be a positive number") }
        guard steps >= 1 else { throw MarginalError("--steps \(steps): must be at least 1") }
        guard (1 ... 512).contains(batch) else { throw MarginalError("--batch \(batch): must be 1 to 512") }
        guard learningRate.isFinite, learningRate > 0 else { throw MarginalError("--lr \(learningRate): must be a positive number") }
        guard optimizer == "adam" else { throw MarginalError("--optimizer \(optimizer): only adam is available so far") }
        guard size >= 8, size <= 512, size % 4 == 0 else { throw MarginalError("--size \(size): must be a multiple of 4 from 8 to 512") }
        guard (1 ... 256).contains(width) else { throw MarginalError("--width \(width): must be 1 to 256") }
        guard evalEvery >= 1 else { throw MarginalError("--eval-every \(evalEvery): must be at least 1") }
        guard (1 ... 64).contains(threads) else { throw MarginalError("--threads \(threads): must be 1 to 64") }
        return (dataset, loss)
    }
}
