import Foundation
import MarginalCore

/// A run as the listing, the monitor and the comparison see it: its configuration, status,
/// metrics and latest preview.
public struct RunRecord: Sendable, Equatable {
    public let name: String
    public let configuration: RunConfiguration
    public var status: RunStatus?
    public var history: RunHistory
    public var preview: RunPreview?
    /// The status says running, but no trainer holds the run's lock.
    public var processGone = false
    /// When the run started: its config.json's modification time (written once, at the start;
    /// an extension by `--resume --steps` keeps that time). nil when unreadable.
    public var started: Date?
    /// Set for a run read from TensorBoard event files (`RunRecord(tensorBoard:)`), nil for a run folder.
    public var tensorBoard: TensorBoardOrigin?

    public var evaluations: [EvalLine] { history.evaluations }
    public var bestMIoU: Double? { evaluations.compactMap(\.result.miou).max() }
    public var latest: EvaluationResult? { evaluations.last?.result }
    public var step: Int { max(status?.step ?? 0, history.lastStep) }
    /// The λ the loss uses: the configured one, or the loss's default (nil for a loss without λ).
    public var lambda: Double? { configuration.lambda ?? configuration.loss.defaultLambda }
    /// Class names from the configuration, or "class k" for a run recorded without them.
    public var classNames: [String] {
        configuration.classNames ?? (0 ..< (latest?.iou.count ?? 0)).map { "class \($0)" }
    }

    public var state: RunState {
        guard let status, !processGone else { return .failed }
        return status.status
    }

    /// The error of a failed run, in one line.
    public var failure: String? {
        guard status != nil else { return "no readable \(RunFile.status.rawValue): the trainer never started, or the file is damaged" }
        if processGone { return "the training process ended without saving its status (killed?)" }
        return state == .failed ? status?.error ?? "the trainer failed without saying why" : nil
    }

    /// The pid to send SIGINT to, as this record saw the run: `RunStatus.trainerPID(gone:)`, the
    /// one rule of liveness (a stop asks it again, read afresh: `RunControl.trainerPID(of:)`).
    public var trainerPID: Int32? { status?.trainerPID(gone: processGone) }

    /// Reads a whole run folder (the metrics' last line is skipped when it is not complete).
    public init(_ run: RunDirectory) throws(MarginalError) {
        var tail = MetricsTail(url: run.file(.metrics))
        try self.init(run, following: &tail)
    }

    /// Reads a run folder, its metrics through `tail`, which then follows them from where it stopped.
    init(_ run: RunDirectory, following tail: inout MetricsTail) throws(MarginalError) {
        name = run.name
        let lockHeld = RunLock.isHeld(run)  // asked before the status is read: see `isGone`
        configuration = try run.read(RunConfiguration.self, from: .configuration)
        status = try? run.read(RunStatus.self, from: .status)
        history = RunHistory(metrics: tail.readBytes().bytes)
        preview = try? RunPreview(contentsOf: run.file(.preview))
        processGone = Self.isGone(status, lockHeld: lockHeld) { RunLock.isHeld(run) }
        started = (try? FileManager.default.attributesOfItem(atPath: run.file(.configuration).path))?[.modificationDate] as? Date
    }

    /// Every run folder (one with a config.json) under `runsFolder`, by name.
    public static func all(in runsFolder: URL) -> [RunRecord] {
        RunWatcher(folder: runsFolder).poll() ?? []
    }

    /// True when `status` says running but no trainer is behind it: its pid is missing or ≤ 1, or
    /// the run's lock is free (the trainer holds it until it ends, however it ends, so a reused
    /// pid cannot pass for it). The lock is asked before the status is read (`lockHeld`), since a
    /// trainer writes its last status before it lets go of the lock; and, if it was free, again
    /// after (`askAgain`), since a resume may have taken it and written "running" in between.
    /// Free both times around a "running": a trainer that died. Without a lock file to ask (nil),
    /// the pid must at least name a process (kill(pid, 0) fails with ESRCH; EPERM: another user's).
    static func isGone(_ status: RunStatus?, lockHeld: Bool?, askAgain: () -> Bool?) -> Bool {
        guard let status, status.status == .running else { return false }
        guard let pid = status.pid, pid > 1 else { return true }
        if let lockHeld { return !lockHeld && askAgain() != true }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

/// Watches a runs folder cheaply enough to poll several times a second: each `poll()` lists the
/// folder, `stat`s every run's status, metrics and preview files, and reads only what changed —
/// the metrics from where it stopped (`MetricsTail`). It returns the runs on the first poll and
/// whenever anything changed, nil otherwise, so that a watcher of an idle folder does almost nothing.
public final class RunWatcher {
    public let folder: URL
    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var reported = false
    /// The TensorBoard runs of the folder (`TensorBoardRun.runs(in:)`), each tailed as it grows.
    private var tensorBoardEntries: [String: (run: TensorBoardRun, record: RunRecord)] = [:]

    private struct Entry {
        var record: RunRecord
        var tail: MetricsTail
        var configStamp: FileStamp?
        var statusStamp: FileStamp?
        var previewStamp: FileStamp?
    }

    public init(folder: URL) { self.folder = folder }

    public func poll() -> [RunRecord]? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        var changed = false
        var seen: [String] = []
        for name in names where !name.hasPrefix(".") {
            guard let run = try? RunDirectory(runsFolder: folder, name: name) else { continue }
            // A folder replaced by a new run of the same name is read afresh.
            if let entry = entries[name], entry.configStamp != FileStamp(run.file(.configuration)) { entries[name] = nil }
            if entries[name] == nil {
                guard let entry = Self.read(run) else { continue }
                entries[name] = entry
                changed = true
            } else if update(&entries[name]!, run) {
                changed = true
            }
            seen.append(name)
        }
        for gone in Set(entries.keys).subtracting(seen) { entries[gone] = nil; changed = true }
        if pollTensorBoard(&seen) { changed = true }
        if seen != order { order = seen; changed = true }
        if !reported { reported = true; changed = true }  // the first poll always answers, even "no runs"
        return changed ? order.compactMap { entries[$0]?.record ?? tensorBoardEntries[$0]?.record } : nil
    }

    /// Follows the folder's TensorBoard runs (after the run folders in `seen`): a run's record is
    /// rebuilt when its event files gained records or its liveness changed; true if any did.
    private func pollTensorBoard(_ seen: inout [String]) -> Bool {
        var changed = false
        let found = TensorBoardRun.runs(in: folder).filter { entries[$0.name] == nil }
        for fresh in found {
            let known = tensorBoardEntries[fresh.name]
            var entry = known ?? (fresh, RunRecord(tensorBoard: fresh))
            let grew = entry.run.update()
            if known == nil || grew || RunRecord.tensorBoardState(of: entry.run.folder).state != entry.record.status?.status {
                entry.record = RunRecord(tensorBoard: entry.run, reading: entry.run.reading())
                changed = true
            }
            tensorBoardEntries[fresh.name] = entry
            seen.append(fresh.name)
        }
        let names = Set(found.map(\.name))
        for gone in Set(tensorBoardEntries.keys).subtracting(names) { tensorBoardEntries[gone] = nil; changed = true }
        return changed
    }

    /// A run seen for the first time. The stamps are taken before the files are read, so that a
    /// change during the reading shows as a new stamp at the next poll; the metrics are read
    /// once, by the tail that follows them from then on.
    private static func read(_ run: RunDirectory) -> Entry? {
        let configStamp = FileStamp(run.file(.configuration)), statusStamp = FileStamp(run.file(.status))
        let previewStamp = FileStamp(run.file(.preview))
        var tail = MetricsTail(url: run.file(.metrics))
        guard configStamp != nil, let record = try? RunRecord(run, following: &tail) else { return nil }
        return Entry(record: record, tail: tail, configStamp: configStamp, statusStamp: statusStamp, previewStamp: previewStamp)
    }

    /// Rereads what changed in one run; true if anything did.
    private func update(_ entry: inout Entry, _ run: RunDirectory) -> Bool {
        var changed = false
        let lockHeld = RunLock.isHeld(run)  // before the status: see `RunRecord.isGone`
        let statusStamp = FileStamp(run.file(.status))
        if statusStamp != entry.statusStamp {
            entry.statusStamp = statusStamp
            entry.record.status = try? run.read(RunStatus.self, from: .status)
            changed = true
        }
        let (bytes, restarted) = entry.tail.readBytes()
        if restarted { entry.record.history = RunHistory() }
        if restarted || !bytes.isEmpty {
            entry.record.history.add(metrics: bytes)
            changed = true
        }
        let previewStamp = FileStamp(run.file(.preview))
        if previewStamp != entry.previewStamp {
            entry.previewStamp = previewStamp
            entry.record.preview = try? RunPreview(contentsOf: run.file(.preview))
            changed = true
        }
        let gone = RunRecord.isGone(entry.record.status, lockHeld: lockHeld) { RunLock.isHeld(run) }
        if gone != entry.record.processGone {
            entry.record.processGone = gone
            changed = true
        }
        return changed
    }
}

/// A file's size, modification time and inode: what changes when it is rewritten or replaced.
struct FileStamp: Equatable {
    let size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64

    init?(_ url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
        inode = UInt64(info.st_ino)
    }
}
