import Foundation
import MarginalCore

/// An exclusive lock on a run folder (`flock` on `.lock` in it), so that two trainers never write
/// one run — a resume pressed twice, or a shell and the explorer at once. Released when the
/// process ends, however it ends (the kernel drops the lock with the descriptor).
final class RunLock {
    private let descriptor: Int32

    init(_ run: RunDirectory) throws(MarginalError) {
        let path = run.file(".lock").path
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw MarginalError("\(path): cannot open the run's lock (\(String(cString: strerror(errno))))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw MarginalError("\(run.url.path): another process is training this run")
        }
    }

    deinit { close(descriptor) }
}
