import Foundation

/// TFRecord framing, the container of TensorBoard's event files: each record is
/// `uint64 length · uint32 masked CRC-32C of those 8 bytes · data · uint32 masked CRC-32C of
/// data`, little-endian (TensorFlow's `core/lib/io/record_writer.cc`).
public enum TFRecord {
    /// The bytes before a record's data.
    static let headerLength = 12
    /// The bytes after it.
    static let footerLength = 4

    /// One record holding `data`.
    public static func frame(_ data: Data) -> Data {
        var length = UInt64(data.count).littleEndian
        let lengthBytes = withUnsafeBytes(of: &length) { Data($0) }
        var record = Data(capacity: headerLength + data.count + footerLength)
        record.append(lengthBytes)
        record.append(littleEndian: maskedCRC32C(lengthBytes))
        record.append(data)
        record.append(littleEndian: maskedCRC32C(data))
        return record
    }

    /// What `scan` found in a run of bytes.
    public struct Scan: Sendable, Equatable {
        /// The data of every whole record with good CRCs (slices of the scanned bytes), with the offset where each starts.
        public var records: [(offset: Int, data: Data)] = []
        /// Where the next scan starts: after the last whole record (or skipped bytes). A record
        /// still being written — its header or data not all there yet — starts here and waits.
        public var end: Int
        /// One line per record or run of bytes skipped, naming the byte offsets.
        public var notes: [String] = []

        public static func == (a: Scan, b: Scan) -> Bool {
            a.end == b.end && a.notes == b.notes && a.records.map(\.offset) == b.records.map(\.offset)
                && a.records.map(\.data) == b.records.map(\.data)
        }
    }

    /// The records of `bytes` from `start`. A record whose data fails its CRC is skipped with a
    /// note (its length is trusted: its own CRC passed). A header whose length fails its CRC
    /// cannot say where the record ends, so the bytes up to the next header that passes are
    /// skipped with a note. Never traps, whatever the bytes. Notes number bytes from
    /// `numberingFrom` (where `bytes` start in their file).
    public static func scan(_ bytes: Data, from start: Int = 0, numberingFrom first: Int = 0) -> Scan {
        bytes.withUnsafeBytes { buffer in
            var records: [(offset: Int, data: Data)] = []
            var scan = scan(buffer, from: start, numberingFrom: first) { offset, data in
                let dataStart = bytes.startIndex + offset + headerLength
                records.append((offset, bytes[dataStart ..< dataStart + data.count]))  // a slice of `bytes`: no copy
            }
            scan.records = records
            return scan
        }
    }

    /// `scan(_:from:numberingFrom:)` over raw bytes, handing each good record's data to `record`
    /// with the offset where the record starts, as a pointer into `bytes` (no copy a record).
    /// The returned scan's `records` is empty.
    static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, numberingFrom first: Int = 0,
                     record: (_ offset: Int, _ data: UnsafeRawBufferPointer) -> Void) -> Scan {
        let count = bytes.count
        var scan = Scan(end: start)
        var position = start
        func uint32(at index: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)) }
        /// The record length at `at`, when its header is whole and its CRC passes.
        func validLength(at: Int) -> UInt64? {
            guard at + headerLength <= count else { return nil }
            guard uint32(at: at + 8) == maskedCRC32C(UnsafeRawBufferPointer(rebasing: bytes[at ..< at + 8])) else { return nil }
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
        while position + headerLength <= count {
            guard let length = validLength(at: position) else {
                // Find the next header that passes; a header that starts in the last 11 bytes
                // cannot be checked yet, so the scan resumes there at the latest.
                var next = position + 1
                while next + headerLength <= count, validLength(at: next) == nil { next += 1 }
                scan.notes.append("bytes \(first + position)–\(first + next - 1): not a record (its length fails its CRC), skipped")
                position = next
                scan.end = position
                continue
            }
            let dataStart = position + headerLength
            guard length <= UInt64(count - dataStart), Int(length) + footerLength <= count - dataStart else { break }
            let dataEnd = dataStart + Int(length)
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart ..< dataEnd])
            if uint32(at: dataEnd) == maskedCRC32C(data) {
                record(position, data)
            } else {
                scan.notes.append("record at byte \(first + position): its data fails its CRC, skipped")
            }
            position = dataEnd + footerLength
            scan.end = position
        }
        return scan
    }
}

extension Data {
    mutating func append(littleEndian value: UInt32) {
        var value = value.littleEndian
        Swift.withUnsafeBytes(of: &value) { append(contentsOf: $0) }
    }

    func littleEndianUInt32(at index: Index) -> UInt32 {
        (0 ..< 4).reduce(UInt32(0)) { $0 | UInt32(self[index + $1]) << (8 * UInt32($1)) }
    }

    func littleEndianUInt64(at index: Index) -> UInt64 {
        (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(self[index + $1]) << (8 * UInt64($1)) }
    }
}
