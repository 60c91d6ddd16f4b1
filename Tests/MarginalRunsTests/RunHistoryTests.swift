import Foundation
import Testing
import MarginalCore
import TestSupport
@testable import MarginalRuns

/// Reading runs as the monitor does: recorded metrics files, a line still being written, a
/// rewritten file, the watcher's polling, the smoothing and the comparison table.
@Suite struct RunHistoryTests {
    let runs: URL
    init() throws { runs = try makeTemporaryFolder("runs") }

    static let target = [0.78, 0.2, 0.02]
    func evalLine(_ step: Int, iou: [Double?]) -> String {
        RunFixture.evalLine(step: step, time: Double(step) / 10, iou: iou, soft: [0.7, 0.25, 0.05], hard: [0.72, 0.25, 0.03],
                            target: Self.target)
    }

    /// A recorded file parses into its train and eval lines; a half-written last line is left
    /// out until its newline arrives; a line that is not JSON is skipped.
    @Test func halfWrittenLastLineWaitsForItsNewline() throws {
        let run = try RunFixture(runsFolder: runs, name: "a")
        try run.append(RunFixture.trainLine(step: 10, time: 1, loss: 0.9, ce: 0.7))
        try run.append("not json\n")
        try run.append(evalLine(10, iou: [0.9, 0.5, nil]))
        // Another writer's key order (type first) reads the same.
        try run.append(#"{"type":"train","step":15,"epoch":0.2,"time":1.5,"lr":0.001,"loss":0.85,"ce":0.7,"reg":0.15}"# + "\n")
        let half = RunFixture.trainLine(step: 20, time: 2, loss: 0.8, ce: 0.65)
        try run.append(String(half.prefix(30)))
        let record = try RunRecord(RunDirectory(runsFolder: runs, name: "a"))
        #expect(record.history.train.map(\.step) == [10, 15])
        #expect(record.history.evaluations.map(\.step) == [10])
        #expect(record.latest?.iou == [0.9, 0.5, nil] && record.latest?.miou == 0.7)
        #expect(record.history.loss(.regulariser, axis: .step).y.first! == 0.9 - 0.7)

        var tail = MetricsTail(url: run.folder.appendingPathComponent("metrics.jsonl"))
        #expect(tail.read().lines.count == 4)
        #expect(tail.read().lines.isEmpty)
        try run.append(String(half.dropFirst(30)))
        let (lines, restarted) = tail.read()
        #expect(lines == [String(half.dropLast())] && !restarted)
        #expect(RunHistory(lines: lines).train.first?.loss == 0.8)
    }

    /// `--resume` replaces the file with a shorter one: the tail starts again from the top.
    @Test func replacedFileIsReadAgain() throws {
        let run = try RunFixture(runsFolder: runs, name: "b")
        for step in [10, 20, 30] { try run.append(RunFixture.trainLine(step: step, time: Double(step), loss: 1, ce: 1)) }
        let url = run.folder.appendingPathComponent("metrics.jsonl")
        var tail = MetricsTail(url: url)
        #expect(tail.read().lines.count == 3)
        try writeAtomically(Data(RunFixture.trainLine(step: 10, time: 10, loss: 1, ce: 1).utf8), to: url)
        let (lines, restarted) = tail.read()
        #expect(restarted && lines.count == 1)
        // A replacement longer than what was read is recognised by its inode alone.
        let longer = (1 ... 5).map { RunFixture.trainLine(step: 10 * $0, time: Double($0), loss: 2, ce: 2) }.joined()
        try writeAtomically(Data(longer.utf8), to: url)
        let (again, restartedAgain) = tail.read()
        #expect(restartedAgain && again.count == 5 && RunHistory(lines: again).train.first?.loss == 2)
        #expect(tail.read() == ([], false))
    }

    /// A file rewritten in place (same inode) and grown past where the reading stopped — or a
    /// new file on a reused inode — is known by the bytes before that point: read again whole.
    /// Lines appended after it are not taken for a rewrite.
    @Test func fileRewrittenInPlaceIsReadAgain() throws {
        let run = try RunFixture(runsFolder: runs, name: "c")
        for step in [10, 20] { try run.append(RunFixture.trainLine(step: step, time: Double(step), loss: 1, ce: 1)) }
        let url = run.folder.appendingPathComponent("metrics.jsonl")
        var tail = MetricsTail(url: url)
        #expect(tail.read().lines.count == 2)
        try run.append(RunFixture.trainLine(step: 30, time: 30, loss: 1, ce: 1))
        #expect(tail.read() == ([RunFixture.trainLine(step: 30, time: 30, loss: 1, ce: 1).dropLast().description], false))
        var before = stat(), after = stat()
        stat(url.path, &before)
        let rewritten = (1 ... 4).map { RunFixture.trainLine(step: 10 * $0, time: Double($0), loss: 3, ce: 3) }.joined()
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(rewritten.utf8))
        try handle.close()
        stat(url.path, &after)
        #expect(before.st_ino == after.st_ino && after.st_size > before.st_size, "rewritten in place, and longer")
        let (lines, restarted) = tail.read()
        #expect(restarted && lines.count == 4 && RunHistory(lines: lines).train.allSatisfy { $0.loss == 3 })
        #expect(tail.read() == ([], false))
    }

    /// TensorBoard's debiased EMA, against values worked by hand:
    /// w = 0.5 on 1, 2, 3: m = 0.5, 1.25, 2.125; divided by 1 − 0.5ⁿ = 0.5, 0.75, 0.875.
    @Test func smoothingMatchesHandComputedEMA() {
        let smoothed = debiasedMovingAverage([1, 2, 3], weight: 0.5)
        #expect(isClose(smoothed[0]!, 1) && isClose(smoothed[1]!, 1.25 / 0.75) && isClose(smoothed[2]!, 2.125 / 0.875))
        // A gap passes through and does not count: m = 0.5, then 0.25 + 1.5 = 1.75 over 1 − 0.25.
        let gapped = debiasedMovingAverage([1, nil, 3], weight: 0.5)
        #expect(gapped[1] == nil && isClose(gapped[2]!, 1.75 / 0.75))
        #expect(debiasedMovingAverage([4, 1, 7], weight: 0) == [4, 1, 7])
        // w = 0.9: the first value is itself (no pull towards 0), a constant stays constant.
        #expect(debiasedMovingAverage([5, 5, 5], weight: 0.9).allSatisfy { isClose($0!, 5) })
        // 0.999 is the largest weight; 1 and beyond are clamped to it, so the curve still moves.
        #expect(debiasedMovingAverage([0, 10], weight: 1) == debiasedMovingAverage([0, 10], weight: 0.999))
        #expect(debiasedMovingAverage([0, 10], weight: 1)[1]! > 0)
    }

    /// The watcher reads every run once, then only what changed; nil while nothing does.
    @Test func watcherReportsOnlyChanges() throws {
        let run = try RunFixture(runsFolder: runs, name: "c")
        let trainer = try TrainerStandIn(training: run, step: 0)
        defer { trainer.end() }
        let watcher = RunWatcher(folder: runs)
        #expect(watcher.poll()?.map(\.name) == ["c"])
        #expect(watcher.poll() == nil)
        try run.append(evalLine(10, iou: [0.9, 0.4, 0.1]))
        let updated = try #require(watcher.poll())
        #expect(updated[0].evaluations.count == 1 && updated[0].state == .running)
        try run.append(String(evalLine(20, iou: [0.9, 0.5, 0.2]).prefix(40)))
        #expect(watcher.poll() == nil)
        try run.status("stopped", step: 20)
        #expect(watcher.poll()?.first?.state == .stopped)
        _ = try RunFixture(runsFolder: runs, name: "d")
        #expect(watcher.poll()?.map(\.name) == ["c", "d"])
        try FileManager.default.removeItem(at: run.folder)
        #expect(watcher.poll()?.map(\.name) == ["d"])
    }

    /// A run marked running whose trainer is gone reads as failed, with a reason, and offers no
    /// pid to signal: its lock is free, whatever its pid names — no process, a living process
    /// that is not its trainer (a reused pid: this test's own), 0 and −1 (a process group, every
    /// process). While a trainer holds the lock it is running, until the trainer ends. A folder
    /// without a status is failed too.
    @Test func runWithoutItsTrainerIsFailed() throws {
        let run = try RunFixture(runsFolder: runs, name: "e")
        func record() throws -> RunRecord { try #require(RunRecord.all(in: runs).first) }
        let trainer = try TrainerStandIn(training: run, step: 5)
        let directory = try RunDirectory(runsFolder: runs, name: "e")
        #expect(try record().state == .running && record().trainerPID == trainer.pid)
        #expect(RunLock.isHeld(directory) == true && RunControl.trainerPID(of: directory) == trainer.pid)
        for pid in [0, -1] as [Int32] {
            try run.status("running", step: 5, pid: pid)
            #expect(try record().state == .failed && record().trainerPID == nil, "pid \(pid) with the lock held")
            #expect(RunControl.trainerPID(of: directory) == nil, "pid \(pid) with the lock held: nothing to signal")
        }
        trainer.end()  // and its lock with it
        #expect(RunLock.isHeld(directory) == false)
        for pid in [2_000_000_000, getpid(), 0, -1] as [Int32] {
            try run.status("running", step: 5, pid: pid)
            let record = try record()
            #expect(record.state == .failed && record.failure?.contains("killed") == true && record.trainerPID == nil, "pid \(pid)")
            #expect(RunControl.trainerPID(of: directory) == nil, "pid \(pid)")
        }
        // A folder without a lock file (a run from before runs had one): the pid must name a process.
        try FileManager.default.removeItem(at: run.folder.appendingPathComponent(".lock"))
        #expect(RunLock.isHeld(directory) == nil)
        try run.status("running", step: 5, pid: getpid())
        #expect(try record().state == .running)
        try run.status("running", step: 5, pid: 2_000_000_000)
        #expect(try record().state == .failed)
        try FileManager.default.removeItem(at: run.folder.appendingPathComponent("status.json"))
        let record = try record()
        #expect(record.state == .failed && record.failure?.contains("status.json") == true)
    }

    /// A lock found free before a "running" status was read, and held when asked again, is a
    /// resume that started in between: live. Free both times: a trainer that died.
    @Test func aResumeBetweenTheTwoLooksIsLive() {
        let running = RunStatus(status: .running, pid: getpid(), step: 5)
        #expect(!RunRecord.isGone(running, lockHeld: false) { true })
        #expect(RunRecord.isGone(running, lockHeld: false) { false })
        #expect(!RunRecord.isGone(running, lockHeld: true) { Issue.record("asked again while held"); return false })
        #expect(!RunRecord.isGone(RunStatus(status: .stopped, pid: nil, step: 5), lockHeld: false) { false })
    }

    /// A trainer that dies without a word (SIGKILL: no last status) turns its run from running
    /// to failed at the watcher's next poll: the kernel let go of its lock.
    @Test func watcherSeesATrainerDie() throws {
        let run = try RunFixture(runsFolder: runs, name: "f")
        let trainer = try TrainerStandIn(training: run, step: 5)
        let watcher = RunWatcher(folder: runs)
        #expect(watcher.poll()?.first?.state == .running)
        #expect(watcher.poll() == nil)
        trainer.end()
        let after = try #require(watcher.poll()?.first)
        #expect(after.state == .failed && after.trainerPID == nil)
    }

    /// Table 4: the proportion row, the best value of each column, Markdown in bold, one line of
    /// error for runs of different datasets.
    @Test func comparisonMarksTheBestOfEachColumn() throws {
        let first = try RunFixture(runsFolder: runs, name: "ce")
        try first.append(evalLine(10, iou: [0.95, 0.60, 0.10]))
        let second = try RunFixture(runsFolder: runs, name: "ce_l1")
        try second.append(evalLine(10, iou: [0.94, 0.60, 0.30]))
        let comparison = try RunComparison(runs: RunRecord.all(in: runs))
        #expect(comparison.best(column: 0) == [0] && comparison.best(column: 1) == [0, 1] && comparison.best(column: 2) == [1])
        #expect(comparison.best(column: 3) == [1])  // mIoU 61.3 against 55
        let markdown = comparison.render(.markdown).split(separator: "\n")
        #expect(markdown[0] == "| run | background | organ | tumour | mIoU |")
        #expect(markdown[2] == "| mean proportion (%) | 78.00 | 20.00 | 2.00 |  |")
        #expect(markdown[3] == "| ce | **95.0** | **60.0** | 10.0 | 55.0 |")
        #expect(markdown[4] == "| ce_l1 | 94.0 | **60.0** | **30.0** | **61.3** |")
        #expect(comparison.render(.csv).hasPrefix("run,background IoU (%),organ IoU (%),tumour IoU (%),mIoU (%)\nmean proportion (%),78.00,20.00,2.00,\nce,95.0,60.0,10.0,55.0\n"))
        _ = try RunFixture(runsFolder: runs, name: "other", dataset: "lesions", classes: ["background", "lesion"])
        #expect(throws: MarginalError.self) { try RunComparison(runs: RunRecord.all(in: runs)) }
    }

    /// Bold goes to the values as printed: 1/16 = 6.25 % prints as 6.2 and loses to a 6.3; two
    /// that print alike tie. The proportion row averages the evaluated runs' ŷ.
    @Test func bestIsJudgedOnTheNumbersShown() throws {
        for (name, tumour, target) in [("a", 1.0 / 16, 0.02), ("b", 0.063, 0.04), ("c", 0.0625001, 0.03)] {
            let run = try RunFixture(runsFolder: runs, name: name)
            try run.append(RunFixture.evalLine(step: 10, time: 1, iou: [0.9, 0.5, tumour], soft: [0.7, 0.25, 0.05],
                                               hard: [0.7, 0.25, 0.05], target: [0.78, 0.2 - target, target]))
        }
        let comparison = try RunComparison(runs: RunRecord.all(in: runs))
        #expect(comparison.rows[1][3] == "6.2" && comparison.rows[2][3] == "6.3")
        #expect(comparison.best(column: 2) == [1, 2], "6.3 and 6.30001 % print alike and tie; 6.25 % prints 6.2 and loses")
        #expect(comparison.best(column: 1) == [0, 1, 2])
        #expect(isClose(comparison.meanProportion[2], 0.03))
    }

    /// The preview survives its file: two label maps side by side in one palette PNG.
    @Test func previewRoundTrips() throws {
        let preview = try RunPreview(width: 3, height: 2, truth: [0, 1, 1, 0, 255, 2], prediction: [0, 0, 1, 2, 2, 2])
        let url = runs.appendingPathComponent("preview.png")
        try preview.write(to: url)
        #expect(try RunPreview(contentsOf: url) == preview)
        #expect(throws: MarginalError.self) { try RunPreview(width: 2, height: 2, truth: [0], prediction: [0]) }
    }
}
