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

    /// The environment of a run whose PATH starts with a stand-in `python3` in `folder/bin`: a
    /// shell script that runs `recording` (it is handed the yardstick's script and arguments)
    /// and prints a yardstick's line.
    func standInPython(in folder: URL, recording: String) throws -> [String: String] {
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: false)
        let fake = bin.appendingPathComponent("python3")
        try "#!/bin/sh\n\(recording)\necho 'torch UNet-S step: 20.0 ms/step'\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    /// Issue 16, item 7: the yardstick ships in the package (Scripts/bench), is found from the
    /// executable wherever marginal runs, and `--python python3` is looked up on PATH. A stand-in
    /// `python3` (a shell script first on PATH) records the script it is given and prints a line.
    @Test func trainStepFindsItsPackagedYardstickAndAPythonOnPath() throws {
        let folder = try makeTemporaryFolder("bench-python")
        let environment = try standInPython(in: folder, recording: "echo \"$1\" > \"\(folder.path)/script.txt\"")
        let result = try MarginalProcess.run(["bench", "train-step", "--warmup", "0", "--repeats", "1", "--profiled-steps", "1", "--python", "python3"],
                                             in: folder, environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("yardstick: torch UNet-S step: 20.0 ms/step"))
        #expect(result.standardOutput.contains("ratio: marginal's step takes"))
        let script = try String(contentsOf: folder.appendingPathComponent("script.txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(URL(fileURLWithPath: script).resolvingSymlinksInPath().path
                == package.appendingPathComponent("Scripts/bench/unet_s_torch.py").resolvingSymlinksInPath().path)
        #expect(!script.contains("shared"))

        let missing = try MarginalProcess.run(["bench", "loss", "--repeats", "1", "--python", "no-such-python-here"], in: folder)
        #expect(missing.status == 2 && missing.standardError.contains("--python no-such-python-here: not found on PATH"),
                "\(missing.standardError)")
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

    /// `--size` and `--width` scale the step (issue 17's scaling table): the network's shapes and
    /// so the FLOP follow them, and the yardstick is asked for the same step (threads size width).
    @Test func benchTrainStepScalesWithSizeAndWidth() throws {
        let folder = try makeTemporaryFolder("bench-step-scale")
        let environment = try standInPython(in: folder, recording: "shift\necho \"$@\" > \"\(folder.path)/arguments.txt\"")
        let result = try MarginalProcess.run(["bench", "train-step", "--size", "32", "--width", "8", "--threads", "1", "--warmup", "0",
                                              "--repeats", "1", "--profiled-steps", "1", "--python", "python3"], in: folder, environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("marginal unet-s B=8 32x32 K=3 w=8, 1 threads"), "\(result.standardOutput)")
        // 64² and w 16 is 5.46 GFLOP; a quarter of the pixels and half the width, about a sixteenth.
        let limit = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("limit: ") })
        let gflop = try #require(Double(limit.split(separator: " ")[1]))
        #expect(gflop > 5.46 / 20 && gflop < 5.46 / 12, "\(limit)")
        let arguments = try String(contentsOf: folder.appendingPathComponent("arguments.txt"), encoding: .utf8)
        #expect(arguments.trimmingCharacters(in: .whitespacesAndNewlines) == "1 32 8")
        for (option, value, message) in [("--size", "30", "--size 30: must be a multiple of 4"), ("--width", "0", "--width 0: must be 1 to 256")] {
            let bad = try MarginalProcess.run(["bench", "train-step", option, value], in: folder)
            #expect(bad.status == 2 && bad.standardError.contains(message), "\(bad.standardError)")
        }
    }
}

/// The layers of UNet-S as the step's table names them.
private enum UNetSLayerNames {
    static let all = ["e1a", "e1b", "pool1", "e2a", "e2b", "pool2", "ba", "bb", "up2", "cat2", "d2a", "d2b", "up1", "cat1", "d1a", "d1b", "head"]
}
