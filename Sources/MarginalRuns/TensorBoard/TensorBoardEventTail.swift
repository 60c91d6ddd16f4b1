import Foundation
import SwiftProtobuf

/// One scalar of an event file: a tag's value at a step.
public struct TensorBoardScalar: Sendable, Equatable {
    public var tag: String
    public var step: Int
    /// Seconds since the Unix epoch.
    public var wallTime: Double
    public var value: Double

    public init(tag: String, step: Int, wallTime: Double, value: Double) {
        self.tag = tag; self.step = step; self.wallTime = wallTime; self.value = value
    }
}

/// What an event file says, in the order it says it.
public enum TensorBoardEntry: Sendable, Equatable {
    case scalar(TensorBoardScalar)
    /// A text summary (the "text" plugin), such as marginal's `config`.
    case text(tag: String, step: Int, text: String)
    /// A session START: what earlier files logged at this step or later is dropped.
    case start(step: Int)
}

/// Follows one growing event file: each `read()` returns the entries of the records completed
/// since the last call. A record still being written (its header or data not all there) waits
/// for the next call; a record that fails its CRC, and bytes that are no record, are skipped
/// with a note naming the file and the byte; a record that is no `Event` likewise. Scalars are
/// read in both forms: `simple_value` (TensorFlow 1, PyTorch's `SummaryWriter.add_scalar`) and
/// a one-element float tensor under the "scalars" plugin (TensorFlow 2, `new_style=True`).
/// Records are read in place from the file's bytes; a plain scalar event (`ScalarEventReader`'s
/// shape) is read by hand, any other is decoded by swift-protobuf.
public struct TensorBoardEventTail: Sendable {
    public let url: URL
    private var offset: UInt64 = 0
    /// Tags whose first value said "scalars" (TensorFlow 2 writes the metadata only once).
    private var scalarTags: Set<String> = []
    /// The reader of plain scalar events; nil: every record decoded by swift-protobuf (the
    /// tests' reference reading).
    private var byHand: ScalarEventReader?

    public init(url: URL) { self.init(url: url, decodingByHand: true) }

    /// `decodingByHand`: plain scalar events read by `ScalarEventReader`, the rest by
    /// swift-protobuf; false: all by swift-protobuf.
    init(url: URL, decodingByHand: Bool) {
        self.url = url
        byHand = decodingByHand ? ScalarEventReader() : nil
    }

    public mutating func read() -> (entries: [TensorBoardEntry], notes: [String]) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return ([], []) }
        if UInt64(info.st_size) < offset { offset = 0; scalarTags = [] }  // replaced by a shorter file
        guard UInt64(info.st_size) > offset, let handle = FileHandle(forReadingAtPath: url.path) else { return ([], []) }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let bytes = try? handle.readToEnd() else { return ([], []) }
        let start = offset
        var entries: [TensorBoardEntry] = []
        var undecoded: [Int] = []
        let scan = bytes.withUnsafeBytes { buffer in
            TFRecord.scan(buffer, numberingFrom: Int(start)) { recordOffset, data in
                if !read(record: data, into: &entries) { undecoded.append(recordOffset) }
            }
        }
        offset += UInt64(scan.end)
        let skipped = undecoded.map { "record at byte \(start + UInt64($0)): not a TensorBoard event, skipped" }
        return (entries, (scan.notes + skipped).map { "\(url.path): \($0)" })
    }

    /// Appends the entries of one record's data (an Event's bytes) to `entries`; false, with
    /// nothing appended, when they are no Event.
    mutating func read(record data: UnsafeRawBufferPointer, into entries: inout [TensorBoardEntry]) -> Bool {
        if byHand?.read(data, into: &entries) == true { return true }
        guard let event = try? Tensorboard_Event(serializedBytes: Data(data)) else { return false }
        append(event, to: &entries)
        return true
    }

    /// The entries of `event`, appended where they go (no array an event: a long file has 100 000).
    private mutating func append(_ event: Tensorboard_Event, to entries: inout [TensorBoardEntry]) {
        let step = Int(clamping: event.step)
        switch event.what {
        case .sessionLog(let log) where log.status == .start:
            entries.append(.start(step: step))
        case .summary(let summary):
            for value in summary.value {
                guard let entry = entry(of: value, step: step, wallTime: event.wallTime) else { continue }
                entries.append(entry)
            }
        default:
            return
        }
    }

    /// One value of a summary as an entry: a scalar, a text, or nil (another plugin's).
    private mutating func entry(of value: Tensorboard_Summary.Value, step: Int, wallTime: Double) -> TensorBoardEntry? {
        let plugin = value.metadata.pluginData.pluginName
        if plugin == "scalars" { scalarTags.insert(value.tag) }
        switch value.value {
        case .simpleValue(let number):
            return .scalar(TensorBoardScalar(tag: value.tag, step: step, wallTime: wallTime, value: Double(number)))
        case .tensor(let tensor):
            if plugin == "text", let text = tensor.stringVal.first {
                return .text(tag: value.tag, step: step, text: String(decoding: text, as: UTF8.self))
            }
            let isScalar = scalarTags.contains(value.tag) || (plugin.isEmpty && tensor.tensorShape.dim.allSatisfy { $0.size == 1 })
            guard isScalar, let number = Self.number(in: tensor) else { return nil }
            return .scalar(TensorBoardScalar(tag: value.tag, step: step, wallTime: wallTime, value: number))
        case nil:
            return nil
        }
    }

    /// The one number a scalar tensor holds, from its typed values or its raw little-endian bytes.
    static func number(in tensor: Tensorboard_TensorProto) -> Double? {
        switch tensor.dtype {
        case .dtFloat:
            if let value = tensor.floatVal.first { return Double(value) }
            guard tensor.tensorContent.count == 4 else { return nil }
            return Double(Float(bitPattern: tensor.tensorContent.littleEndianUInt32(at: tensor.tensorContent.startIndex)))
        case .dtDouble:
            if let value = tensor.doubleVal.first { return value }
            guard tensor.tensorContent.count == 8 else { return nil }
            return Double(bitPattern: tensor.tensorContent.littleEndianUInt64(at: tensor.tensorContent.startIndex))
        case .dtInt32:
            return tensor.intVal.first.map(Double.init)
        case .dtInt64:
            return tensor.int64Val.first.map(Double.init)
        default:
            return nil
        }
    }
}
