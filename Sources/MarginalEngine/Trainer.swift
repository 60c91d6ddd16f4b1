import Dispatch
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalRuns

/// What the trainer reports after each step, for progress bars.
public struct TrainingProgress: Sendable {
    public let step: Int
    public let steps: Int
    public let loss: Double
    public let secondsPerStep: Double
    public let lastMIoU: Double?
}

/// Trains UNet-S on a dataset with one loss, writing the run folder as it goes.
public final class Trainer {
    public let configuration: RunConfiguration
    public let run: RunDirectory
    let dataset: SegmentationDataset
    let loss: LossName
    let model: UNetS<Float>
    let optimizer: any Optimizer<Float>
    let step: FloatTrainingStep
    var info: CheckpointInfo
    /// Seconds already trained before this process (from the checkpoint's last metrics line).
    var elapsedBefore = 0.0
    /// The run's lock, held while this trainer lives.
    let lock: RunLock
    /// The validation image shown in `preview.png`.
    let previewIndex: Int
    /// This process's TensorBoard event file in the run folder: every metrics line's scalars
    /// (`TensorBoardTags`), and the configuration as text.
    let events: TensorBoardEventWriter

    /// A new run (the folder must not exist) or, with `resume`, the run in that folder continued
    /// from its checkpoint with its own configuration.
    /// `extendingTo`, with `resume`: the run's new total of steps (a finished run continues to
    /// it; config.json records it). SGD's polynomial decay then spans the new total.
    public init(configuration: RunConfiguration, run: RunDirectory, resume: Bool, extendingTo steps: Int? = nil) throws(MarginalError) {
        var configuration = resume ? try run.read(RunConfiguration.self, from: .configuration) : configuration
        if resume, let steps { configuration.steps = steps }
        let dataset = try configuration.validated()
        let loss = configuration.loss
        self.configuration = configuration
        self.run = run
        self.dataset = dataset
        self.loss = loss
        previewIndex = previewSample(of: dataset)
        model = UNetS<Float>(inputChannels: dataset.channels, classes: dataset.classes, width: configuration.width, seed: configuration.seed)
        optimizer = makeOptimizer(configuration)
        step = FloatTrainingStep(model: model, optimizer: optimizer, loss: loss, lambda: configuration.lambda,
                                 settings: LossSettings(temperature: configuration.tau), threads: configuration.threads)
        info = CheckpointInfo(step: 0, epoch: 0, learningRate: configuration.learningRate,
                              plateau: ReduceOnPlateau(patience: configuration.patience), bestMIoU: nil)
        if resume {
            guard run.exists else { throw MarginalError("\(run.url.path): no such run to resume") }
            lock = try RunLock(run)
            info = try loadCheckpoint(of: run, into: model, optimizer: optimizer)
            optimizer.learningRate = info.learningRate
            if let steps {
                guard steps >= info.step else {
                    throw MarginalError("--steps \(steps) is below the step \(info.step) \(run.url.lastPathComponent) has reached; a run is extended, never shortened")
                }
                // The new total, at the run's start time (which config.json's date gives the lists).
                let path = run.file(.configuration).path
                let started = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate]
                try run.write(configuration, to: .configuration)
                if let started { try? FileManager.default.setAttributes([.modificationDate: started], ofItemAtPath: path) }
            }
            // A file of its own, after the earlier ones; TensorBoard drops what they logged
            // after the checkpoint (as `truncateMetrics` does), so the curves continue as one.
            events = try TensorBoardEventWriter(folder: run.url)
            try truncateMetrics(after: info.step)
            try events.writeStart(step: info.step + 1)
            try events.write(text: configurationMarkdown(configuration), tag: TensorBoardTags.configuration, step: info.step + 1)
        } else {
            guard !run.exists else {
                throw MarginalError("\(run.url.path): a run with this name exists; pick another name or resume it")
            }
            try run.create()
            lock = try RunLock(run)
            // The status first: a reader lists a folder once its config.json exists, and then
            // finds it running, never without a status.
            try run.write(RunStatus(status: .running, pid: getpid(), step: 0), to: .status)
            var recorded = configuration
            recorded.classNames = dataset.classNames
            try run.write(recorded, to: .configuration)
            events = try TensorBoardEventWriter(folder: run.url)
            try events.write(text: configurationMarkdown(recorded), tag: TensorBoardTags.configuration, step: 0)
        }
    }

    var trainSize: Int { dataset.train.count }

    /// Trains to `configuration.steps` or until SIGINT/SIGTERM; returns the final status.
    /// Batches come from a `BatchLoader`, which draws the next ones on a background thread while
    /// the current one trains, in a seeded order per epoch (so a resumed run sees exactly the
    /// batches the uninterrupted one would have).
    public func train(progress: (TrainingProgress) -> Void) -> RunStatus {
        do {
            try run.write(RunStatus(status: .running, pid: getpid(), step: info.step), to: .status)
            let started = DispatchTime.now().uptimeNanoseconds
            func now() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
            let loader = BatchLoader(samples: dataset.train, batchSize: configuration.batch, seed: configuration.seed,
                                     firstStep: info.step + 1, lastStep: configuration.steps)
            defer { loader.stop() }
            var lastMIoU = info.bestMIoU
            let firstStep = info.step
            while info.step < configuration.steps {
                if isStopRequested { break }
                guard let (n, batch) = loader.next() else { break }
                let images = Tensor<Float>(shape: [batch.count, batch.channels, batch.height, batch.width], values: batch.images)
                let logging = n % 10 == 0 || n == configuration.steps || n == 1
                let result = try step.run(images: images, labels: batch.masks, withTerms: logging)
                info.step = n
                info.epoch = Double(n * configuration.batch) / Double(trainSize)
                if logging {
                    let ce = result.terms["ce"] ?? 0
                    let line = TrainLine(step: n, epoch: info.epoch, time: now(), lr: optimizer.currentLearningRate,
                                         loss: result.loss, ce: ce, reg: result.loss - ce)
                    try run.appendMetrics(line)
                    try events.write(scalars: TensorBoardTags.scalars(of: line), step: n)
                }
                if n % configuration.evalEvery == 0 || n == configuration.steps {
                    let evaluation = try evaluate(model: model, dataset: dataset, split: .validation, configuration: configuration, loss: loss)
                    try makePreview(model: model, dataset: dataset, index: previewIndex).write(to: run.file(.preview))
                    let line = EvalLine(step: n, epoch: info.epoch, time: now(), result: evaluation)
                    try run.appendMetrics(line)
                    try events.write(scalars: TensorBoardTags.scalars(of: line, classNames: dataset.classNames), step: n)
                    lastMIoU = evaluation.miou
                    if let miou = evaluation.miou, miou > (info.bestMIoU ?? -1) { info.bestMIoU = miou }
                    // Adam's learning rate halves after `patience` evaluations without a better
                    // validation loss (the paper's retinal setting); SGD follows its polynomial decay.
                    let factor = info.plateau.record(validationLoss: evaluation.loss)
                    if configuration.optimizer == .adam { optimizer.learningRate *= factor }
                    info.learningRate = optimizer.learningRate
                    try saveCheckpoint()
                }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                progress(TrainingProgress(step: n, steps: configuration.steps, loss: result.loss,
                                          secondsPerStep: elapsed / Double(n - firstStep),
                                          lastMIoU: lastMIoU))
            }
            try saveCheckpoint()
            let finished = info.step >= configuration.steps
            let status = RunStatus(status: finished ? .done : .stopped, step: info.step)
            if finished { try writeSummary() }
            try run.write(status, to: .status)
            return status
        } catch {
            let status = RunStatus(status: .failed, step: info.step, error: error.description)
            try? run.write(status, to: .status)
            return status
        }
    }

    func saveCheckpoint() throws(MarginalError) {
        try writeAtomically(Checkpoint.encode(model: model, optimizer: optimizer, info: info), to: run.file(.checkpoint))
        try run.write(info, to: .checkpointInfo)  // a readable copy; the resume trusts checkpoint.bin's
    }

    func writeSummary() throws(MarginalError) {
        let test = try evaluate(model: model, dataset: dataset, split: .test, configuration: configuration, loss: loss)
        try run.write(RunSummary(step: info.step, bestValidationMIoU: info.bestMIoU, test: test), to: .summary)
    }

    /// On resume, lines written after the checkpoint's step are dropped, so the metrics read as
    /// one uninterrupted run (and a half-written last line goes too).
    func truncateMetrics(after step: Int) throws(MarginalError) {
        let url = run.file(.metrics)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        var kept: [String] = []
        for line in readMetricLines(url) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let lineStep = object["step"] as? Int, lineStep <= step else { continue }
            kept.append(line)
            if let time = object["time"] as? Double { elapsedBefore = time }
        }
        try writeAtomically(Data(kept.map { $0 + "\n" }.joined().utf8), to: url)
    }
}

/// The run's `config.json` as Markdown for TensorBoard's Text tab: a code block (indented).
func configurationMarkdown(_ configuration: RunConfiguration) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = (try? encoder.encode(configuration)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    return json.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
}

/// `summary.json`: the run's end, measured on the test split.
public struct RunSummary: Codable, Sendable {
    public var step: Int
    public var bestValidationMIoU: Double?
    public var test: EvaluationResult

    enum CodingKeys: String, CodingKey {
        case step, test
        case bestValidationMIoU = "best_validation_miou"
    }
}

/// Restores `model` and `optimizer` from the run's checkpoint.bin and gives the run's position:
/// the one saved with the weights, or checkpoint.json's for a checkpoint of version 2.
func loadCheckpoint<T: EngineScalar>(of run: RunDirectory, into model: UNetS<T>, optimizer: any Optimizer<T>) throws(MarginalError) -> CheckpointInfo {
    let path = run.file(.checkpoint).path
    guard let data = FileManager.default.contents(atPath: path) else { throw MarginalError("\(path): missing or unreadable") }
    if let saved = try Checkpoint.decode(data, path: path, into: model, optimizer: optimizer) { return saved }
    return try run.read(CheckpointInfo.self, from: .checkpointInfo)
}

/// Loads a run's checkpoint and evaluates it on a split (`observe`: as `evaluate`'s).
public func evaluateCheckpoint(of run: RunDirectory, split: DatasetSplit,
                               observe: ((SegmentationBatch<Float>) -> Void)? = nil) throws(MarginalError)
    -> (step: Int, classNames: [String], result: EvaluationResult) {
    let configuration = try run.read(RunConfiguration.self, from: .configuration)
    let dataset = try configuration.validated()
    let loss = configuration.loss
    let model = UNetS<Float>(inputChannels: dataset.channels, classes: dataset.classes, width: configuration.width, seed: configuration.seed)
    model.threads = configuration.threads
    setMatrixThreads(1)
    let info = try loadCheckpoint(of: run, into: model, optimizer: makeOptimizer(configuration))
    let result = try evaluate(model: model, dataset: dataset, split: split, configuration: configuration, loss: loss, observe: observe)
    return (info.step, dataset.classNames, result)
}

/// The run's optimiser: Adam, or SGD (momentum 0.9, weight decay 1e-4, polynomial decay over the run).
func makeOptimizer(_ configuration: RunConfiguration) -> any Optimizer<Float> {
    switch configuration.optimizer {
    case .adam: Adam<Float>(learningRate: configuration.learningRate)
    case .sgd: SGD<Float>(learningRate: configuration.learningRate, momentum: 0.9, weightDecay: 1e-4,
                          decay: PolynomialDecay(totalSteps: configuration.steps))
    }
}
