import Foundation
import MarginalCore

/// Samples stacked for one training or evaluation step.
///
/// `images` is `count × channels × height × width` and `masks` `count × height × width`, both in C
/// order: `images` is the network's input tensor and `masks` the loss's labels as they stand.
public struct SampleBatch: Sendable, Equatable {
    /// Which samples of the split, in batch order.
    public let indices: [Int]
    public let images: [Float]
    public let masks: [UInt8]
    public let channels: Int
    public let height: Int
    public let width: Int
    public var count: Int { indices.count }
}

/// Which training samples each step sees: a seeded permutation of the split per epoch, read in
/// consecutive slices of `batchSize` that run on across epoch boundaries. Step `n` (1-based) is a
/// pure function of (seed, n), so a resumed run sees exactly what the uninterrupted one would have.
/// The permutation is the trainer's (`Trainer.batchIndices`): Fisher–Yates with
/// `SeededRandom(seed + 0xE90C + 7919 · epoch)`.
public struct BatchOrder: Sendable {
    public let sampleCount: Int
    public let batchSize: Int
    public let seed: UInt64

    public init(sampleCount: Int, batchSize: Int, seed: UInt64) {
        precondition(sampleCount > 0 && batchSize > 0, "a batch order needs samples and a batch size")
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.seed = seed
    }

    /// The epoch (0-based) that step `n` starts in.
    public func epoch(ofStep n: Int) -> Int { (n - 1) * batchSize / sampleCount }

    /// The sample indices of step `n` (1-based).
    public func indices(forStep n: Int) -> [Int] {
        precondition(n >= 1, "steps count from 1")
        var cached: (epoch: Int, order: [Int])?
        return (0 ..< batchSize).map { j in
            let (epoch, offset) = ((n - 1) * batchSize + j).quotientAndRemainder(dividingBy: sampleCount)
            if cached?.epoch != epoch { cached = (epoch, permutation(epoch: epoch)) }
            return cached!.order[offset]
        }
    }

    /// The order of the samples in `epoch`.
    public func permutation(epoch: Int) -> [Int] {
        var random = SeededRandom(seed: seed &+ 0xE90C &+ UInt64(epoch) &* 7919)
        var order = Array(0 ..< sampleCount)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        return order
    }
}

/// Prepares the next batches on a background thread while the current one trains.
///
/// The thread assembles the batches of `steps` in order (`BatchOrder`) and keeps at most
/// `capacity` (default 2) ready; `next()` hands them out in step order and blocks only when the
/// thread has fallen behind. `stop()` (also run on deinit) ends the thread and waits for it, so
/// nothing is left running; after it, `next()` returns nil.
public final class BatchLoader: Sendable {
    public let steps: Range<Int>
    public let capacity: Int
    private let state: LoaderState

    /// Loads the batches of `steps` (1-based; may be empty) from `samples` in `order`.
    public init(samples: DatasetSamples, order: BatchOrder, steps: Range<Int>, capacity: Int = 2) {
        precondition(capacity >= 1 && steps.lowerBound >= 1, "a loader needs room for a batch and steps from 1")
        precondition(order.sampleCount == samples.count, "the order is for \(order.sampleCount) samples, the split has \(samples.count)")
        self.steps = steps
        self.capacity = capacity
        let state = LoaderState(capacity: capacity)
        self.state = state
        let thread = Thread {
            for step in steps {
                guard state.waitForRoom() else { break }
                // Assembled outside the lock: this is the work that overlaps training.
                let batch = samples.batch(order.indices(forStep: step))
                guard state.deliver(step: step, batch: batch) else { break }
            }
            state.finish()
        }
        thread.name = "marginal.batches"
        thread.start()
    }

    /// Steps `firstStep…lastStep` of a seeded shuffle of `samples` in batches of `batchSize`; none
    /// if `lastStep < firstStep` (a resumed run that had already finished).
    public convenience init(samples: DatasetSamples, batchSize: Int, seed: UInt64, firstStep: Int = 1, lastStep: Int,
                            capacity: Int = 2) {
        self.init(samples: samples, order: BatchOrder(sampleCount: samples.count, batchSize: batchSize, seed: seed),
                  steps: firstStep ..< max(firstStep, lastStep + 1), capacity: capacity)
    }

    deinit { state.stop() }

    /// The next step and its batch, waiting for it if need be; nil after the last step or `stop()`.
    public func next() -> (step: Int, batch: SampleBatch)? { state.take() }

    /// Ends the background thread and waits until it has; idempotent.
    public func stop() { state.stop() }

    /// Whether the background thread has ended (after the last step or `stop()`).
    public var isFinished: Bool { state.isFinished }
}

/// What the loader and its thread share, guarded by one condition lock.
private final class LoaderState: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var ready: [(step: Int, batch: SampleBatch)] = []
    private var stopping = false
    private var finished = false

    init(capacity: Int) { self.capacity = capacity }

    /// Producer: waits while the queue is full; false if asked to stop.
    func waitForRoom() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity && !stopping { condition.wait() }
        return !stopping
    }

    /// Producer: queues a batch; false if asked to stop meanwhile.
    func deliver(step: Int, batch: SampleBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        ready.append((step, batch))
        condition.broadcast()
        return true
    }

    /// Producer: the thread is about to end.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the oldest ready batch, waiting for one unless the producer is done or stopped.
    func take() -> (step: Int, batch: SampleBatch)? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished && !stopping { condition.wait() }
        guard !stopping, !ready.isEmpty else { return nil }
        condition.broadcast()
        return ready.removeFirst()
    }

    /// Asks the producer to stop and waits until its thread has finished.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        ready.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
    }

    var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }
}
