import Foundation
import MarginalCore

/// A run's state as a reader should take it: what `status.json` says, except that a run marked
/// running whose process no longer exists (killed, or the machine restarted) is `failed`.
public enum RunState: String, Sendable, Equatable {
    case running, done, stopped, failed
}

/// A run as the listing, the monitor and the comparison see it: its configuration, status,
/// metrics and latest preview.
public struct RunRecord: Sendable, Equatable {
    public let name: String
    public let configuration: RunConfiguration
    public var status: RunStatus?
    public var history: RunHistory
    public var preview: RunPreview?
    /// The status says running, but its process is gone.
    public var processGone = false

    public var evaluations: [EvalLine] { history.evaluations }
    public var bestMIoU: Double? { evaluations.compactMap(\.result.miou).max() }
    public var latest: EvaluationResult? { evaluations.last?.result }
    public var step: Int { max(status?.step ?? 0, history.lastStep) }
    /// The λ the loss uses: the configured one, or the loss's default (nil for a loss without λ).
    public var lambda: Double? { configuration.lambda ?? LossName(rawValue: configuration.loss)?.defaultLambda }
    /// Class names from the configuration, or "class k" for a run recorded without them.
    public var classNames: [String] {
        configuration.classNames ?? (0 ..< (latest?.iou.count ?? 0)).map { "class \($0)" }
    }

    public var state: RunState {
        guard let status else { return .running }  // the trainer writes status.json first thing
        if processGone { return .failed }
        return RunState(rawValue: status.status) ?? .failed
    }

    /// The error of a failed run, in one line.
    public var failure: String? {
        if processGone { return "the training process ended without saving its status (killed?)" }
        return state == .failed ? status?.error : nil
    }

    /// Reads a whole run folder (the metrics' last line is skipped when it is not complete).
    public init(_ run: RunDirectory) throws(MarginalError) {
        name = run.name
        configuration = try run.read(RunConfiguration.self, from: "config.json")
        status = try? run.read(RunStatus.self, from: "status.json")
        history = RunHistory(lines: readMetricLines(run.file("metrics.jsonl")))
        preview = try? RunPreview(contentsOf: run.file(RunPreview.fileName))
        processGone = Self.isGone(status)
    }

    /// Every run folder (one with a config.json) under `runsFolder`, by name.
    public static func all(in runsFolder: URL) -> [RunRecord] {
        RunWatcher(folder: runsFolder).poll() ?? []
    }

    /// True when `status` says running and its pid names no process (kill(pid, 0) fails with
    /// ESRCH; EPERM means it exists under another user).
    static func isGone(_ status: RunStatus?) -> Bool {
        guard let status, status.status == "running", let pid = status.pid, pid > 0 else { return false }
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

    private struct Entry {
        var record: RunRecord
        var tail: MetricsTail
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
            if entries[name] == nil {
                guard FileStamp(run.file("config.json")) != nil, let record = try? RunRecord(run) else { continue }
                var tail = MetricsTail(url: run.file("metrics.jsonl"))
                _ = tail.read()  // the record has read these lines already
                entries[name] = Entry(record: record, tail: tail, statusStamp: FileStamp(run.file("status.json")),
                                      previewStamp: FileStamp(run.file(RunPreview.fileName)))
                changed = true
            } else if update(&entries[name]!, run) {
                changed = true
            }
            seen.append(name)
        }
        for gone in Set(entries.keys).subtracting(seen) { entries[gone] = nil; changed = true }
        if seen != order { order = seen; changed = true }
        if !reported { reported = true; changed = true }  // the first poll always answers, even "no runs"
        return changed ? order.compactMap { entries[$0]?.record } : nil
    }

    /// Rereads what changed in one run; true if anything did.
    private func update(_ entry: inout Entry, _ run: RunDirectory) -> Bool {
        var changed = false
        let statusStamp = FileStamp(run.file("status.json"))
        if statusStamp != entry.statusStamp {
            entry.statusStamp = statusStamp
            entry.record.status = try? run.read(RunStatus.self, from: "status.json")
            changed = true
        }
        let (lines, restarted) = entry.tail.read()
        if restarted { entry.record.history = RunHistory() }
        if restarted || !lines.isEmpty {
            entry.record.history.add(lines)
            changed = true
        }
        let previewStamp = FileStamp(run.file(RunPreview.fileName))
        if previewStamp != entry.previewStamp {
            entry.previewStamp = previewStamp
            entry.record.preview = try? RunPreview(contentsOf: run.file(RunPreview.fileName))
            changed = true
        }
        let gone = RunRecord.isGone(entry.record.status)
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
