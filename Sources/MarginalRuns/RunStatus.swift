import Foundation

/// A run's state. In `status.json` (`RunStatus`) it is what the trainer last wrote, spelled as
/// the raw values below (the run-folder format: "running", "done", "stopped", "failed"); as a
/// reader should take it (`RunRecord.state`), a run marked running whose trainer no longer holds
/// the run's lock (killed, or the machine restarted) is `failed`, and so is a folder without a
/// status (the trainer writes one before the configuration).
public enum RunState: String, Codable, CaseIterable, Sendable, Equatable {
    case running, done, stopped, failed
}

/// `status.json`: running (with the pid), done, stopped, or failed (with the error). A run
/// trained by another engine says so (`engine`, e.g. "pytorch", whose `pid` is torchrun's, and
/// `processGroup`, which a stop signals as a whole).
public struct RunStatus: Codable, Sendable, Equatable {
    public var status: RunState
    public var pid: Int32?
    public var step: Int
    public var error: String?
    /// nil: marginal's own trainer.
    public var engine: String?
    /// The process group a stop signals; nil for marginal's trainer. train_unet.py writes
    /// torchrun's (which passes a SIGINT on to its workers, each in a session of its own); the
    /// ranks agree on a stop by an all-reduce before each step, so all stop after the same step.
    public var processGroup: Int32?

    public init(status: RunState, pid: Int32? = nil, step: Int, error: String? = nil, engine: String? = nil, processGroup: Int32? = nil) {
        self.status = status; self.pid = pid; self.step = step; self.error = error
        self.engine = engine; self.processGroup = processGroup
    }

    enum CodingKeys: String, CodingKey { case status, pid, step, error, engine, processGroup = "process_group" }

    /// A status word that marginal does not write reads as failed, with that word in the error
    /// (so a damaged or foreign file says what it holds rather than vanishing).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let word = try container.decode(String.self, forKey: .status)
        pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
        step = try container.decode(Int.self, forKey: .step)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        engine = try container.decodeIfPresent(String.self, forKey: .engine)
        processGroup = try container.decodeIfPresent(Int32.self, forKey: .processGroup)
        if let state = RunState(rawValue: word) {
            status = state
        } else {
            status = .failed
            error = error ?? "status '\(word)' is not one marginal writes"
        }
    }

    /// The pid to send SIGINT to, by the one rule of liveness: the status says running, no
    /// trainer is `gone` (`RunRecord.isGone`), and the pid is > 1 (kill(2) takes 0, 1 and
    /// negative numbers as a process group or every process).
    public func trainerPID(gone: Bool) -> Int32? {
        guard status == .running, !gone, let pid, pid > 1 else { return nil }
        return pid
    }

    /// What a stop signals: `-processGroup` (every process of the group) for a run of another
    /// engine that names a group > 1, else the trainer's pid.
    public func stopTarget(pid: Int32) -> Int32 {
        if engine != nil, let processGroup, processGroup > 1 { return -processGroup }
        return pid
    }
}
