import Foundation
import MarginalCore

/// An exclusive lock on a run folder (`flock` on `.lock` in it), so that two trainers never write
/// one run — a resume pressed twice, or a shell and the explorer at once. Released when the
/// process ends, however it ends (the kernel drops the lock with the descriptor), which is what
/// lets a reader tell a live run from one whose trainer was killed: `isHeld`.
public final class RunLock {
    private let descriptor: Int32

    /// How long a trainer waits for the lock before refusing: a reader's `isHeld` holds it
    /// (shared) for the few microseconds between two system calls, and a trainer starting just
    /// then must not take that for another trainer.
    public static let patience: TimeInterval = 1

    public init(_ run: RunDirectory) throws(MarginalError) {
        let path = run.file(.lock).path
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw MarginalError("\(path): cannot open the run's lock (\(String(cString: strerror(errno))))") }
        let deadline = Date().addingTimeInterval(Self.patience)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(descriptor)
                throw MarginalError("\(run.url.path): another process is training this run")
            }
            usleep(10_000)
        }
    }

    deinit { close(descriptor) }

    /// Whether a trainer holds `run`'s lock now: a shared, non-blocking `flock` on a descriptor
    /// of our own fails while it does (even in the trainer's own process: `flock` locks belong to
    /// open files, not processes). nil when there is no lock file to ask (a folder we may not
    /// read, or one written before runs had a lock).
    public static func isHeld(_ run: RunDirectory) -> Bool? {
        let descriptor = open(run.file(.lock).path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }  // closing releases our shared lock, if we got it
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 { return false }
        return errno == EWOULDBLOCK ? true : nil
    }
}
