import Foundation

/// A TensorBoard run: a folder holding event files, read as TensorBoard reads it — its files in
/// name order, each tailed as it grows (`TensorBoardEventTail`), a session START dropping what
/// was logged at its step or later, and a tag's step going back dropping that tag's later
/// points (TensorBoard's "orphaned data" purge), so a resumed run reads as one curve.
public struct TensorBoardRun: Sendable {
    public let folder: URL
    /// The run's name: its folder relative to the logdir ("." for the logdir itself).
    public let name: String
    /// Each tag's points, in step order.
    public private(set) var scalars: [String: [TensorBoardScalar]] = [:]
    /// The scalar tags in the order the files first logged them (a writer logs its classes in
    /// class order, which sorted tags would lose).
    public private(set) var tagOrder: [String] = []
    /// Each text tag's latest text (marginal's `config`).
    public private(set) var texts: [String: String] = [:]
    /// One line per record skipped, naming the file and the byte.
    public private(set) var notes: [String] = []
    private var tails: [String: TensorBoardEventTail] = [:]
    /// The lowest step whose points changed since `lastReading` was made (nil: none did).
    private var changedFrom: Int?
    /// The last `reading()`, and the class names it was made under.
    private var lastReading: (classNames: [String]?, reading: TensorBoardReading)?

    public init(folder: URL, name: String) {
        self.folder = folder
        self.name = name
    }

    /// The tags with scalars, sorted.
    public var tags: [String] { scalars.keys.sorted() }
    /// The last step of any scalar.
    public var lastStep: Int { scalars.values.compactMap(\.last?.step).max() ?? 0 }

    /// Reads what the run's event files gained since the last call; true when anything changed.
    @discardableResult
    public mutating func update() -> Bool {
        var changed = false
        for file in TensorBoardEventWriter.eventFiles(in: folder) {
            let key = file.lastPathComponent
            var tail = tails[key] ?? TensorBoardEventTail(url: file)
            let (entries, newNotes) = tail.read()
            tails[key] = tail
            notes += newNotes
            changed = changed || !entries.isEmpty || !newNotes.isEmpty
            for entry in entries { apply(entry) }
        }
        return changed
    }

    mutating func apply(_ entry: TensorBoardEntry) {
        switch entry {
        case .scalar(let scalar):
            // A point at this step, and any purge, change this step and later ones only.
            changedFrom = min(changedFrom ?? .max, scalar.step)
            // In place (a copy of the array per point would make a long file quadratic), and the
            // tag hashed once a point.
            guard let index = scalars.index(forKey: scalar.tag) else {
                tagOrder.append(scalar.tag)
                scalars[scalar.tag] = [scalar]
                return
            }
            if let last = scalars.values[index].last, scalar.step <= last.step {
                scalars.values[index].removeAll { $0.step >= scalar.step }
            }
            scalars.values[index].append(scalar)
        case .text(let tag, _, let text):
            texts[tag] = text
        case .start(let step):
            changedFrom = min(changedFrom ?? .max, step)
            for tag in scalars.keys { scalars[tag]?.removeAll { $0.step >= step } }
        }
    }

    /// The scalars read as a run's typed lines (`TensorBoardTags.reading`, under the classes of
    /// the configuration the run recorded, if any), made again only from the earliest step that
    /// changed since the last call: a growing file costs its new records, not its length.
    public mutating func reading() -> TensorBoardReading {
        let known = texts[TensorBoardTags.configuration].flatMap(RunRecord.recordedConfiguration)?.classNames
        let made: TensorBoardReading
        if let last = lastReading, last.classNames == known {
            made = changedFrom.map { TensorBoardTags.reading(scalars, order: tagOrder, classNames: known, continuing: last.reading, from: $0) }
                ?? last.reading
        } else {
            made = TensorBoardTags.reading(scalars, order: tagOrder, classNames: known)
        }
        lastReading = (known, made)
        changedFrom = nil
        return made
    }

    /// The runs of a TensorBoard logdir, found as TensorBoard finds them: every folder in the
    /// tree (the logdir included) that holds a file whose name contains "tfevents", by name.
    /// Folders that are marginal's own runs (they hold a `config.json`) are left out when
    /// `skippingMarginalRuns`, since marginal lists those from their metrics.
    public static func runs(in logdir: URL, skippingMarginalRuns: Bool = true) -> [TensorBoardRun] {
        var found: [TensorBoardRun] = []
        func visit(_ folder: URL, name: String, depth: Int) {
            guard depth < 16, let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
            let isMarginalRun = entries.contains(RunFile.configuration.rawValue)
            if entries.contains(where: { $0.contains("tfevents") }), !(skippingMarginalRuns && isMarginalRun) {
                found.append(TensorBoardRun(folder: folder, name: name))
            }
            for entry in entries.sorted() where !entry.hasPrefix(".") {
                var isFolder: ObjCBool = false
                let child = folder.appendingPathComponent(entry)
                guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
                visit(child, name: name == "." ? entry : "\(name)/\(entry)", depth: depth + 1)
            }
        }
        visit(logdir, name: ".", depth: 0)
        return found.sorted { $0.name < $1.name }
    }
}
