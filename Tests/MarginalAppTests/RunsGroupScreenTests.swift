import Foundation
import Testing
import MarginalCore
import MarginalRuns
import TerminalUI
import TestSupport
@testable import MarginalApp

/// Groups of seeds on the Runs screen, on recorded run folders: the list folds a group into one
/// row, the comparison gives mean ± std a group, the monitor draws the seeds' mean with a band,
/// the form launches a group, a drag zooms.
@Suite struct RunsGroupScreenTests {
    let folder: URL
    let runs: [RunRecord]

    /// organ-ce_l1 on seeds 1, 2, 3 (tumour IoU at the last evaluation 0.30, 0.36, 0.27; two
    /// done, one stopped) and organ-ce on seed 1 (tumour 0.33).
    /// numpy, on the same numbers: a = np.array([0.30, 0.36, 0.27]); a.mean() = 0.31,
    /// a.std() = 0.0374165738677394 (ddof 0), a.min() = 0.27, a.max() = 0.36.
    init() throws {
        folder = try makeTemporaryFolder("runs-groups")
        let target = [0.8, 0.185, 0.015]
        for (name, loss, seed, tumour, state) in [("organ-ce_l1-1", "ce_l1", 1, 0.30, "done"), ("organ-ce_l1-2", "ce_l1", 2, 0.36, "done"),
                                                  ("organ-ce_l1-3", "ce_l1", 3, 0.27, "stopped"), ("organ-ce-1", "ce", 1, 0.33, "done")] {
            let run = try RunFixture(runsFolder: folder, name: name, loss: loss, steps: 100, seed: seed)
            for step in stride(from: 10, through: 100, by: 10) {
                let ce = 1.0 / Double(step + seed)
                try run.append(RunFixture.trainLine(step: step, time: Double(step) / 20, loss: ce * 1.2, ce: ce))
                if step % 20 == 0 {
                    let progress = Double(step) / 100
                    try run.append(RunFixture.evalLine(step: step, time: Double(step) / 20, iou: [0.95, 0.5 * progress + 0.2, tumour * progress],
                                                       soft: [0.75, 0.2, 0.05], hard: [0.79, 0.19, 0.02], target: target))
                }
            }
            try run.status(state, step: 100)
        }
        runs = RunRecord.all(in: folder)
    }

    func state(width: Int = 140, height: Int = 44) -> AppState {
        var state = AppState(screen: .runs, width: width, height: height)
        state.runs.runsFolder = "runs"
        send(&state, [.runsChanged(runs)])
        return state
    }

    @Test func theListFoldsAGroupIntoOneRow() throws {
        var state = state()
        var text = screen(state).text()
        #expect(text.contains("▸ organ-ce_l1") && text.contains("3 seeds: 1 stopped 2 done"))
        // The seeds' latest mIoU, mean ± std in per cent: each seed's (0.95 + 0.7 + t) / 3.
        let miou = [0.30, 0.36, 0.27].map { (0.95 + 0.7 + $0) / 3 }
        let mean = miou.reduce(0, +) / 3, deviation = (miou.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        #expect(text.contains(String(format: "%.1f±%.1f", 100 * mean, 100 * deviation)))
        for seed in 1 ... 3 { #expect(!text.contains("organ-ce_l1-\(seed)")) }
        #expect(state.runs.listRows.count == 2)
        // g on the group's row unfolds it: its three seeds under it; g again folds it.
        state.runs.selectedName = "organ-ce_l1-1"
        state.runs.selectedIsGroup = true
        send(&state, keys("g"))
        text = screen(state).text()
        #expect(text.contains("▾ organ-ce_l1"))
        for seed in 1 ... 3 { #expect(text.contains("organ-ce_l1-\(seed)")) }
        #expect(state.runs.listRows.count == 5)
        send(&state, [.key(.down), .key(.down)])
        #expect(state.runs.selectedName == "organ-ce_l1-2" && !state.runs.selectedIsGroup)
        send(&state, keys("g"))
        #expect(state.runs.listRows.count == 2 && state.runs.selectedIsGroup)
        // Space on the group's row marks every seed.
        send(&state, keys(" "))
        #expect(state.runs.marked == ["organ-ce_l1-1", "organ-ce_l1-2", "organ-ce_l1-3"])
    }

    /// The comparison on screen: one row a group, mean ± std (numpy's) and the number of seeds;
    /// organ-ce's 33.0 is the best tumour mean and the group's 31.0 is within its 3.7 spread: ~.
    @Test func theComparisonShowsMeanAndSpread() throws {
        var state = state()
        send(&state, keys("c"))  // none marked: every run on organ
        #expect(state.runs.mode == .compare)
        let text = screen(state).text()
        #expect(text.contains("mean ± std over each group's seeds"))
        #expect(text.contains("31.0 ± 3.7 ~"), "0.31 ± 0.0374 (numpy), within the spread of the best")
        #expect(text.contains("33.0 ± 0.0 *"))
        #expect(text.contains("3 seeds") && text.contains("within the seeds' spread"))
    }

    /// Enter on the group's row: the monitor draws each class's mean over the seeds with its
    /// min…max band (numpy's mean, min and max on the same numbers), shaded on the chart.
    @Test func theGroupsMonitorDrawsTheMeanWithABand() throws {
        var state = state()
        state.runs.selectedName = "organ-ce_l1-1"
        state.runs.selectedIsGroup = true
        send(&state, [.key(.enter)])
        #expect(state.runs.mode == .monitor)
        let run = try #require(state.runs.selectedRun)
        let plot = try #require(state.runs.plot(run, .iou))
        #expect(plot.isGroup)
        let tumour = try #require(plot.curves.first { $0.classIndex == 2 })
        let last = tumour.x.count - 1
        #expect(tumour.x[last] == 100)
        #expect(abs(tumour.y[last]! - 0.31) < 1e-12)
        #expect(tumour.band?.lower[last] == 0.27 && tumour.band?.upper[last] == 0.36)
        #expect(tumour.band?.label == "band: min–max of the 3 seeds")
        // The legend names the mean and the seeds' std there (numpy's, ddof 0: 0.0374 → 3.7 %).
        #expect(tumour.shortLabel == "tumour 31.0 ± 3.7")
        let loss = try #require(state.runs.plot(run, .loss)?.curves.first)
        #expect(loss.shortLabel?.hasPrefix("loss ") == true && loss.shortLabel?.contains(" ± ") == true)
        // The CSV holds the band beside the mean.
        let columns = plot.table().columns.map(\.name)
        #expect(columns.contains("organ-ce_l1:iou_mean:tumour:min") && columns.contains("organ-ce_l1:iou_mean:tumour:max"))

        let buffer = screen(state)
        #expect(buffer.text().contains("group of 3 seeds (1, 2, 3)") && buffer.text().contains("tumour 31.0 ± 3.7"))
        let chartArea = RunsScreen.monitorAreas(state.contentArea).iou
        let shade = Theme.standard.shade(0.25)
        func shaded(_ buffer: Buffer) -> Int {
            var count = 0
            for y in chartArea.y ..< chartArea.maxY { for x in chartArea.x ..< chartArea.maxX where buffer[x, y].symbol == shade { count += 1 } }
            return count
        }
        #expect(shaded(buffer) > 0, "the band is drawn")
        // One seed's monitor has no band.
        state.runs.selectedIsGroup = false
        #expect(shaded(screen(state)) == 0)
    }

    /// Typed seeds on the form launch a group as `marginal train --seeds`, checked as the CLI checks them.
    @Test func theFormLaunchesAGroup() throws {
        var state = state()
        send(&state, keys("n"))
        state.runs.form.field = .seed
        send(&state, keys("1,1"))
        send(&state, [.key(.tab)])
        #expect(state.runs.form.field == .seed && state.message == "seeds 1,1: distinct whole numbers joined by commas, such as 1,2,3")
        send(&state, [.key(.backspace), .key(.backspace)])
        send(&state, keys(",2,3"))
        send(&state, [.key(.tab)])
        #expect(state.runs.form.seeds == [1, 2, 3])
        let effects = send(&state, [.key(.enter)])
        guard case .launch(let request)? = effects.first else { Issue.record("no launch: \(effects)"); return }
        #expect(effects.count == 1)
        let arguments = request.arguments
        let seeds = try #require(arguments.firstIndex(of: "--seeds")), run = try #require(arguments.firstIndex(of: "--run"))
        #expect(arguments[seeds + 1] == "1,2,3" && arguments[run + 1] == "lesions-ce_l1" && !arguments.contains("--seed"))
        #expect(request.name == "lesions-ce_l1-1")
        #expect(state.runs.takenNames.isSuperset(of: ["lesions-ce_l1-1", "lesions-ce_l1-2", "lesions-ce_l1-3"]))
        // The launch fails: every name the group reserved is free again, and the form offers them anew.
        send(&state, [.launchFailed(name: request.name, reason: "cannot launch")])
        #expect(state.runs.takenNames.isDisjoint(with: ["lesions-ce_l1-1", "lesions-ce_l1-2", "lesions-ce_l1-3"]))
        #expect(state.runs.form.names(taken: state.runs.takenNames) == ["lesions-ce_l1-1", "lesions-ce_l1-2", "lesions-ce_l1-3"])
    }

    /// A drag across the IoU chart zooms x to the span; a press and release in place only inspects.
    @Test func aDragZoomsTheMonitor() throws {
        var state = state()
        state.runs.selectedName = "organ-ce-1"
        send(&state, [.key(.enter)])
        let run = try #require(state.runs.selectedRun)
        let layout = try #require(state.runs.iouChart(run).layout(in: RunsScreen.monitorAreas(state.contentArea).iou))
        let from = try #require(layout.cell(x: 20, y: 0.5)).column, to = try #require(layout.cell(x: 60, y: 0.5)).column
        let row = layout.plot.y + 1
        send(&state, [.mouse(MouseEvent(.press, x: from, y: row)), .mouse(MouseEvent(.release, x: from, y: row))])
        #expect(state.runs.zoom == nil && state.runs.inspectedStep == 20)
        send(&state, [.mouse(MouseEvent(.press, x: from, y: row)), .mouse(MouseEvent(.drag, x: to, y: row))])
        #expect(screen(state).text().count > 0 && state.runs.dragRules.count == 2)
        send(&state, [.mouse(MouseEvent(.release, x: to, y: row))])
        let zoom = try #require(state.runs.zoom)
        let shown = state.runs.xRange(run)
        #expect(abs(shown.lowerBound - 20) < 2 && abs(shown.upperBound - 60) < 2, "\(zoom) → \(shown)")
        #expect(state.runs.stateString.contains("zoom="))
        send(&state, keys("0"))
        #expect(state.runs.zoom == nil)
    }
}
