import Foundation
import MarginalCore

/// Appends little-endian numbers to a byte buffer (the checkpoint formats' one writer).
struct LittleEndianWriter {
    private(set) var data = Data()

    mutating func append(_ bytes: Data) { data.append(bytes) }

    mutating func append<I: FixedWidthInteger>(_ value: I) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// UInt32 byte length, then the UTF-8 bytes.
    mutating func append(_ string: String) {
        let bytes = Data(string.utf8)
        append(UInt32(bytes.count))
        data.append(bytes)
    }

    /// The elements as IEEE 754 binary32 (`width` 4) or binary64 (`width` 8), little-endian.
    mutating func append<T: EngineScalar>(_ values: [T], width: Int) {
        precondition(width == 4 || width == 8, "element width must be 4 or 8 bytes")
        data.reserveCapacity(data.count + values.count * width)
        if width == 4 {
            for value in values { append(Float(value).bitPattern) }
        } else {
            for value in values { append(Double(value).bitPattern) }
        }
    }
}

/// Reads little-endian numbers off a byte buffer; running out of bytes is a one-line
/// `MarginalError` naming the source, never a crash.
struct LittleEndianReader {
    let data: Data
    /// Names the bytes in errors (a path, or "checkpoint").
    let source: String
    private(set) var offset = 0

    init(_ data: Data, source: String) {
        self.data = data
        self.source = source
    }

    var isAtEnd: Bool { offset == data.count }
    var remaining: Int { data.count - offset }

    mutating func bytes(_ count: Int) throws(MarginalError) -> Data {
        guard count >= 0, count <= remaining else { throw MarginalError("\(source): the file is truncated") }
        defer { offset += count }
        let start = data.startIndex + offset
        return data.subdata(in: start ..< start + count)
    }

    mutating func integer<I: FixedWidthInteger>(_: I.Type) throws(MarginalError) -> I {
        let size = MemoryLayout<I>.size
        guard size <= remaining else { throw MarginalError("\(source): the file is truncated") }
        defer { offset += size }
        return data.withUnsafeBytes { I(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: I.self)) }
    }

    /// A count stored as UInt32 or UInt64, refused when larger than `limit` (so a corrupt header
    /// cannot ask for an absurd allocation).
    mutating func count<I: FixedWidthInteger>(_ type: I.Type, limit: Int, what: String) throws(MarginalError) -> Int {
        let value = try integer(type)
        guard value >= 0, UInt64(value) <= UInt64(limit) else {
            throw MarginalError("\(source): \(what) \(value) is out of range; the file is corrupt")
        }
        return Int(value)
    }

    mutating func string(limit: Int = 4096) throws(MarginalError) -> String {
        let length = try count(UInt32.self, limit: limit, what: "string length")
        guard let string = String(data: try bytes(length), encoding: .utf8) else {
            throw MarginalError("\(source): a name is not UTF-8; the file is corrupt")
        }
        return string
    }

    /// `count` elements of binary32 (`width` 4) or binary64 (`width` 8).
    mutating func values<T: EngineScalar>(_ count: Int, width: Int, as _: T.Type) throws(MarginalError) -> [T] {
        guard count <= remaining / width else { throw MarginalError("\(source): the file is truncated") }
        var result = [T](repeating: 0, count: count)
        if width == 4 {
            for i in 0 ..< count { result[i] = T(Float(bitPattern: try integer(UInt32.self))) }
        } else {
            for i in 0 ..< count { result[i] = T(Double(bitPattern: try integer(UInt64.self))) }
        }
        return result
    }
}

extension EngineScalar {
    /// 4 for `Float`, 8 for `Double`: the width a checkpoint stores this type's elements in.
    static var storageWidth: Int { MemoryLayout<Self>.size == 4 ? 4 : 8 }
}
