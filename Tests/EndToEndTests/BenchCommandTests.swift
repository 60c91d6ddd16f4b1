import Foundation
import Testing
import TestSupport

/// `marginal bench tui` times what it says: every screen, and with --runs-dir the Runs screen on
/// those runs and the looks at the folder (a run folder written by hand).
@Suite struct BenchCommandTests {
    @Test func benchTUITimesTheRunsScreenOnARunsFolder() throws {
        let folder = try makeTemporaryFolder("bench")
        let run = try RunFixture(runsFolder: folder.appendingPathComponent("runs"), name: "organ-ce", loss: "ce")
        for step in stride(from: 10, through: 50, by: 10) {
            try run.append(RunFixture.trainLine(step: step, time: Double(step), loss: 1 / Double(step), ce: 1 / Double(step)))
            try run.append(RunFixture.evalLine(step: step, time: Double(step), iou: [0.9, 0.5, 0.1], soft: [0.7, 0.2, 0.1],
                                               hard: [0.8, 0.19, 0.01], target: [0.8, 0.185, 0.015]))
        }
        let result = try MarginalProcess.run(["bench", "tui", "--repeats", "2", "--width", "100", "--height", "30", "--runs-dir", "runs"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        for label in ["curves", "toy", "runs poll     first look (1 runs", "idle look", "runs list", "runs monitor", "runs compare", "slowest screen"] {
            #expect(result.standardOutput.contains(label), "\(label)")
        }
        let missing = try MarginalProcess.run(["bench", "tui", "--runs-dir", "nowhere"], in: folder)
        #expect(missing.status == 2 && missing.standardError.split(separator: "\n").count == 1 && missing.standardError.contains("nowhere"))
    }
}
