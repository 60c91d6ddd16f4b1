import Dispatch
import Foundation
import MarginalCore

/// How a network's layers run: how many threads share the work, and the scratch memory each
/// thread reuses from layer to layer and from step to step.
///
/// Layers spread the images of a batch over the threads (each worker takes the next image as it
/// becomes free), and each worker runs its images' matrix products on one OpenBLAS thread. Whole
/// images are independent, so the workers never wait for each other inside a layer, and the
/// non-product loops (im2col, bias + ReLU, pooling, …) are threaded by the same split. Every
/// per-image result lands in its own slot and slots are combined in image order, so results do
/// not depend on the number of threads.
///
/// Measured on UNet-S (B = 8): this beats one worker with multi-threaded OpenBLAS products
/// (`marginal bench train-step --threads 1 --blas-threads 2`), whose threads synchronise inside
/// every product, by about 10 % on 2 cores.
public final class ComputeContext<T: EngineScalar> {
    /// Worker threads (at least 1).
    public let threads: Int
    private var scratch: [[ScratchBuffer<T>]] = []
    private var shared: [ScratchBuffer<T>] = []

    /// `threads` workers; the OpenBLAS products inside them are set to run on one thread each.
    public init(threads: Int = 1) {
        precondition(threads >= 1, "a compute context needs at least 1 thread, got \(threads)")
        self.threads = threads
        setMatrixThreads(1)
    }

    /// Scratch buffer number `slot` of every worker, each with room for at least `count`
    /// elements (contents unspecified): element `t` of the result belongs to worker `t` alone.
    /// The buffers stay allocated for the next call, so a step allocates nothing once warm.
    func scratch(slot: Int, count: Int) -> [UnsafeMutablePointer<T>] {
        while scratch.count <= slot { scratch.append((0 ..< threads).map { _ in ScratchBuffer<T>() }) }
        return scratch[slot].map { $0.pointer(count: count) }
    }

    /// One scratch buffer number `slot` for all workers together (each writes its own part), with
    /// room for at least `count` elements; kept for the next call like the per-worker ones.
    func sharedScratch(slot: Int, count: Int) -> UnsafeMutablePointer<T> {
        while shared.count <= slot { shared.append(ScratchBuffer<T>()) }
        return shared[slot].pointer(count: count)
    }

    /// Runs `body(image, worker)` for every image in `0 ..< count` on `min(threads, count)`
    /// workers. Workers take the next image as they become free (not a fixed share), so on a busy
    /// machine a worker that the system deschedules holds up at most the image it is on. What an
    /// image produces must not depend on which worker runs it: `worker` only picks scratch memory.
    func forEachImage(_ count: Int, _ body: (_ image: Int, _ worker: Int) -> Void) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for image in 0 ..< count { body(image, 0) }
            return
        }
        let next = ImageCounter()
        withoutActuallyEscaping(body) { body in
            // Each image's results and each worker's scratch are written by one thread only.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while let image = next.take(below: count) { shared.value(image, worker) }
            }
        }
    }

    /// Runs `body(range)` over `count` elements split into `threads` contiguous ranges.
    func forEachRange(_ count: Int, minimumPerThread: Int = 1 << 14, _ body: (Range<Int>) -> Void) {
        let workers = max(1, min(threads, count / max(1, minimumPerThread)))
        if workers == 1 {
            body(0 ..< count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                shared.value(count * worker / workers ..< count * (worker + 1) / workers)
            }
        }
    }
}

/// Hands out 0, 1, 2, … to whichever worker asks next.
final class ImageCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The next number, or nil once `limit` is reached.
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// One growable block of uninitialised scratch memory (64-byte aligned, for whole cache lines).
final class ScratchBuffer<T> {
    private var base: UnsafeMutablePointer<T>?
    private(set) var capacity = 0

    func pointer(count: Int) -> UnsafeMutablePointer<T> {
        if count > capacity || base == nil {
            base.map { UnsafeMutableRawPointer($0).deallocate() }
            capacity = max(count, 1)
            base = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<T>.stride, alignment: 64)
                .bindMemory(to: T.self, capacity: capacity)
        }
        return base!
    }

    deinit { base.map { UnsafeMutableRawPointer($0).deallocate() } }
}
