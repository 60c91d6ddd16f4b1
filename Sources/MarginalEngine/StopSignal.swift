import Foundation
import Synchronization

/// Set by SIGINT or SIGTERM; the training loop finishes its step, saves and stops.
let stopRequested = Atomic<Bool>(false)

/// Installs handlers that only set `stopRequested` (async-signal-safe: one atomic store), so a
/// run interrupted by Ctrl-C or `kill` keeps its checkpoint and every metrics line whole.
/// The signals are also unblocked: a process inherits its parent's signal mask, and some
/// launchers (test runners, supervisors) start children with SIGINT blocked, where Ctrl-C or
/// `kill -INT` would otherwise never arrive.
public func installStopHandlers() {
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber) { _ in stopRequested.store(true, ordering: .relaxed) }
        sigaddset(&unblock, signalNumber)
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
}

public var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }
