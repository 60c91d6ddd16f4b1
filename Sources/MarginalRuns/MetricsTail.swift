import Foundation
import MarginalCore

/// Follows a growing `metrics.jsonl` (`tail -f`): each `read()` returns the lines completed
/// since the last call, never a line still being written (text after the last newline waits
/// for its newline). A file that was replaced or got shorter — `--resume` rewrites it without
/// the lines after its checkpoint — is read again from the start, and `restarted` says so. A
/// replacement is known by its inode, its size, or — when both look unchanged (a new file on
/// a reused inode, or one rewritten in place, that has grown past where the reading stopped)
/// — by the bytes just before that point no longer being the ones read there.
public struct MetricsTail: Sendable {
    public let url: URL
    private var offset: UInt64 = 0
    private var inode: UInt64?
    /// The last bytes read (at most `witnessLength`), ending at `offset`: an unchanged file still holds them there.
    private var witness = Data()
    /// Long enough to hold a step number and a time, which differ from line to line.
    private static let witnessLength = 64

    public init(url: URL) { self.url = url }

    public mutating func read() -> (lines: [String], restarted: Bool) {
        let (bytes, restarted) = readBytes()
        return (bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }, restarted)
    }

    /// Like `read`, the complete lines as they lie in the file (each ended by its newline), for
    /// a reader that takes them without a string a line (`RunHistory.add(metrics:)`).
    public mutating func readBytes() -> (bytes: Data, restarted: Bool) {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let restarted = offset > 0
            forget()
            inode = nil
            return (Data(), restarted)
        }
        var restarted = false
        if inode != UInt64(info.st_ino) || UInt64(info.st_size) < offset {
            restarted = offset > 0
            forget()
            inode = UInt64(info.st_ino)
        }
        guard UInt64(info.st_size) > offset, let handle = FileHandle(forReadingAtPath: url.path) else { return (Data(), restarted) }
        defer { try? handle.close() }
        func bytes(from start: UInt64) -> Data? {
            guard (try? handle.seek(toOffset: start)) != nil else { return nil }
            return try? handle.readToEnd()
        }
        var data = bytes(from: offset - UInt64(witness.count))
        if let read = data, read.starts(with: witness) {
            data = read.dropFirst(witness.count)
        } else {
            restarted = true  // the witness is not empty here: offset > 0
            forget()
            data = bytes(from: 0)
        }
        guard let data, let end = data.lastIndex(of: UInt8(ascii: "\n")) else { return (Data(), restarted) }
        let complete = data[data.startIndex ... end]
        offset += UInt64(complete.count)
        witness = Data(complete.suffix(Self.witnessLength))
        return (complete, restarted)
    }

    /// Back to the start of the file, as if nothing of it had been read.
    private mutating func forget() {
        offset = 0
        witness = Data()
    }
}

/// The complete lines of a metrics file: text after the last newline is a line still being written.
public func readMetricLines(_ url: URL) -> [String] {
    var tail = MetricsTail(url: url)
    return tail.read().lines
}
