import Dispatch
import Foundation

// What this machine can do at most, measured in the run that quotes it: the rate of OpenBLAS's
// single-precision matrix product (the bound of a convolution network's step) and of a memory
// copy (the bound of a loss, which reads the logits and writes their gradient). A benchmark
// divides its own time by these, so that its report says how far from the machine's limit it
// is, not only how it compares with PyTorch.

/// FLOP per second that `workers` threads reach together, each running its own row-major
/// `cblas_sgemm` C[m×n] = A[m×k]·B[k×n] on one OpenBLAS thread (as the engine's workers do):
/// each makes one untimed product, then as many as fit in `seconds` of its own clock; the
/// workers' rates are added.
public func measureMatrixProductRate(m: Int, n: Int, k: Int, workers: Int, seconds: Double = 0.3) -> Double {
    precondition(m > 0 && n > 0 && k > 0 && workers > 0, "a product needs positive sizes and workers")
    setMatrixThreads(1)
    let rates = RateSum()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var state = UInt32(truncatingIfNeeded: worker &* 2_654_435_761 &+ 1)
        func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24) - 0.5
        }
        let a = (0 ..< m * k).map { _ in next() }, b = (0 ..< k * n).map { _ in next() }
        var c = [Float](repeating: 0, count: m * n)
        let flop = 2 * Double(m) * Double(n) * Double(k)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    func product() { blasSgemm(false, false, m, n, k, 1, a.baseAddress!, k, b.baseAddress!, n, 0, c.baseAddress!, n) }
                    product()
                    rates.add(timedRate(seconds: seconds, work: flop, product))
                }
            }
        }
    }
    return rates.total
}

/// Bytes per second, read plus written, that `workers` threads reach together, each copying
/// its own share of a `bytes`-byte buffer into another with `memcpy` for `seconds` of its clock.
public func measureCopyRate(bytes: Int, workers: Int, seconds: Double = 0.3) -> Double {
    precondition(bytes > 0 && workers > 0, "a copy needs bytes and workers")
    let rates = RateSum()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let share = bytes * (worker + 1) / workers - bytes * worker / workers
        let source = UnsafeMutableRawPointer.allocate(byteCount: share, alignment: 64)
        let destination = UnsafeMutableRawPointer.allocate(byteCount: share, alignment: 64)
        defer { source.deallocate(); destination.deallocate() }
        // Every page of both touched first, so the timed copies do not pay for faulting them in.
        memset(source, 1, share)
        memset(destination, 0, share)
        rates.add(timedRate(seconds: seconds, work: 2 * Double(share)) { _ = memcpy(destination, source, share) })
    }
    return rates.total
}

/// `work` a call of `body`, over the calls that fit in about `seconds` (at least one): per second.
private func timedRate(seconds: Double, work: Double, _ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let deadline = start + UInt64(seconds * 1e9)
    var calls = 0, now = start
    repeat {
        body()
        calls += 1
        now = DispatchTime.now().uptimeNanoseconds
    } while now < deadline
    return work * Double(calls) / (Double(now - start) / 1e9)
}

/// A sum several threads add to.
private final class RateSum: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = 0.0

    func add(_ rate: Double) {
        lock.lock()
        sum += rate
        lock.unlock()
    }

    var total: Double {
        lock.lock()
        defer { lock.unlock() }
        return sum
    }
}
