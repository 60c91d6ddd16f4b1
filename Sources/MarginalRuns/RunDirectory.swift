import Foundation
import MarginalCore

/// A run's folder, `runs/<name>/` (docs/ARCHITECTURE.md, "Training runs"), holding the files
/// `RunFile` names: configuration, metrics (append-only, one JSON object a line, written whole
/// per line), checkpoint and its metadata, status, the preview, and the summary at the end.
/// Every file but the metrics is replaced atomically, so a reader never sees half of one.
public struct RunDirectory: Sendable {
    public let url: URL
    public var name: String { url.lastPathComponent }

    public init(runsFolder: URL, name: String) throws(MarginalError) {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw MarginalError("run name '\(name)': a run name is one folder name, without '/'")
        }
        url = runsFolder.appendingPathComponent(name)
    }

    public func file(_ file: RunFile) -> URL { url.appendingPathComponent(file.rawValue) }
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Makes the folder (and the runs folder); one line when that is impossible.
    public func create() throws(MarginalError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw MarginalError("\(url.path): cannot create the run folder (\((error as NSError).localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: url.path) else {
            throw MarginalError("\(url.path): the run folder is not writable")
        }
    }

    public func write<Value: Encodable>(_ value: Value, to file: RunFile) throws(MarginalError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(value) } catch { throw MarginalError("cannot encode \(file.rawValue)") }
        try writeAtomically(data + Data("\n".utf8), to: self.file(file))
    }

    public func read<Value: Decodable>(_ type: Value.Type, from file: RunFile) throws(MarginalError) -> Value {
        let url = self.file(file)
        guard let data = try? Data(contentsOf: url) else { throw MarginalError("\(url.path): missing or unreadable") }
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw MarginalError("\(url.path): not a valid \(file.rawValue)")
        }
    }

    /// Appends one line to metrics.jsonl with a single write(2), so that a reader that tails the
    /// file sees either nothing or the whole line (a half-written line is possible only if the
    /// process dies mid-write; readers skip a last line without its newline). A short write (a
    /// full disk) is cut back off, so the file keeps only whole lines, and the error names the errno.
    public func appendMetrics<Value: Encodable>(_ value: Value) throws(MarginalError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let line = try? encoder.encode(value) else { throw MarginalError("cannot encode a metrics line") }
        let path = file(.metrics).path
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw MarginalError("\(path): cannot append (\(describeErrno(errno)))") }
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        let bytes = line + Data("\n".utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let code = written < 0 ? errno : ENOSPC  // a short write: the disk filled up mid-line
            if written > 0, end >= 0 { _ = ftruncate(descriptor, end) }
            throw MarginalError("\(path): cannot append (\(describeErrno(code)))")
        }
    }
}

/// One `{"type":"train", …}` line.
public struct TrainLine: Codable, Sendable, Equatable {
    public var type = "train"
    public var step: Int
    public var epoch: Double
    public var time: Double
    public var lr: Double
    public var loss: Double
    public var ce: Double
    public var reg: Double

    public init(step: Int, epoch: Double, time: Double, lr: Double, loss: Double, ce: Double, reg: Double) {
        self.step = step; self.epoch = epoch; self.time = time; self.lr = lr; self.loss = loss; self.ce = ce; self.reg = reg
    }
}

/// One `{"type":"eval", …}` line: the evaluation's numbers and when.
public struct EvalLine: Codable, Sendable, Equatable {
    public var type = "eval"
    public var step: Int
    public var epoch: Double
    public var time: Double
    public var result: EvaluationResult

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(type, forKey: DynamicKey("type"))
        try container.encode(step, forKey: DynamicKey("step"))
        try container.encode(epoch, forKey: DynamicKey("epoch"))
        try container.encode(time, forKey: DynamicKey("time"))
        try result.encode(to: encoder)
    }

    public init(step: Int, epoch: Double, time: Double, result: EvaluationResult) {
        self.step = step; self.epoch = epoch; self.time = time; self.result = result
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        step = try container.decode(Int.self, forKey: DynamicKey("step"))
        epoch = try container.decode(Double.self, forKey: DynamicKey("epoch"))
        time = try container.decode(Double.self, forKey: DynamicKey("time"))
        result = try EvaluationResult(from: decoder)
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
