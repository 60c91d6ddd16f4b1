import Foundation
import Testing
import TestSupport

/// Issue 16's attacks on the trainer: two resumes of one run at once, and a kill storm.
@Suite struct ConcurrencyAttackTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("attack") }

    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let tiny = ["--dataset", "lesions", "--size", "16", "--width", "4", "--batch", "2", "--threads", "1", "--eval-every", "20"]

    func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process(), error = Pipe()
        process.executableURL = MarginalProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        return (process, error)
    }

    /// Two `--resume` of one finished run, started together to extend it: the run's lock lets
    /// one train and refuses the other in one line; the run ends done at the new step count.
    @Test func twoResumesAtOnceOneIsRefused() throws {
        let first = try MarginalProcess.run(["train"] + tiny + ["--steps", "20", "--run", "twice"], in: folder)
        try #require(first.status == 0, "\(first.standardError)")
        let a = try start(["train", "--run", "twice", "--resume", "--steps", "600"])
        let b = try start(["train", "--run", "twice", "--resume", "--steps", "600"])
        let results = [a, b].map { process, error in
            let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (status: process.terminationStatus, message: message)
        }
        let statuses = results.map(\.status).sorted()
        #expect(statuses == [0, 2], "\(results)")
        let refused = try #require(results.first { $0.status == 2 })
        #expect(refused.message.contains("another process is training this run"))
        #expect(refused.message.split(separator: "\n").count == 1)
        let status = try String(contentsOf: folder.appendingPathComponent("runs/twice/status.json"), encoding: .utf8)
        #expect(status.contains("\"done\"") && status.contains("600"), "\(status)")
    }

    /// Scripts/kill_storm.sh, short: SIGKILLs at random moments, a resume after each; the run
    /// completes with whole, strictly increasing metrics and ends with the very weights of an
    /// uninterrupted run (the script's own checks; it exits 1 if one fails).
    @Test func aShortKillStormEndsWithTheUninterruptedWeights() throws {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.package.appendingPathComponent("Scripts/kill_storm.sh").path, "8", "2"]
        var environment = ProcessInfo.processInfo.environment
        environment["MARGINAL"] = MarginalProcess.executable.path
        environment["STEPS"] = "300"
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text, terminator: "")
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("8 SIGKILLs landed") || text.contains("SIGKILLs landed"))
        #expect(text.contains("equal an uninterrupted run's, byte for byte"))
        #expect(text.contains("0 failed checks"))
    }
}
