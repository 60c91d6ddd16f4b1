import Foundation
import Testing
import TestSupport

/// A TensorBoard run written by TensorBoard's own EventFileWriter (what PyTorch's SummaryWriter
/// writes through; Scripts/write_tensorboard_run.py), read while the writer appends: `marginal
/// runs compare` shows its Table-4 row, the Runs screen lists it and its monitor follows it.
extension TUITests {
    /// Starts the script writing `records` events under `runs/<name>`, one every `interval` seconds.
    func startTensorBoardWriter(_ name: String, records: Int, interval: Double) throws -> Process {
        try #require(pythonHasTensorBoard(), "\(ProjectPython.name) has no tensorboard: \(ProjectPython.installHint)")
        let script = ProjectPython.packageRoot.appendingPathComponent("Scripts/write_tensorboard_run.py")
        // The project's Python (.venv), where Scripts/install-dependencies.sh put tensorboard.
        let process = ProjectPython.process([script.path, folder.appendingPathComponent("runs/\(name)").path,
                                                 "--records", "\(records)", "--eval-every", "2", "--interval", "\(interval)"])
        try process.run()
        return process
    }

    @Test func aGrowingTensorBoardRunIsComparedAndMonitoredLive() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("runs"), withIntermediateDirectories: true)
        let writer = try startTensorBoardWriter("pytorch", records: 400, interval: 0.1)
        defer { writer.terminate(); writer.waitUntilExit() }
        // runs compare, twice while it grows: the classes from the tags, a later lesion IoU.
        var rows: [String] = []
        let deadline = Date().addingTimeInterval(30)
        while rows.count < 2, Date() < deadline {
            usleep(700_000)
            let result = try MarginalProcess.run(["runs", "compare", "pytorch", "--runs-dir", "runs"], in: folder)
            // No evaluation yet (Python can take seconds to start under load): a table without classes.
            guard result.status == 0, result.standardOutput.contains("lesion") else { continue }
            #expect(result.standardOutput.hasPrefix("run") && result.standardOutput.contains("background  lesion  mIoU"), "\(result.standardOutput)")
            if let row = result.standardOutput.split(separator: "\n").first(where: { $0.hasPrefix("pytorch") }), rows.last != String(row) { rows.append(String(row)) }
        }
        #expect(rows.count == 2, "\(rows)")

        try tmux.start(wrapper("tui --screen runs --runs-dir runs"), width: 120, height: 40)
        defer { tmux.stop() }
        let list = try tmux.waitFor("pytorch", "tensorboard", timeout: 20)
        #expect(list.contains("running"), "\(list)")
        try tmux.send("Enter")
        let first = try #require(try settledEvaluation(), "the monitor shows no evaluation")
        let later = try nextEvaluation(after: first)
        #expect(later != first, "the monitor did not follow the growing file: \(first)")
        // The footer offers no stop or resume: marginal does not train this run.
        let screen = try tmux.capture()
        #expect(!screen.contains("s stop") && !screen.contains("R resume"), "\(screen)")
        try tmux.send("s")
        _ = try tmux.waitFor("is a TensorBoard run")
    }
}
