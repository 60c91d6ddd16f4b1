import Foundation
import Synchronization

/// A `RunWatcher` polled on a thread of its own, so that reading run folders (a long metrics
/// file read for the first time, a slow or hung network folder) never stalls the explorer's
/// keys and drawing. While `watching`, the thread polls every `interval`; the newest list that
/// changed waits in a mailbox until `take()` (an older one not yet taken is replaced: each list
/// is the whole folder). The watcher lives on the thread alone, so nothing of it is shared.
public final class RunFeed: Sendable {
    private struct Mailbox {
        var watching = false
        var ended = false
        var runs: [RunRecord]?
    }

    /// What the thread and the explorer share (a box: a Mutex cannot be copied into a closure).
    private final class Shared: Sendable {
        let mailbox = Mutex(Mailbox())
        /// Wakes the thread early: watching begins (a first look now, not an interval later) or the feed ends.
        let wake = DispatchSemaphore(value: 0)
    }

    private let shared = Shared()

    /// Starts the thread, with every signal blocked on it: a terminal program's signals
    /// (SIGWINCH, SIGINT, SIGTSTP) must reach the thread that draws, not this one.
    public init(folder: URL, interval: TimeInterval) {
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let thread = Thread { [shared] in
            let watcher = RunWatcher(folder: folder)
            while true {
                let (watching, ended) = shared.mailbox.withLock { ($0.watching, $0.ended) }
                if ended { return }
                if watching, let runs = watcher.poll() { shared.mailbox.withLock { $0.runs = runs } }
                if watching { _ = shared.wake.wait(timeout: .now() + interval) } else { shared.wake.wait() }
            }
        }
        thread.name = "marginal feed"  // Linux keeps 15 bytes of a thread's name
        thread.start()  // the new thread takes the blocked mask from this one
    }

    deinit { end() }

    /// Whether the thread polls (the runs screen is open); turning it on polls at once.
    public var watching: Bool {
        get { shared.mailbox.withLock { $0.watching } }
        set {
            let started = shared.mailbox.withLock { mailbox in
                defer { mailbox.watching = newValue }
                return newValue && !mailbox.watching
            }
            if started { shared.wake.signal() }
        }
    }

    /// The newest list of runs that changed since the last `take`, if any.
    public func take() -> [RunRecord]? {
        shared.mailbox.withLock { mailbox in
            defer { mailbox.runs = nil }
            return mailbox.runs
        }
    }

    /// Like `take`, but waits up to `patience` seconds for a list (the first look at a folder,
    /// so that the screen opens with its runs rather than "reading…").
    public func take(waitingUpTo patience: TimeInterval) -> [RunRecord]? {
        let deadline = Date().addingTimeInterval(patience)
        while true {
            if let runs = take() { return runs }
            guard Date() < deadline else { return nil }
            usleep(2_000)
        }
    }

    /// Stops the thread (after the poll it may be in).
    public func end() {
        shared.mailbox.withLock { $0.ended = true }
        shared.wake.signal()
    }
}
