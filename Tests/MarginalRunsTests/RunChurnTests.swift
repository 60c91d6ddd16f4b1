import Foundation
import Testing
import TestSupport
import MarginalRuns

/// Issue 16's concurrency attack on the reader: run folders created, half written and deleted
/// while the watcher polls. No poll may trap, and once the churn ends one poll shows exactly the
/// runs that are there (no stale row of a deleted run, no missing row of a new one).
@Suite struct RunChurnTests {
    /// A churner thread makes and deletes runs as fast as it can for `duration` (far above the
    /// TUI's 10 Hz), each file written whole or cut short; the watcher polls meanwhile.
    @Test func watcherSurvivesRunsCreatedAndDeletedUnderIt() throws {
        let runs = try makeTemporaryFolder("run-churn")
        defer { try? FileManager.default.removeItem(at: runs) }
        let watcher = RunWatcher(folder: runs)
        let done = Atomic(false)
        let churner = Thread {
            var generator = SeededGenerator(seed: 16)
            var created = 0
            while !done.value {
                let name = "churn-\(Int.random(in: 0 ..< 12, using: &generator))"
                let folder = runs.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: folder.path), Bool.random(using: &generator) {
                    try? FileManager.default.removeItem(at: folder)
                    continue
                }
                guard let run = try? RunFixture(runsFolder: runs, name: name) else { continue }
                try? run.status("running", step: created)
                let line = RunFixture.evalLine(step: 10, time: 1, iou: [0.9, 0.5, nil], soft: [0.8, 0.15, 0.05],
                                               hard: [0.8, 0.2, 0], target: [0.8, 0.15, 0.05])
                // Half the time the eval line is cut short, as a trainer killed mid-write leaves it.
                try? run.append(Bool.random(using: &generator) ? line : String(line.prefix(Int.random(in: 1 ..< line.count, using: &generator))))
                created += 1
            }
        }
        churner.start()
        // A poll answers nil when nothing changed since the one before: the list shown is the
        // last one answered.
        var shown: [RunRecord] = [], polls = 0
        let end = Date().addingTimeInterval(2)
        while Date() < end {
            if let runs = watcher.poll() { shown = runs }
            polls += 1
        }
        done.value = true
        while !churner.isFinished { usleep(1000) }
        // The churn is over: one poll sees the folder as it is.
        if let runs = watcher.poll() { shown = runs }
        let seen = shown
        let there = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(seen.map(\.name) == there, "after \(polls) polls under churn")
        #expect(seen.map(\.name) == RunRecord.all(in: runs).map(\.name))
        print("run churn: \(polls) polls of a folder churning for 2 s, \(there.count) runs left, all shown")
    }
}

/// A flag one thread sets and another reads.
private final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Bool
    init(_ value: Bool) { stored = value }
    var value: Bool {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
