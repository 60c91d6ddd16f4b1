import Foundation

/// The built `marginal` binary, run as a user would: arguments in, status and output out.
public enum MarginalProcess {
    /// `marginal` sits next to the test bundle in SwiftPM's build folder.
    public static var executable: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // macOS runs tests inside marginalPackageTests.xctest/Contents/MacOS.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("marginal").path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("marginal")
    }

    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// Runs `marginal arguments…` in `folder` (default: a fresh temporary folder) and waits.
    public static func run(_ arguments: [String], in folder: URL? = nil, environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder ?? FileManager.default.temporaryDirectory
        if let environment { process.environment = environment }
        let (status, output, error) = try runToEnd(process)
        return Result(status: status, standardOutput: output, standardError: error)
    }

    /// Starts `process` with its input empty and its output and error piped, reads both pipes to
    /// the end before waiting (so a large output cannot block the child), and waits.
    public static func runToEnd(_ process: Process) throws -> (status: Int32, output: String, error: String) {
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorData = UncheckedBox<Data>()
        let reader = Thread { errorData.value = error.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errorData.value == nil { usleep(1000) }
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData.value ?? Data(), as: UTF8.self))
    }
}

/// A slot one thread fills and another reads after it sees it filled.
final class UncheckedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    var value: Value? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

/// A new empty folder under the system's temporary folder.
public func makeTemporaryFolder(_ name: String = "marginal-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
