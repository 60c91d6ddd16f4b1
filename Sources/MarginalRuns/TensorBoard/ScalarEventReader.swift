import Foundation

/// Reads by hand the one shape of event that fills a scalar log — what `add_scalar` of PyTorch's
/// `SummaryWriter` (its default, `new_style=False`), TensorFlow 1 and marginal's own writer put
/// in nearly every record:
///
///     Event   { 1: wall_time (fixed64 double), 2: step (varint), 5: summary }
///     Summary { 1: value, repeated }
///     Value   { 1: tag (ASCII), 2: simple_value (fixed32 float) }
///
/// each field at most once (a summary's values any number of times), and nothing else. Any other
/// record — another field, another wire type, a repeated field, a step of 2⁶³ or more, a tag
/// that is not ASCII, bytes that end early — is refused whole (nothing appended), for
/// swift-protobuf to decode as before: what this reader accepts, swift-protobuf reads to the same
/// entries (`TensorBoardDecoderTests` checks both on written, real and fuzzed files). It exists
/// for speed: swift-protobuf's generic decoding of each message was the largest part of a long
/// file's first read.
struct ScalarEventReader {
    /// Tags met so far, each made a String once (a long file repeats a few tags 100 000 times).
    private var tags: [(bytes: [UInt8], string: String)] = []
    /// The tag after the last one matched: the likely next (a writer logs its tags in one order).
    private var next = 0
    /// More distinct tags than this are made afresh each time rather than searched for.
    private static let tagLimit = 1024

    /// Appends the scalars of `event` (an Event message's bytes) to `entries` and returns true
    /// when the event has the shape above; else appends nothing and returns false.
    mutating func read(_ event: UnsafeRawBufferPointer, into entries: inout [TensorBoardEntry]) -> Bool {
        var fields = ProtobufFields(event)
        var wallTime = 0.0, eventStep: UInt64 = 0, summary: UnsafeRawBufferPointer?
        while !fields.atEnd {
            guard let key = fields.key() else { return false }
            switch key {
            case 0x09:  // 1, fixed64
                guard let bits = fields.fixed64() else { return false }
                wallTime = Double(bitPattern: bits)
            case 0x10:  // 2, varint
                guard let value = fields.varint() else { return false }
                eventStep = value
            case 0x2A:  // 5, length-delimited
                guard let bytes = fields.lengthDelimited() else { return false }
                summary = bytes
            default:
                return false
            }
        }
        let step = Int(eventStep)
        guard let summary else { return true }  // an event without a summary: nothing to read
        let first = entries.count
        var values = ProtobufFields(summary)
        while !values.atEnd {
            guard values.byte() == 0x0A, let value = values.lengthDelimited(), let scalar = self.scalar(value, step: step, wallTime: wallTime)
            else {
                entries.removeSubrange(first...)
                return false
            }
            if let scalar { entries.append(.scalar(scalar)) }
        }
        return true
    }

    /// One Value: its scalar, or nil inside when it has no simple_value (swift-protobuf's reading
    /// gives no entry for it either); nil outside when it is not of the shape.
    private mutating func scalar(_ value: UnsafeRawBufferPointer, step: Int, wallTime: Double) -> TensorBoardScalar?? {
        var fields = ProtobufFields(value)
        var tag = "", number: Float?
        while !fields.atEnd {
            guard let key = fields.key() else { return nil }
            switch key {
            case 0x0A:  // 1, length-delimited
                guard let bytes = fields.lengthDelimited(), let string = intern(bytes) else { return nil }
                tag = string
            case 0x15:  // 2, fixed32
                guard let bits = fields.fixed32() else { return nil }
                number = Float(bitPattern: bits)
            default:
                return nil
            }
        }
        return .some(number.map { TensorBoardScalar(tag: tag, step: step, wallTime: wallTime, value: Double($0)) })
    }

    /// The tag spelled by `bytes`, made once; nil when they are not all ASCII (swift-protobuf
    /// checks other UTF-8).
    private mutating func intern(_ bytes: UnsafeRawBufferPointer) -> String? {
        func matches(_ index: Int) -> Bool {
            tags[index].bytes.count == bytes.count
                && tags[index].bytes.withUnsafeBytes { bytes.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
        }
        if next < tags.count, matches(next) {
            next += 1
            return tags[next - 1].string
        }
        if let index = tags.indices.first(where: matches) {
            next = index + 1
            return tags[index].string
        }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        let string = String(decoding: bytes, as: UTF8.self)
        if tags.count < Self.tagLimit {
            tags.append((Array(bytes), string))
            next = tags.count
        }
        return string
    }
}

/// A protobuf message's bytes read field by field, each read nil when the bytes end early or
/// the value is outside what `ScalarEventReader` accepts.
private struct ProtobufFields {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }

    /// The keys met so far, a bit each (every key the reader accepts is one byte below 64).
    private var seen: UInt64 = 0

    /// The next field's key, a one-byte varint (field number · 8 + wire type), when it is below
    /// 64 and not met before in this message (a repeated field is refused, but for the
    /// summary's values, read with `byte()`).
    mutating func key() -> UInt8? {
        guard let key = byte(), key < 64, seen & (1 << key) == 0 else { return nil }
        seen |= 1 << key
        return key
    }

    mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        position += 1
        return bytes[position - 1]
    }

    /// A varint of at most 9 bytes (below 2⁶³: a step that fits an Int).
    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 63, by: 7) {
            guard let byte = byte() else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
        }
        return nil
    }

    mutating func fixed64() -> UInt64? {
        guard bytes.count - position >= 8 else { return nil }
        defer { position += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func fixed32() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        defer { position += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    /// The bytes of a length-delimited field.
    mutating func lengthDelimited() -> UnsafeRawBufferPointer? {
        guard let length = varint(), length <= UInt64(bytes.count - position) else { return nil }
        defer { position += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[position ..< position + Int(length)])
    }
}
