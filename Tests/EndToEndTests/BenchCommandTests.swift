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

    /// `bench train-step` reports the roofline: the step's FLOP from the network's shapes (5.46
    /// GFLOP for B 8, 64², w 16), the sgemm rates measured in the run, the step against that
    /// limit, and a row for each of the 17 layers.
    @Test func benchTrainStepReportsTheLimitAndEveryLayer() throws {
        let folder = try makeTemporaryFolder("bench-step")
        let result = try MarginalProcess.run(["bench", "train-step", "--warmup", "0", "--repeats", "1", "--profiled-steps", "1"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        #expect(output.contains("limit: 5.46 GFLOP a step in the convolutions' products (forward 1.82, backward 3.64)"), "\(output)")
        #expect(output.contains("GFLOP/s at the largest product (32 x 1024 · 864)") && output.contains("x that limit"))
        let rows = output.split(separator: "\n").filter { line in UNetSLayerNames.all.contains { line.hasPrefix("  \($0) ") } }
        #expect(rows.count == 17, "\(output)")
        let bad = try MarginalProcess.run(["bench", "train-step", "--profiled-steps", "0"], in: folder)
        #expect(bad.status != 0 && bad.standardError.contains("--profiled-steps 0"))
    }
}

/// The layers of UNet-S as the step's table names them.
private enum UNetSLayerNames {
    static let all = ["e1a", "e1b", "pool1", "e2a", "e2b", "pool2", "ba", "bb", "up2", "cat2", "d2a", "d2b", "up1", "cat1", "d1a", "d1b", "head"]
}
