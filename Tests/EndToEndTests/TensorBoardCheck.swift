import Foundation
import Testing
import MarginalRuns
import TestSupport

/// A run folder's event files hold every scalar of its metrics.jsonl, at float32 (TensorBoard's
/// simple_value), under the tags of docs/TENSORBOARD.md: read back by marginal's own reader, and
/// by TensorBoard's `EventAccumulator` (Scripts/check_tensorboard.py, which derives the tags from the JSON on its own), run by the
/// project's Python (`ProjectPython`), which Scripts/install-dependencies.sh gives tensorboard.
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

    // TensorBoard's own reader, in the project's Python (.venv): missing, it is a failure, not a skip.
    if let missing = ProjectPython.missingModules(["tensorboard"]) {
        Issue.record("EventAccumulator check not run: \(missing)", sourceLocation: sourceLocation)
        return
    }
    let script = ProjectPython.packageRoot.appendingPathComponent("Scripts/check_tensorboard.py")
    let result = try ProjectPython.run([script.path, runFolder.path])
    #expect(result.status == 0 && result.output.hasSuffix("ok\n"), "EventAccumulator: \(result.output)\(result.error)", sourceLocation: sourceLocation)
}

/// The project's Python (`ProjectPython`: .venv, else python3) imports tensorboard.
func pythonHasTensorBoard() -> Bool { ProjectPython.missingModules(["tensorboard"]) == nil }
