import Foundation
import Testing
import TestSupport

/// Issue 16's concurrency attack on the Runs screen itself: the explorer open in a real terminal
/// on a folder where runs are created and deleted at 10 Hz. It must keep drawing (no crash), and
/// once the churn stops, the list shows exactly the runs that are there: no stale row of a
/// deleted run, no missing row of a new one.
extension TUITests {
    @Test func runsScreenSurvivesRunsCreatedAndDeletedAtTenHertz() throws {
        let runs = folder.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        try tmux.start(wrapper("tui --screen runs --runs-dir runs"), width: 120, height: 40)
        defer { tmux.stop() }
        _ = try tmux.waitFor("No runs here yet")

        // 3 s at 10 Hz: each tick makes a run (config, status, a cut or whole eval line) or
        // deletes one, from a pool of eight names.
        var generator = SeededGenerator(seed: 16)
        var changes = 0
        let end = Date().addingTimeInterval(3)
        while Date() < end {
            let name = "churn-\(Int.random(in: 0 ..< 8, using: &generator))"
            let run = runs.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: run.path), Bool.random(using: &generator) {
                try FileManager.default.removeItem(at: run)
            } else {
                let fixture = try RunFixture(runsFolder: runs, name: name)
                try fixture.status("running", step: changes)
                let line = RunFixture.evalLine(step: 10, time: 1, iou: [0.9, 0.5, nil], soft: [0.8, 0.15, 0.05],
                                               hard: [0.8, 0.2, 0], target: [0.8, 0.15, 0.05])
                try fixture.append(Bool.random(using: &generator) ? line : String(line.prefix(line.count / 2)))
            }
            changes += 1
            usleep(100_000)
        }

        // The churn is over: five runs stay, the rest are gone, and the list says so.
        let left = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasPrefix(".") }
        for name in left { try FileManager.default.removeItem(at: runs.appendingPathComponent(name)) }
        let kept = (1 ... 5).map { "kept-\($0)" }
        for name in kept { try RunFixture(runsFolder: runs, name: name).status("done", step: 100) }
        let screen = try tmux.waitForStill(all: ["5 runs · 0 running"] + kept, timeout: 10)
        #expect(!screen.contains("churn-"), "a deleted run is still listed:\n\(screen)")
        print("runs screen churn: \(changes) changes at 10 Hz for 3 s, then \(kept.count) runs listed and \(left.count) deleted ones gone")
    }
}
