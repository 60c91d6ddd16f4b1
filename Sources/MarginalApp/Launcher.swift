import Foundation
import MarginalCore

/// Starts `executable request.arguments…` as a detached background process: its own session
/// (`setsid`, so neither the terminal's hang-up nor its Ctrl-C reaches it, and it outlives the
/// explorer), default signal dispositions and an empty signal mask, standard input from
/// /dev/null, standard output and error appended to `<runs folder>/.logs/<name>.log`.
/// Returns the child's pid and the shell command that reruns it, or the reason it could not start.
public func launchDetached(_ request: LaunchRequest, executable: String) -> Result<(pid: Int32, command: String), ExportFailure> {
    let logs = URL(fileURLWithPath: request.runsFolder).appendingPathComponent(".logs")
    do {
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    } catch {
        return .failure(ExportFailure("cannot launch \(request.name): cannot create \(logs.path) (\((error as NSError).localizedDescription))"))
    }
    let log = logs.appendingPathComponent("\(request.name).log").path
    // Opened here, so that a log that cannot be written is reported as such.
    let logDescriptor = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard logDescriptor >= 0 else {
        return .failure(ExportFailure("cannot launch \(request.name): \(log): \(String(cString: strerror(errno)))"))
    }
    defer { close(logDescriptor) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, logDescriptor, 1)
    posix_spawn_file_actions_adddup2(&actions, logDescriptor, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), defaults = sigset_t()
    sigemptyset(&none)
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGWINCH] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(spawnNewSession | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + request.arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    guard result == 0 else {
        return .failure(ExportFailure("cannot launch \(request.name): \(executable): \(String(cString: strerror(result)))"))
    }
    return .success((pid, shellCommand([executable] + request.arguments)))
}

/// glibc's POSIX_SPAWN_SETSID (2.26 and later): spawn.h defines it only under _GNU_SOURCE,
/// which Swift's import of Glibc does not set.
private let spawnNewSession: Int32 = 0x80

/// How a launched child is doing.
public enum ChildExit: Equatable {
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
    let log = URL(fileURLWithPath: request.runsFolder).appendingPathComponent(".logs/\(request.name).log")
    let lastLine = (try? String(contentsOf: log, encoding: .utf8))?
        .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last.map(String.init) ?? "no output"
    return .failed("\(request.name) ended with an error: \(lastLine)")
}
