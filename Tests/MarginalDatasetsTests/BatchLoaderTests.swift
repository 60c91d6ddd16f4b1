import Foundation
import Testing
import MarginalCore
@testable import MarginalDatasets

@Suite struct BatchLoaderTests {
    static func samples() throws -> DatasetSamples {
        try makeDataset(named: "organ", seed: 3, size: 16, splitSizes: SplitSizes(train: 10, validation: 1, test: 1)).train
    }

    /// Every epoch is a permutation; steps run on across epoch boundaries; the order is the seed's.
    @Test func orderIsSeededPermutationsReadAcrossEpochs() {
        let order = BatchOrder(sampleCount: 10, batchSize: 4, seed: 9)
        let firstFive = (1 ... 5).flatMap { order.indices(forStep: $0) }  // 20 indices = 2 epochs
        #expect(firstFive[0 ..< 10].sorted() == Array(0 ..< 10) && firstFive[10 ..< 20].sorted() == Array(0 ..< 10))
        #expect(Array(firstFive[0 ..< 10]) == order.permutation(epoch: 0) && Array(firstFive[10 ..< 20]) == order.permutation(epoch: 1))
        #expect(order.permutation(epoch: 0) != order.permutation(epoch: 1))
        #expect(BatchOrder(sampleCount: 10, batchSize: 4, seed: 9).indices(forStep: 3) == order.indices(forStep: 3))
        #expect(BatchOrder(sampleCount: 10, batchSize: 4, seed: 10).permutation(epoch: 0) != order.permutation(epoch: 0))
        #expect(order.epoch(ofStep: 3) == 0 && order.epoch(ofStep: 4) == 1)
    }

    @Test func yieldsTheBatchesOfDirectAssemblyInOrder() throws {
        let samples = try Self.samples()
        let order = BatchOrder(sampleCount: samples.count, batchSize: 3, seed: 4)
        let loader = BatchLoader(samples: samples, order: order, steps: 5 ..< 13)
        var steps: [Int] = []
        while let (step, batch) = loader.next() {
            steps.append(step)
            #expect(batch == samples.batch(order.indices(forStep: step)))
            #expect(batch.count == 3 && batch.images.count == 3 * 16 * 16 && batch.masks.count == 3 * 16 * 16)
        }
        #expect(steps == Array(5 ... 12))
        #expect(loader.next() == nil)
        #expect(loader.isFinished)
        let finished = BatchLoader(samples: samples, batchSize: 3, seed: 4, firstStep: 8, lastStep: 7)
        #expect(finished.next() == nil && finished.steps.isEmpty)
    }

    /// A stop in mid-run ends the thread at once (it does not assemble the remaining steps) and
    /// is idempotent; dropping a running loader stops it too.
    @Test func stopsCleanly() throws {
        let samples = try Self.samples()
        let loader = BatchLoader(samples: samples, batchSize: 2, seed: 1, lastStep: 1_000_000)
        #expect(loader.next()?.step == 1)
        #expect(loader.next()?.step == 2)
        loader.stop()
        #expect(loader.isFinished)
        #expect(loader.next() == nil)
        loader.stop()
        for _ in 0 ..< 20 {
            let dropped = BatchLoader(samples: samples, batchSize: 2, seed: 1, lastStep: 1_000_000)
            _ = dropped.next()
        }
    }

    /// The loader keeps at most `capacity` batches ready: with a consumer that never comes, the
    /// thread assembles two and waits.
    @Test func queueIsBounded() throws {
        let counter = CountingSamples()
        let samples = DatasetSamples(split: .train, count: 8, channels: 1, height: 2, width: 2) { index in
            counter.increment()
            return SegmentationSample(image: [Float](repeating: Float(index), count: 4), mask: [0, 1, 0, 1])
        }
        /// Waits (up to 10 s, for a busy machine) until `count` samples have been made, then a
        /// little longer to see that no more are.
        func settles(at count: Int) -> Bool {
            for _ in 0 ..< 1000 where counter.value < count { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: 0.2)
            return counter.value == count
        }
        let loader = BatchLoader(samples: samples, batchSize: 1, seed: 1, lastStep: 100)
        #expect(settles(at: 2))
        _ = loader.next()
        #expect(settles(at: 3))
        loader.stop()
    }
}

private final class CountingSamples: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
