import Dispatch

/// Runs `body(unit)` for every unit in `0 ..< units` on at most `threads` threads.
///
/// Worker `t` takes units `t, t + threads, …`; callers store each unit's result in its own slot
/// and combine the slots in unit order, so results do not depend on the number of threads.
public func forEachUnit(_ units: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = max(1, min(threads, units))
    if workers == 1 {
        for unit in 0 ..< units { body(unit) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var unit = worker
            while unit < units {
                shared.value(unit)
                unit += workers
            }
        }
    }
}

/// Hands a value to worker threads that only read it or write disjoint parts of it
/// (each unit owns its own slot), which the compiler cannot see for itself.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

/// A buffer that worker threads write at disjoint indices.
struct SharedMutableBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
}
