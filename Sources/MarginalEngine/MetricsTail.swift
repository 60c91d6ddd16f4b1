import Foundation
import MarginalCore

/// Follows a growing `metrics.jsonl` (`tail -f`): each `read()` returns the lines completed
/// since the last call, never a line still being written (text after the last newline waits
/// for its newline). A file that was replaced or got shorter — `--resume` rewrites it without
/// the lines after its checkpoint — is read again from the start, and `restarted` says so.
public struct MetricsTail: Sendable {
    public let url: URL
    private var offset: UInt64 = 0
    private var inode: UInt64?

    public init(url: URL) { self.url = url }

    public mutating func read() -> (lines: [String], restarted: Bool) {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let restarted = offset > 0
            offset = 0
            inode = nil
            return ([], restarted)
        }
        var restarted = false
        if inode != UInt64(info.st_ino) || UInt64(info.st_size) < offset {
            restarted = offset > 0
            offset = 0
            inode = UInt64(info.st_ino)
        }
        guard UInt64(info.st_size) > offset, let handle = FileHandle(forReadingAtPath: url.path) else { return ([], restarted) }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(),
              let end = data.lastIndex(of: UInt8(ascii: "\n")) else { return ([], restarted) }
        let complete = data[data.startIndex ... end]
        offset += UInt64(complete.count)
        let lines = complete.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        return (lines, restarted)
    }
}

/// The complete lines of a metrics file: text after the last newline is a line still being written.
public func readMetricLines(_ url: URL) -> [String] {
    var tail = MetricsTail(url: url)
    return tail.read().lines
}
