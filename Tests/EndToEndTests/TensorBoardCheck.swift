import Foundation
import Testing
import MarginalRuns
import TestSupport

/// A run folder's event files hold every scalar of its metrics.jsonl, at float32 (TensorBoard's
/// simple_value), under the tags of docs/TENSORBOARD.md: read back by marginal's own reader, and,
/// when `python3 -c 'import tensorboard'` works, by TensorBoard's `EventAccumulator`
/// (Scripts/check_tensorboard.py, which derives the tags from the JSON on its own).
func expectEventFilesMatchMetrics(of runFolder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let configuration = try JSONDecoder().decode(RunConfiguration.self, from: Data(contentsOf: runFolder.appendingPathComponent("config.json")))
    var expected: [String: [(step: Int, value: Float)]] = [:]
    for line in readMetricLines(runFolder.appendingPathComponent("metrics.jsonl")) {
        let data = Data(line.utf8)
        let scalars: [(tag: String, value: Double)]
        let step: Int
        if let train = try? JSONDecoder().decode(TrainLine.self, from: data), train.type == "train" {
            (scalars, step) = (TensorBoardTags.scalars(of: train), train.step)
        } else {
            let eval = try JSONDecoder().decode(EvalLine.self, from: data)
            (scalars, step) = (TensorBoardTags.scalars(of: eval, classNames: configuration.classNames ?? []), eval.step)
        }
        for scalar in scalars { expected[scalar.tag, default: []].append((step, Float(scalar.value))) }
    }
    var run = TensorBoardRun(folder: runFolder, name: runFolder.lastPathComponent)
    run.update()
    #expect(run.notes.isEmpty, "\(run.notes)", sourceLocation: sourceLocation)
    #expect(run.tags == expected.keys.sorted(), sourceLocation: sourceLocation)
    for (tag, points) in expected {
        let read = run.scalars[tag] ?? []
        #expect(read.map(\.step) == points.map(\.step), "\(tag) steps", sourceLocation: sourceLocation)
        #expect(read.map { Float($0.value) } == points.map(\.value), "\(tag) values", sourceLocation: sourceLocation)
    }
    #expect(run.texts[TensorBoardTags.configuration]?.contains("\"loss\"") == true, sourceLocation: sourceLocation)

    guard pythonHasTensorBoard() else { return }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scripts/check_tensorboard.py").standardized
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, runFolder.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0 && text.hasSuffix("ok\n"), "EventAccumulator: \(text)", sourceLocation: sourceLocation)
}

/// `python3 -c 'import tensorboard'` succeeds.
func pythonHasTensorBoard() -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import tensorboard"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}
