import Foundation
import MarginalCore

// Run control, in one place: launching a trainer detached from the terminal, collecting its
// end, asking it to stop, resuming a run, and telling whether a run's trainer lives. The TUI
// (its `.launch` and `.stop` effects) and the CLI (`marginal runs stop`, `marginal runs resume`)
// call these; nothing else spawns or signals.

/// Why a run could not be launched, stopped or resumed: the one error of run control, one line.
public enum RunControlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No run folder of this name in the runs folder.
    case noSuchRun(name: String, folder: String)
    /// A stop of a run whose trainer is not running (`state`: what its status says, if anything).
    case notRunning(name: String, state: RunState?)
    /// A stop of a pid that the run's status no longer names: that trainer has ended.
    case trainerEnded(name: String)
    /// A resume of a run whose trainer still runs.
    case alreadyRunning(name: String, pid: Int32)
    /// A resume of a run that cannot continue (done, or without a checkpoint).
    case cannotResume(name: String, reason: String)
    /// kill(2) refused.
    case cannotSignal(name: String, pid: Int32, reason: String)
    /// The log could not be opened, or the program could not be started.
    case cannotLaunch(name: String, reason: String)

    public var description: String {
        switch self {
        case .noSuchRun(let name, let folder): "\(folder)/\(name): no such run"
        case .notRunning(let name, let state): "cannot stop \(name): it is \(state?.rawValue ?? "without a readable status"), not running"
        case .trainerEnded(let name): "cannot stop \(name): its trainer has already ended"
        case .alreadyRunning(let name, let pid): "cannot resume \(name): it is running (pid \(pid)); stop it first"
        case .cannotResume(let name, let reason): "cannot resume \(name): \(reason)"
        case .cannotSignal(let name, let pid, let reason): "cannot stop \(name) (pid \(pid)): \(reason)"
        case .cannotLaunch(let name, let reason): "cannot launch \(name): \(reason)"
        }
    }

    /// The line to show (the name the launcher's failures had before they were typed here).
    public var reason: String { description }
}

/// A run to launch: `marginal` with `arguments` (`train …`), its log into the runs folder.
public struct LaunchRequest: Sendable, Equatable {
    public let name: String
    public let arguments: [String]
    public let runsFolder: String
    public init(name: String, arguments: [String], runsFolder: String) {
        self.name = name; self.arguments = arguments; self.runsFolder = runsFolder
    }

    /// `marginal train --run NAME --resume --runs-dir FOLDER`: the run continued from its checkpoint.
    /// `steps`: a new total, to extend the run (`--resume --steps N`).
    public static func resuming(_ name: String, runsFolder: String, steps: Int? = nil) -> LaunchRequest {
        LaunchRequest(name: name, arguments: ["train", "--run", name, "--resume"] + (steps.map { ["--steps", "\($0)"] } ?? []) + ["--runs-dir", runsFolder],
                      runsFolder: runsFolder)
    }

    /// Where the child's standard output and error go: `<runs folder>/.logs/<name>.log`.
    public var logURL: URL {
        URL(fileURLWithPath: runsFolder).appendingPathComponent(RunFile.logsFolder).appendingPathComponent("\(name).log")
    }
}

/// A trainer started by run control: its pid, the shell command that reruns it, its log.
public struct LaunchedRun: Sendable, Equatable {
    public let pid: Int32
    public let command: String
    public let log: URL
}

public enum RunControl {
    /// This program's executable, to launch trainers of the same build.
    public static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The pid of the trainer writing `run` now, read afresh: the pid `status.json` names while
    /// it says running and no trainer is gone by `RunRecord.isGone` (the run's lock is held);
    /// nil otherwise. The one liveness check: what a stop asks just before it signals, since an
    /// ended trainer's pid may name another process. (`RunRecord.trainerPID` applies the same
    /// rule, `RunStatus.trainerPID(gone:)`, to what a listing read.)
    public static func trainerPID(of run: RunDirectory) -> Int32? { liveTrainer(of: run)?.pid }

    /// `trainerPID(of:)` with the status it was read from (which a stop signals by).
    static func liveTrainer(of run: RunDirectory) -> (pid: Int32, status: RunStatus)? {
        let lockHeld = RunLock.isHeld(run)  // before the status, as `RunRecord.isGone` asks
        guard let status = try? run.read(RunStatus.self, from: .status) else { return nil }
        let gone = RunRecord.isGone(status, lockHeld: lockHeld) { RunLock.isHeld(run) }
        return status.trainerPID(gone: gone).map { ($0, status) }
    }

    /// The run folder `name` under `runsFolder`, which must exist.
    public static func existingRun(_ name: String, in runsFolder: URL) throws(RunControlError) -> RunDirectory {
        guard let run = try? RunDirectory(runsFolder: runsFolder, name: name), run.exists else {
            throw .noSuchRun(name: name, folder: runsFolder.path)
        }
        return run
    }

    /// Asks `run`'s trainer to stop (SIGINT: it finishes its step, saves and writes `stopped`)
    /// and returns its pid; a run of another engine naming a process group gets it as a group
    /// (`RunStatus.stopTarget`: torchrun and every rank). Only a pid > 1 that the run's status, read afresh, still names while
    /// the run's lock is held; with `expected`, only that pid (the one the screen showed).
    @discardableResult
    public static func stop(_ run: RunDirectory, expecting expected: Int32? = nil) throws(RunControlError) -> Int32 {
        guard let (pid, status) = liveTrainer(of: run) else {
            if expected != nil { throw .trainerEnded(name: run.name) }
            throw .notRunning(name: run.name, state: (try? run.read(RunStatus.self, from: .status))?.status)
        }
        if let expected, expected != pid { throw .trainerEnded(name: run.name) }
        // A PyTorch run: SIGINT to torchrun's process group, so that every rank sees it and
        // they stop after the same step (rank 0 saves); marginal's trainer: to its pid.
        guard pid > 1, kill(status.stopTarget(pid: pid), SIGINT) == 0 else {
            throw .cannotSignal(name: run.name, pid: pid, reason: String(cString: strerror(errno)))
        }
        return pid
    }

    /// Waits up to `timeout` seconds for the trainer `pid` of `run` to end; true if it did.
    public static func waitForEnd(of run: RunDirectory, pid: Int32, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while trainerPID(of: run) == pid {
            guard Date() < deadline else { return false }
            usleep(20_000)
        }
        return true
    }

    /// The launch that resumes `run`, once it is known to be resumable: not running, not done,
    /// with a checkpoint.
    public static func resumeRequest(for run: RunDirectory, runsFolder: String, steps: Int? = nil) throws(RunControlError) -> LaunchRequest {
        try refuseForeignResume(run)
        if let pid = trainerPID(of: run) { throw .alreadyRunning(name: run.name, pid: pid) }
        if steps == nil, (try? run.read(RunStatus.self, from: .status))?.status == .done {
            throw .cannotResume(name: run.name, reason: "it is done; extend it with --steps N (a new total)")
        }
        guard FileManager.default.fileExists(atPath: run.file(.checkpointInfo).path) else {
            throw .cannotResume(name: run.name, reason: "it has no checkpoint yet")
        }
        return .resuming(run.name, runsFolder: runsFolder, steps: steps)
    }

    /// Refuses to resume a run that another engine trains (`RunConfiguration.resumeRefusal`).
    public static func refuseForeignResume(_ run: RunDirectory) throws(RunControlError) {
        if let reason = (try? run.read(RunConfiguration.self, from: .configuration))?.resumeRefusal {
            throw .cannotResume(name: run.name, reason: reason)
        }
    }

    /// Resumes `run` as a detached `marginal train --run NAME --resume`.
    public static func resume(_ run: RunDirectory, runsFolder: String, steps: Int? = nil, executable: String = executable) throws(RunControlError) -> LaunchedRun {
        try launch(try resumeRequest(for: run, runsFolder: runsFolder, steps: steps), executable: executable)
    }

    /// Launches `request` detached (`launchDetached`).
    public static func launch(_ request: LaunchRequest, executable: String = executable) throws(RunControlError) -> LaunchedRun {
        let child = try launchDetached(request, executable: executable).get()
        return LaunchedRun(pid: child.pid, command: child.command, log: request.logURL)
    }
}

/// Starts `executable request.arguments…` as a detached background process: its own session
/// (`setsid`, so neither the terminal's hang-up nor its Ctrl-C reaches it, and it outlives the
/// explorer), default signal dispositions and an empty signal mask, standard input from
/// /dev/null, standard output and error appended to `<runs folder>/.logs/<name>.log`.
/// Returns the child's pid and the shell command that reruns it, or the reason it could not start.
public func launchDetached(_ request: LaunchRequest, executable: String) -> Result<(pid: Int32, command: String), RunControlError> {
    let logs = request.logURL.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    } catch {
        return .failure(.cannotLaunch(name: request.name, reason: "cannot create \(logs.path) (\((error as NSError).localizedDescription))"))
    }
    let log = request.logURL.path
    // Opened here, so that a log that cannot be written is reported as such.
    let logDescriptor = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard logDescriptor >= 0 else {
        return .failure(.cannotLaunch(name: request.name, reason: "\(log): \(String(cString: strerror(errno)))"))
    }
    defer { close(logDescriptor) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, logDescriptor, 1)
    posix_spawn_file_actions_adddup2(&actions, logDescriptor, 2)

    let argv = ([executable] + request.arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let result = withTrainerSpawnAttributes(ownSession: true) { attributes in
        posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    }
    guard result == 0 else {
        return .failure(.cannotLaunch(name: request.name, reason: "\(executable): \(String(cString: strerror(result)))"))
    }
    return .success((pid, shellCommand([executable] + request.arguments)))
}

/// Calls `body` with spawn attributes for a trainer: every signal a trainer handles or a
/// terminal sends (INT, TERM, HUP, QUIT, PIPE, WINCH) at its default and none blocked, whatever
/// this process ignores or blocks (a child inherits both, and a SIGINT that is ignored would
/// never stop it); with `ownSession`, in a session of its own (`setsid`). Launches and the
/// tests' stand-in trainers share it. With `ownGroup`, in a process group of its own (its pgid
/// its pid) within this session: what `spawnProcessGroup` gives torchrun.
public func withTrainerSpawnAttributes<T>(ownSession: Bool, ownGroup: Bool = false, _ body: (inout posix_spawnattr_t) -> T) -> T {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), defaults = sigset_t()
    sigemptyset(&none)
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGWINCH] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    if ownGroup { posix_spawnattr_setpgroup(&attributes, 0) }
    posix_spawnattr_setflags(&attributes, Int16((ownSession ? spawnNewSession : 0) | (ownGroup ? POSIX_SPAWN_SETPGROUP : 0)
                                                | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return body(&attributes)
}

/// Starts `executable arguments…` in a process group of its own, with `environment`, standard
/// input from /dev/null and this process's output and error: torchrun for `marginal train
/// --engine pytorch`, whose ranks join its group, so that one SIGINT to `-pid` reaches them all
/// (and a terminal's Ctrl-C reaches only the foreground group, marginal, which forwards it).
/// Returns the pid (= the group's id), or the reason it could not start.
public func spawnProcessGroup(_ executable: String, arguments: [String], environment: [String: String],
                              name: String) -> Result<Int32, RunControlError> {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let result = withTrainerSpawnAttributes(ownSession: false, ownGroup: true) { attributes in
        posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    }
    guard result == 0 else { return .failure(.cannotLaunch(name: name, reason: "\(executable): \(String(cString: strerror(result)))")) }
    return .success(pid)
}

/// glibc's POSIX_SPAWN_SETSID (2.26 and later): spawn.h defines it only under _GNU_SOURCE,
/// which Swift's import of Glibc does not set.
private let spawnNewSession: Int32 = 0x80

/// How a launched child is doing.
public enum ChildExit: Equatable, Sendable {
    case running, succeeded
    /// It ended with an error: the last line of its log.
    case failed(String)
}

/// Collects the exit of a launched child without waiting (so that it leaves no zombie).
public func reapLaunched(pid: Int32, request: LaunchRequest) -> ChildExit {
    var status: Int32 = 0
    guard waitpid(pid, &status, WNOHANG) == pid else { return .running }
    // WIFEXITED and WEXITSTATUS are macros Swift cannot import.
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    guard exitCode != 0 else { return .succeeded }
    let log = request.logURL
    let lastLine = (try? String(contentsOf: log, encoding: .utf8))?
        .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last.map(String.init) ?? "no output"
    return .failed("\(request.name) ended with an error: \(lastLine)")
}
