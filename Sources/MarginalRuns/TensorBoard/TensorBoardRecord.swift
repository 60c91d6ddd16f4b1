import Foundation
import MarginalCore

/// What a run read from TensorBoard event files carries beside its history: its folder, the
/// notes of records skipped, whether its configuration was recorded, and its scalars outside
/// the tag convention (drawn as plain charts).
public struct TensorBoardOrigin: Sendable, Equatable {
    public let folder: URL
    /// One line per record skipped, naming the file and the byte.
    public var notes: [String]
    /// The run logged marginal's configuration (a `config` text summary holding config.json);
    /// otherwise the record's configuration is a stand-in (`RunRecord.tensorBoardStandIn`).
    public var configurationRecorded: Bool
    /// Each tag outside the convention, in the order first logged, with its points.
    public var otherScalars: [(tag: String, points: [TensorBoardScalar])]

    public static func == (a: Self, b: Self) -> Bool {
        a.folder == b.folder && a.notes == b.notes && a.configurationRecorded == b.configurationRecorded
            && a.otherScalars.map(\.tag) == b.otherScalars.map(\.tag) && a.otherScalars.map(\.points) == b.otherScalars.map(\.points)
    }
}

extension RunRecord {
    /// Seconds after its event files last grew that a TensorBoard run still reads as running
    /// (event files never say that a run ended).
    public static let tensorBoardLiveSeconds: TimeInterval = 60

    /// A TensorBoard run as the listing, the monitor and the comparison see a run: its history by
    /// `TensorBoardTags.reading`, its classes from its tags (or its recorded configuration), and
    /// a status of running while its files grew in the last `tensorBoardLiveSeconds`, else done;
    /// no pid, so it is never offered a stop or a resume.
    /// `reading`: the run's (`TensorBoardRun.reading()`), when the caller keeps it up to date.
    public init(tensorBoard run: TensorBoardRun, reading: TensorBoardReading? = nil, now: Date = Date()) {
        let recorded = run.texts[TensorBoardTags.configuration].flatMap(Self.recordedConfiguration)
        let reading = reading ?? TensorBoardTags.reading(run.scalars, order: run.tagOrder, classNames: recorded?.classNames)
        var configuration = recorded ?? Self.tensorBoardStandIn(steps: run.lastStep)
        configuration.classNames = reading.classNames
        name = run.name
        self.configuration = configuration
        history = reading.history
        let (state, first) = Self.tensorBoardState(of: run.folder, now: now)
        status = RunStatus(status: state, step: run.lastStep)
        preview = nil
        started = first
        tensorBoard = TensorBoardOrigin(folder: run.folder, notes: run.notes, configurationRecorded: recorded != nil,
                                        otherScalars: reading.otherTags.map { ($0, run.scalars[$0] ?? []) })
    }

    /// Running while the folder's event files grew in the last `tensorBoardLiveSeconds`, else
    /// done; and when the first of them was last written (the run's start, as near as files say).
    static func tensorBoardState(of folder: URL, now: Date = Date()) -> (state: RunState, first: Date?) {
        let modified = TensorBoardEventWriter.eventFiles(in: folder).compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0.path))?[.modificationDate] as? Date
        }
        let live = modified.max().map { now.timeIntervalSince($0) < tensorBoardLiveSeconds } ?? false
        return (live ? .running : .done, modified.min())
    }

    /// The configuration of a TensorBoard run that recorded none: no dataset but its folder, the
    /// plain loss `ce` (no λ, no τ: the columns that depend on them show "–"), its last step as
    /// its length. `datasetLabel` and `lossLabel` say "tensorboard" and "–" for it.
    static func tensorBoardStandIn(steps: Int) -> RunConfiguration {
        RunConfiguration(dataset: .folder(""), loss: .ce, lambda: nil, tau: 1, steps: max(1, steps), batch: 1, learningRate: 1,
                         optimizer: .adam, seed: 0, size: 64, width: 1, evalEvery: 1, threads: 1)
    }

    /// marginal's `config` text: config.json indented as a Markdown code block.
    static func recordedConfiguration(_ text: String) -> RunConfiguration? {
        let json = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? $0.dropFirst(4) : $0 }.joined(separator: "\n")
        return try? JSONDecoder().decode(RunConfiguration.self, from: Data(json.utf8))
    }

    /// Read from TensorBoard event files rather than a run folder.
    public var isTensorBoard: Bool { tensorBoard != nil }
    /// Whether the configuration is the run's own (a run folder's, or one its events recorded).
    public var configurationKnown: Bool { tensorBoard?.configurationRecorded ?? true }
    /// The dataset as a table shows it: "tensorboard" for a TensorBoard run without a configuration.
    public var datasetLabel: String { configurationKnown ? configuration.dataset.description : "tensorboard" }
    /// The loss as a table shows it: "–" when unknown.
    public var lossLabel: String { configurationKnown ? configuration.loss.rawValue : "–" }
    /// nil when `runs` share their classes: one dataset among the runs with a configuration, and,
    /// when a TensorBoard run without one is among them, the same class names in every run; else
    /// what differs, for the error ("lesions, organ", or the class lists).
    public static func classConflict(_ runs: [RunRecord]) -> String? {
        let datasets = Set(runs.filter(\.configurationKnown).map(\.configuration.dataset.description))
        if datasets.count > 1 { return datasets.sorted().joined(separator: ", ") }
        guard runs.contains(where: { !$0.configurationKnown }) else { return nil }
        let lists = runs.map { $0.classNames.joined(separator: ", ") }
        return Set(lists).count > 1 ? Array(Set(lists)).sorted().map { "[\($0)]" }.joined(separator: ", ") : nil
    }
}
