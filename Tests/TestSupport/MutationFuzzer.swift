import Foundation
import MarginalCore

/// A seeded mutation fuzzer (AFL's havoc stage, small): each input is a corpus file with one to
/// four mutations stacked — bit flips, a random byte, bytes inserted or deleted, a chunk
/// duplicated, truncation, splicing with another corpus file, and "interesting" values written
/// over header fields (0, −1, the limits of 8/16/32/64-bit integers, as binary little-endian
/// numbers, and, in text, in place of a run of digits: `-1`, `0`, `99999999999999999999`, `1e309`,
/// `nan`, …). The same seed gives the same inputs, so a failure is reproduced by its seed and index.
///
/// `run` feeds every input to a reader that must return or throw; a trap kills the process,
/// and before it dies a signal handler writes the input being read to
/// `$TMPDIR/marginal-fuzz-crash-<reader>.bin` (its name is printed first), so the crash is kept.
/// An input that takes longer than `hangSeconds` is written there too and ends the process.
public struct MutationFuzzer {
    public let corpus: [Data]
    private var random: SeededRandom

    public init(corpus: [Data], seed: UInt64) {
        precondition(!corpus.isEmpty, "a fuzzer needs at least one valid file")
        self.corpus = corpus
        random = SeededRandom(seed: seed)
    }

    /// How many inputs a bounded pass feeds each reader: `MARGINAL_FUZZ_COUNT` when set (the long
    /// runs of `Scripts/fuzz.sh`), else `default`.
    public static func count(default fallback: Int) -> Int {
        ProcessInfo.processInfo.environment["MARGINAL_FUZZ_COUNT"].flatMap { Int($0) } ?? fallback
    }

    /// The seed: `MARGINAL_FUZZ_SEED` when set, else `fallback`.
    public static func seed(default fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["MARGINAL_FUZZ_SEED"].flatMap { UInt64($0) } ?? fallback
    }

    static let binaryValues: [UInt64] = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFF,
                                         0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF,
                                         0x8000_0000_0000_0000, UInt64.max, UInt64.max - 1]
    static let textValues = ["-1", "0", "1", "-0", "255", "256", "65536", "4294967296", "9223372036854775807",
                             "9223372036854775808", "99999999999999999999", "-9223372036854775809", "1e309", "-1e309",
                             "nan", "NaN", "inf", "1.5", "0x10", "", "\"\"", "null", "[]", "{}", "true"]

    private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }

    /// The next mutated input.
    public mutating func next() -> Data {
        var bytes = [UInt8](corpus[below(corpus.count)])
        for _ in 0 ... below(4) { mutate(&bytes) }
        return Data(bytes)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch below(10) {
        case 0 where !bytes.isEmpty:  // flip one to four bits
            for _ in 0 ... below(4) { bytes[below(bytes.count)] ^= 1 << UInt8(below(8)) }
        case 1 where !bytes.isEmpty:  // a random byte
            bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2:  // insert random bytes
            let at = below(bytes.count + 1)
            bytes.insert(contentsOf: (0 ... below(16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 3 where !bytes.isEmpty:  // delete a range
            let at = below(bytes.count)
            bytes.removeSubrange(at ..< min(bytes.count, at + 1 + below(32)))
        case 4:  // truncate
            bytes.removeSubrange(below(bytes.count + 1)...)
        case 5:  // splice: this file's start, another's end
            let other = [UInt8](corpus[below(corpus.count)])
            bytes = Array(bytes.prefix(below(bytes.count + 1))) + other.suffix(below(other.count + 1))
        case 6 where !bytes.isEmpty:  // duplicate a chunk
            let at = below(bytes.count)
            let chunk = bytes[at ..< min(bytes.count, at + 1 + below(64))]
            bytes.insert(contentsOf: chunk, at: below(bytes.count + 1))
        case 7 where bytes.count >= 8:  // an interesting binary number in a header field (the first 64 bytes, mostly)
            let width = [1, 2, 4, 8][below(4)]
            let limit = below(3) == 0 ? bytes.count : min(bytes.count, 64)
            let at = below(max(1, limit - width + 1))
            var value = Self.binaryValues[below(Self.binaryValues.count)]
            if below(2) == 0 { value = 0 &- value }
            for i in 0 ..< width where at + i < bytes.count { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        default:  // an interesting number in place of a run of digits (text headers, JSON)
            let digits = bytes.indices.filter { (0x30 ... 0x39).contains(bytes[$0]) && ($0 == 0 || !(0x30 ... 0x39).contains(bytes[$0 - 1])) }
            guard !digits.isEmpty else { bytes.append(UInt8(truncatingIfNeeded: random.next())); return }
            let start = digits[below(digits.count)]
            var end = start
            while end < bytes.count, (0x30 ... 0x39).contains(bytes[end]) || bytes[end] == 0x2E { end += 1 }
            bytes.replaceSubrange(start ..< end, with: Array(Self.textValues[below(Self.textValues.count)].utf8))
        }
    }

    /// Feeds `count` inputs to `read`, which must return or throw (its result is discarded). Prints
    /// one line: the reader, the count, how many were refused and the time. `read` returns whether
    /// the input was accepted.
    @discardableResult
    public mutating func run(_ reader: String, count: Int, hangSeconds: Double = 10,
                             _ read: (Data) -> Bool) -> (accepted: Int, refused: Int) {
        let crashFile = FileManager.default.temporaryDirectory.appendingPathComponent("marginal-fuzz-crash-\(reader).bin").path
        FuzzCrashKeeper.arm(path: crashFile)
        defer { FuzzCrashKeeper.disarm() }
        let watchdog = FuzzWatchdog(seconds: hangSeconds, reader: reader)
        let started = Date()
        var accepted = 0
        for index in 0 ..< count {
            let input = next()
            FuzzCrashKeeper.hold(input)
            watchdog.started(index)
            if read(input) { accepted += 1 }
        }
        watchdog.stop()
        let seconds = Date().timeIntervalSince(started)
        print("fuzz \(reader): \(count) mutated inputs from \(corpus.count) valid files, \(accepted) read, \(count - accepted) refused, no trap or hang, \(String(format: "%.1f", seconds)) s")
        return (accepted, count - accepted)
    }
}

/// Keeps the input being read where a signal handler can write it out (async-signal-safe:
/// only open, write and close on memory set up beforehand).
enum FuzzCrashKeeper {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var path = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)

    static func arm(path name: String) {
        _ = name.withCString { strncpy(path, $0, 4095) }
        path[4095] = 0
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            signal(signalNumber) { signalNumber in
                let descriptor = open(FuzzCrashKeeper.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                if descriptor >= 0 { _ = write(descriptor, FuzzCrashKeeper.buffer, FuzzCrashKeeper.length); close(descriptor) }
                signal(signalNumber, SIG_DFL)
                raise(signalNumber)
            }
        }
    }

    static func disarm() {
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] { signal(signalNumber, SIG_DFL) }
    }

    static func hold(_ input: Data) {
        length = min(input.count, 1 << 20)
        input.copyBytes(to: buffer, count: length)
    }
}

/// Ends the process when one input takes longer than `seconds`, keeping it (a hang).
final class FuzzWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var index = -1, since = Date(), running = true

    init(seconds: Double, reader: String) {
        Thread.detachNewThread { [self] in
            while true {
                usleep(200_000)
                lock.lock()
                let (stillRunning, current, elapsed) = (running, index, Date().timeIntervalSince(since))
                lock.unlock()
                guard stillRunning else { return }
                if elapsed > seconds {
                    let path = FileManager.default.temporaryDirectory.appendingPathComponent("marginal-fuzz-hang-\(reader).bin")
                    try? Data(bytes: FuzzCrashKeeper.buffer, count: FuzzCrashKeeper.length).write(to: path)
                    print("fuzz \(reader): input \(current) took more than \(seconds) s (a hang); kept in \(path.path)")
                    abort()
                }
            }
        }
    }

    func started(_ index: Int) { lock.lock(); self.index = index; since = Date(); lock.unlock() }
    func stop() { lock.lock(); running = false; lock.unlock() }
}
