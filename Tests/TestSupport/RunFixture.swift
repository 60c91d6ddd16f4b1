import Foundation
import MarginalRuns

/// A run folder written by hand, line by line, as the trainer writes one: `config.json`,
/// `status.json` and `metrics.jsonl` as text, so that readers are tested on recorded files
/// rather than on their own writer's output.
public struct RunFixture {
    public let folder: URL
    public let classes: [String]

    /// Makes `runsFolder/name/` with a config for `dataset`, the loss and `classes`.
    public init(runsFolder: URL, name: String, dataset: String = "organ", loss: String = "ce_l1", lambda: Double? = nil,
                classes: [String] = ["background", "organ", "tumour"], steps: Int = 100, seed: Int = 1) throws {
        folder = runsFolder.appendingPathComponent(name)
        self.classes = classes
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = classes.map { "\"\($0)\"" }.joined(separator: ",")
        let lambdaText = lambda.map { "\"lambda\": \($0), " } ?? ""
        try Data("""
        {"batch": 8, "class_names": [\(names)], "dataset": "\(dataset)", "eval_every": 10, \(lambdaText)"loss": "\(loss)", "lr": 0.001, \
        "optimizer": "adam", "patience": 5, "seed": \(seed), "size": 32, "steps": \(steps), "tau": 10, "threads": 1, "width": 8}
        """.utf8).write(to: folder.appendingPathComponent("config.json"), options: .atomic)
    }

    /// The fixture of a folder made earlier, to append to it.
    public init(existing runsFolder: URL, name: String, classes: [String] = ["background", "organ", "tumour"]) {
        folder = runsFolder.appendingPathComponent(name)
        self.classes = classes
    }

    public func status(_ status: String, step: Int, pid: Int32? = nil) throws {
        let pidText = pid.map { ", \"pid\": \($0)" } ?? ""
        try Data("{\"status\": \"\(status)\", \"step\": \(step)\(pidText)}\n".utf8)
            .write(to: folder.appendingPathComponent("status.json"), options: .atomic)
    }

    public static func trainLine(step: Int, time: Double, loss: Double, ce: Double) -> String {
        "{\"ce\":\(ce),\"epoch\":\(Double(step) / 64),\"loss\":\(loss),\"lr\":0.001,\"reg\":\(loss - ce),\"step\":\(step),\"time\":\(time),\"type\":\"train\"}\n"
    }

    /// An eval line whose IoU per class is `iou` (nil: null), proportions as given, and Prop. 2's
    /// terms (the `decomposition` object) when given.
    public static func evalLine(step: Int, time: Double, iou: [Double?], soft: [Double], hard: [Double], target: [Double],
                                loss: Double = 0.5,
                                decomposition: (entropy: Double, kl: Double, labelEntropy: Double, ce: Double)? = nil) -> String {
        func list(_ values: [Double?]) -> String { "[" + values.map { $0.map { "\($0)" } ?? "null" }.joined(separator: ",") + "]" }
        let present = iou.compactMap { $0 }
        let miou = present.isEmpty ? "null" : "\(present.reduce(0, +) / Double(present.count))"
        let terms = decomposition.map {
            "\"decomposition\":{\"ce\":\($0.ce),\"entropy\":\($0.entropy),\"kl\":\($0.kl),\"label_entropy\":\($0.labelEntropy)},"
        } ?? ""
        return "{\(terms)\"dice\":\(list(iou)),\"epoch\":\(Double(step) / 64),\"hard_proportion\":\(list(hard)),\"iou\":\(list(iou)),"
            + "\"loss\":\(loss),\"miou\":\(miou),\"pred_proportion\":\(list(soft)),\"step\":\(step),"
            + "\"target_proportion\":\(list(target)),\"time\":\(time),\"type\":\"eval\"}\n"
    }

    /// Appends text to metrics.jsonl as it is (a test may append half a line).
    public func append(_ text: String) throws {
        let url = folder.appendingPathComponent("metrics.jsonl")
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}

/// A process that passes for a run's trainer: it holds the run's lock as the trainer does (an
/// exclusive `flock` on `<run>/.lock`, taken here by hand like the fixture's files rather than
/// through the engine's RunLock), and the run's status says running with its pid, so that a
/// reader takes the run as live and a stop signals a process that exists. The process is a bare
/// `sleep` holding the lock's descriptor across exec: one process and no shell, so that once
/// waitpid has seen it die no child of it can still hold the lock. This process closes its own
/// descriptor once the child has it, so no thread of the tests keeps the run alive. Spawned with
/// posix_spawn, like the other test processes, rather than Foundation's Process.
public final class TrainerStandIn {
    public let pid: Int32
    private var ended = false

    public init(training run: RunFixture, step: Int) throws {
        let descriptor = open(run.folder.appendingPathComponent(".lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { throw POSIXError(.EBUSY) }
        // The child's copy (dup2 leaves it open across exec; a copy onto itself might not).
        let inherited: Int32 = descriptor == 9 ? 10 : 9
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, descriptor, inherited)
        let texts: [String] = ["sleep", "600"]
        let arguments: [UnsafeMutablePointer<CChar>?] = texts.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        // Signals as a launched trainer has them (the test runner may block or ignore SIGINT),
        // so that a stop's SIGINT ends it as it ends a trainer; in the tests' session.
        let result = withTrainerSpawnAttributes(ownSession: false) { attributes in
            posix_spawnp(&pid, "sleep", &actions, &attributes, arguments, environ)
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        self.pid = pid
        try run.status("running", step: step, pid: pid)
    }

    /// Ends the stand-in as a killed trainer ends: its process gone, and its lock with it (the
    /// kernel closes a process's files before waitpid sees it exit). deinit calls it too; a second
    /// call does nothing.
    public func end() {
        guard !ended else { return }
        ended = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    deinit { end() }
}
