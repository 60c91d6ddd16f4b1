import Foundation
import MarginalCore
import SwiftProtobuf

/// Writes one TensorBoard event file, `events.out.tfevents.<seconds>.<host>.<pid>`, in a folder:
/// a `file_version` event first, then an event per call, each record appended with a single
/// write(2) (as `metrics.jsonl`'s lines are), so a reader tailing the file sees whole records or
/// a half-written last one that it waits for. Each trainer process writes a file of its own;
/// TensorBoard reads a run folder's event files in name order, and the seconds in the name
/// are made later than any file already there, so a resumed run's file comes after.
public final class TensorBoardEventWriter {
    public let url: URL
    private let descriptor: Int32

    /// The event files of a folder, as TensorBoard finds them: every file whose name holds
    /// "tfevents", in name order.
    public static func eventFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.contains("tfevents") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// A new event file in `folder`, named for `wallTime` (seconds since the epoch), or a later
    /// second when a file of that second or later is there already.
    public init(folder: URL, wallTime: Double = Date().timeIntervalSince1970) throws(MarginalError) {
        var seconds = Int(wallTime)
        for file in Self.eventFiles(in: folder) {
            let parts = file.lastPathComponent.split(separator: ".")
            if let index = parts.firstIndex(of: "tfevents"), index + 1 < parts.count, let earlier = Int(parts[index + 1]) {
                seconds = max(seconds, earlier + 1)
            }
        }
        let name = "events.out.tfevents.\(String(format: "%010d", seconds)).\(Self.hostName()).\(getpid())"
        url = folder.appendingPathComponent(name)
        descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw MarginalError("\(url.path): cannot create (\(String(cString: strerror(errno))))") }
        var version = Tensorboard_Event()
        version.wallTime = wallTime
        version.fileVersion = "brain.Event:2"
        version.sourceMetadata.writer = "marginal"
        try write(version)
    }

    deinit { close(descriptor) }

    /// One event holding `scalars` (as `simple_value`s, TensorBoard's float32) at `step`.
    public func write(scalars: [(tag: String, value: Double)], step: Int, wallTime: Double = Date().timeIntervalSince1970) throws(MarginalError) {
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.summary.value = scalars.map { scalar in
            var value = Tensorboard_Summary.Value()
            value.tag = scalar.tag
            value.simpleValue = Float(scalar.value)
            return value
        }
        try write(event)
    }

    /// A text summary (TensorBoard's Text tab renders it as Markdown) at `step`: a string
    /// tensor of shape [1] under the "text" plugin, as TensorFlow's and PyTorch's writers put it.
    public func write(text: String, tag: String, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws(MarginalError) {
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.metadata.pluginData.pluginName = "text"
        value.metadata.dataClass = .tensor
        value.tensor.dtype = .dtString
        var dimension = Tensorboard_TensorShapeProto.Dim()
        dimension.size = 1
        value.tensor.tensorShape.dim = [dimension]
        value.tensor.stringVal = [Data(text.utf8)]
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.summary.value = [value]
        try write(event)
    }

    /// A session START at `step`: TensorBoard (and `TensorBoardRun`) drop the scalars earlier
    /// files logged at `step` or later, which a resumed run is about to train again.
    public func writeStart(step: Int, wallTime: Double = Date().timeIntervalSince1970) throws(MarginalError) {
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.sessionLog.status = .start
        try write(event)
    }

    private func write(_ event: Tensorboard_Event) throws(MarginalError) {
        let data: Data
        do { data = try event.serializedBytes() } catch { throw MarginalError("cannot encode a TensorBoard event") }
        let record = TFRecord.frame(data)
        let written = record.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == record.count else { throw MarginalError("\(url.path): cannot append (\(String(cString: strerror(errno))))") }
    }

    /// This machine's name, as TensorFlow puts it in event file names (dots would split the name's parts).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: ".", with: "-")
        return name.isEmpty ? "localhost" : name
    }
}
