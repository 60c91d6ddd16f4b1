import MarginalCore
import MarginalDatasets

/// The optimiser of a run: Adam, or SGD (momentum 0.9, weight decay 1e-4, polynomial decay).
public enum OptimizerName: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case adam, sgd

    public var description: String { rawValue }
}

/// The engine that trains a run (`marginal train --engine`): marginal's own CPU trainer, or
/// PyTorch (python/examples/train_unet.py under torchrun, DDP), whose rank 0 writes the run folder.
public enum EngineName: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case marginal, pytorch

    public var description: String { rawValue }
}

/// Everything that defines a training run; written to `config.json` (the dataset, loss and
/// optimizer as the strings a user types) and read back on a resume.
public struct RunConfiguration: Codable, Sendable, Equatable {
    public var dataset: DatasetName
    public var loss: LossName
    /// nil: the loss's default λ.
    public var lambda: Double?
    public var tau: Double
    public var steps: Int
    public var batch: Int
    public var learningRate: Double
    public var optimizer: OptimizerName
    public var seed: UInt64
    /// Image side in pixels (a multiple of 4) of a drawn or composited dataset. A folder dataset
    /// is never resized, so `config.json` leaves `size` out for it (and a reader takes 64).
    public var size: Int
    /// UNet-S width w.
    public var width: Int
    public var evalEvery: Int
    public var threads: Int
    /// Evaluations without a better validation loss before Adam's learning rate is halved.
    public var patience: Int
    /// The dataset's class names, recorded when the run starts (so that tables of runs need not
    /// load the data).
    public var classNames: [String]?
    /// The engine that trains the run: nil for marginal's own, "pytorch" for a run written by
    /// python/marginal_torch (`marginal train --engine pytorch`), which marginal monitors and
    /// stops but does not resume.
    public var engine: String?
    /// The processes training the run (torchrun's --nproc-per-node); nil for marginal's one.
    public var processes: Int?

    public init(dataset: DatasetName, loss: LossName, lambda: Double?, tau: Double, steps: Int, batch: Int, learningRate: Double,
                optimizer: OptimizerName, seed: UInt64, size: Int, width: Int, evalEvery: Int, threads: Int, patience: Int = 5) {
        self.dataset = dataset; self.loss = loss; self.lambda = lambda; self.tau = tau; self.steps = steps
        self.batch = batch; self.learningRate = learningRate; self.optimizer = optimizer; self.seed = seed
        self.size = size; self.width = width; self.evalEvery = evalEvery; self.threads = threads; self.patience = patience
    }

    enum CodingKeys: String, CodingKey {
        case dataset, loss, lambda, tau, steps, batch, optimizer, seed, size, width, threads, patience
        case learningRate = "lr", evalEvery = "eval_every", classNames = "class_names", engine, processes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(DatasetName.self, forKey: .dataset)
        loss = try c.decode(LossName.self, forKey: .loss)
        lambda = try c.decodeIfPresent(Double.self, forKey: .lambda)
        tau = try c.decode(Double.self, forKey: .tau)
        steps = try c.decode(Int.self, forKey: .steps)
        batch = try c.decode(Int.self, forKey: .batch)
        learningRate = try c.decode(Double.self, forKey: .learningRate)
        optimizer = try c.decode(OptimizerName.self, forKey: .optimizer)
        seed = try c.decode(UInt64.self, forKey: .seed)
        size = try c.decodeIfPresent(Int.self, forKey: .size) ?? 64
        width = try c.decode(Int.self, forKey: .width)
        evalEvery = try c.decode(Int.self, forKey: .evalEvery)
        threads = try c.decode(Int.self, forKey: .threads)
        patience = try c.decode(Int.self, forKey: .patience)
        classNames = try c.decodeIfPresent([String].self, forKey: .classNames)
        engine = try c.decodeIfPresent(String.self, forKey: .engine)
        processes = try c.decodeIfPresent(Int.self, forKey: .processes)
    }

    /// Why marginal cannot resume this run, or nil: a run of another engine is continued by that
    /// engine, not by marginal's trainer (whose checkpoint it does not have).
    public var resumeRefusal: String? {
        guard let engine, engine != "marginal" else { return nil }
        return "it was trained by \(engine) (torchrun), and marginal resumes only its own runs; start a new run with marginal train --engine \(engine)"
    }

    /// Every key, except `size` for a folder dataset (its images keep their own size).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(loss, forKey: .loss)
        try c.encodeIfPresent(lambda, forKey: .lambda)
        try c.encode(tau, forKey: .tau)
        try c.encode(steps, forKey: .steps)
        try c.encode(batch, forKey: .batch)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(optimizer, forKey: .optimizer)
        try c.encode(seed, forKey: .seed)
        if case .folder = dataset {} else { try c.encode(size, forKey: .size) }
        try c.encode(width, forKey: .width)
        try c.encode(evalEvery, forKey: .evalEvery)
        try c.encode(threads, forKey: .threads)
        try c.encode(patience, forKey: .patience)
        try c.encodeIfPresent(classNames, forKey: .classNames)
        try c.encodeIfPresent(engine, forKey: .engine)
        try c.encodeIfPresent(processes, forKey: .processes)
    }

    /// Every value checked, each failure one line naming the setting (as `config.json` spells
    /// it); the dataset is made (a folder dataset is read and checked) and returned.
    public func validated() throws(MarginalError) -> SegmentationDataset {
        guard (8 ... 512).contains(size), size % 4 == 0 else { throw MarginalError("size \(size): must be a multiple of 4 from 8 to 512") }
        let dataset = try makeDataset(self.dataset, seed: seed, size: size)
        guard dataset.height % 4 == 0, dataset.width % 4 == 0 else {
            throw MarginalError("\(self.dataset): images are \(dataset.width) x \(dataset.height) (width x height); UNet-S needs sides that are multiples of 4")
        }
        if loss.isBinaryOnly && dataset.classes != 2 {
            throw MarginalError("loss \(loss.rawValue) is binary only, but \(dataset.name) has \(dataset.classes) classes")
        }
        if let lambda, !(lambda.isFinite && lambda >= 0) { throw MarginalError("lambda \(lambda): must be a number ≥ 0") }
        guard tau.isFinite, tau > 0 else { throw MarginalError("tau \(tau): must be a positive number") }
        guard steps >= 1 else { throw MarginalError("steps \(steps): must be at least 1") }
        guard (1 ... 512).contains(batch) else { throw MarginalError("batch \(batch): must be 1 to 512") }
        guard learningRate.isFinite, learningRate > 0 else { throw MarginalError("lr \(learningRate): must be a positive number") }
        guard (1 ... 256).contains(width) else { throw MarginalError("width \(width): must be 1 to 256") }
        guard evalEvery >= 1 else { throw MarginalError("eval_every \(evalEvery): must be at least 1") }
        guard (1 ... 1000).contains(patience) else { throw MarginalError("patience \(patience): must be 1 to 1000") }
        guard (1 ... 64).contains(threads) else { throw MarginalError("threads \(threads): must be 1 to 64") }
        return dataset
    }
}
