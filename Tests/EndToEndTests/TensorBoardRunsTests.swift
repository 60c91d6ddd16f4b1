import Foundation
import Testing
import MarginalRuns
import TestSupport

/// `marginal runs` lists a TensorBoard logdir's runs beside marginal's own.
@Suite final class TensorBoardRunsTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("tensorboard-runs") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// TensorBoard's own `EventFileWriter` (what PyTorch's `SummaryWriter` writes through), with a
    /// `simple_value` and a `new_style` tensor scalar, when the project's Python has tensorboard; marginal's
    /// writer otherwise.
    func writeRun(at path: String) throws {
        let run = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        if pythonHasTensorBoard() {
            let script = """
            import sys, time
            from tensorboard.summary.writer.event_file_writer import EventFileWriter
            from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
            from tensorboard.compat.proto.event_pb2 import Event
            from tensorboard.compat.proto import tensor_pb2, types_pb2
            w = EventFileWriter(sys.argv[1])
            scalars = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="scalars"))
            for step in [10, 20, 30]:
                w.add_event(Event(wall_time=time.time(), step=step, summary=Summary(value=[Summary.Value(tag="miou", simple_value=step / 40)])))
                loss = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, float_val=[2.0 / step])
                w.add_event(Event(wall_time=time.time(), step=step, summary=Summary(value=[Summary.Value(tag="loss", metadata=scalars, tensor=loss)])))
            w.close()
            """
            let result = try ProjectPython.run(["-c", script, run.path])
            #expect(result.status == 0, "\(result.error)")
        } else {
            let writer = try TensorBoardEventWriter(folder: run)
            for step in [10, 20, 30] { try writer.write(scalars: [("miou", Double(step) / 40), ("loss", 2 / Double(step))], step: step) }
        }
    }

    @Test func runsListsTensorBoardRuns() throws {
        try writeRun(at: "runs/pytorch/seed1")
        var run = try #require(TensorBoardRun.runs(in: folder.appendingPathComponent("runs")).first)
        run.update()
        #expect(run.scalars["loss"]?.map(\.value) == [0.2, 0.1, 2.0 / 30].map { Double(Float($0)) })
        #expect(run.scalars["miou"]?.map(\.step) == [10, 20, 30])
        let result = try MarginalProcess.run(["runs"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("TensorBoard runs (event files)"), "\(result.standardOutput)")
        let line = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("pytorch/seed1") })
        #expect(line.split(separator: " ").map(String.init) == ["pytorch/seed1", "30", "2", "75.0%"], "\(line)")
    }

    /// A scalar outside the convention: `marginal runs` names it under its run, and
    /// `runs plot --tag` writes its points (float32, as logged); a missing tag is one line.
    @Test func plainScalarsAreListedAndPlottedByTag() throws {
        let run = folder.appendingPathComponent("runs/pytorch/seed2")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let writer = try TensorBoardEventWriter(folder: run)
        for step in [1, 2, 3] { try writer.write(scalars: [("loss", 1 / Double(step)), ("train/grad_norm", 0.3 * Double(step))], step: step) }
        let list = try MarginalProcess.run(["runs"], in: folder)
        #expect(list.standardOutput.contains("  other scalars: train/grad_norm  (runs plot NAME --tag TAG)"), "\(list.standardOutput)")
        let plot = try MarginalProcess.run(["runs", "plot", "pytorch/seed2", "--tag", "train/grad_norm", "--format", "csv"], in: folder)
        #expect(plot.status == 0, "\(plot.standardError)")
        let rows = plot.standardOutput.split(separator: "\n").map(String.init)
        #expect(rows.first == "step,pytorch/seed2:train/grad_norm", "\(rows)")
        #expect(rows.dropFirst().map { Double($0.split(separator: ",")[1])! } == [0.3, 0.6, 0.9].map { Double(Float($0)) })
        let missing = try MarginalProcess.run(["runs", "plot", "pytorch/seed2", "--tag", "nope"], in: folder)
        #expect(missing.status == 2 && missing.standardError
            == "marginal runs plot: pytorch/seed2 has no scalar 'nope' (its scalars outside the convention: train/grad_norm)\n", "\(missing.standardError)")
    }
}
