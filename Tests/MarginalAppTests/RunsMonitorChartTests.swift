import Foundation
import Testing
import MarginalCore
import MarginalFigure
import MarginalRuns
import TerminalUI
import TestSupport
@testable import MarginalApp

/// The monitor's charts tell the truth about a recorded run: evaluations marked where they
/// are and nowhere else, the x range following the data, the legend clear of every curve and
/// giving the values at the inspected step; zoom, log scale and class toggles change what is drawn.
@Suite struct RunsMonitorChartTests {
    let folder: URL
    let runs: [RunRecord]

    /// A running-length run of 2000 planned steps, logged to step 160, evaluated at 50, 100, 150.
    init() throws {
        folder = try makeTemporaryFolder("runs-monitor-charts")
        let run = try RunFixture(runsFolder: folder, name: "long", loss: "ce_l1", steps: 2000)
        for step in stride(from: 10, through: 160, by: 10) {
            let ce = 1.0 / Double(step)
            try run.append(RunFixture.trainLine(step: step, time: Double(step) / 10, loss: 1.2 * ce, ce: ce))
            if step % 50 == 0 {
                let t = Double(step) / 150
                try run.append(RunFixture.evalLine(step: step, time: Double(step) / 10, iou: [0.9 + 0.05 * t, 0.3 + 0.4 * t, 0.1 * t],
                                                   soft: [0.75, 0.2, 0.05], hard: [0.79, 0.19, 0.02], target: [0.8, 0.185, 0.015]))
            }
        }
        try run.status("stopped", step: 160)
        runs = RunRecord.all(in: folder)
    }

    func monitor() -> AppState {
        var state = AppState(screen: .runs, width: 120, height: 40)
        state.runs.runsFolder = "runs"
        _ = send(&state, [.runsChanged(runs)])
        state.runs.selectedName = "long"
        state.runs.mode = .monitor
        return state
    }

    var chartArea: Rect { RunsScreen.monitorAreas(AppState.contentArea(width: 120, height: 40)).iou }

    func draw(_ view: LineChartView) -> Buffer {
        var buffer = Buffer(width: 120, height: 40)
        view.render(in: chartArea, into: &buffer, theme: Theme(colors: .extended, unicode: true))
        return buffer
    }

    @Test func markersLandExactlyOnEvaluations() throws {
        let state = monitor()
        let run = try #require(state.runs.selectedRun)
        let view = state.runs.iouChart(run)
        #expect(view.markerSpacing == 0)
        let buffer = draw(view)
        let layout = try #require(view.layout(in: chartArea))
        let theme = Theme(colors: .extended, unicode: true)
        var expected = Set<[Int]>()
        for evaluation in run.evaluations {
            for (k, iou) in evaluation.result.iou.enumerated() {
                let value = try #require(iou)
                let cell = try #require(layout.cell(x: Double(evaluation.step), y: value))
                #expect(buffer[cell.column, cell.row].symbol == theme.marker(k), "class \(k) at step \(evaluation.step)")
                expected.insert([cell.column, cell.row])
            }
        }
        // No other marker in the plot: 3 evaluations × 3 classes.
        let symbols = Set((0 ..< 3).map { theme.marker($0) })
        var found = Set<[Int]>()
        let legend = view.legendBox(in: chartArea)
        for y in layout.plot.y ..< layout.plot.maxY {
            for x in layout.plot.x ..< layout.plot.maxX where symbols.contains(buffer[x, y].symbol) {
                if let legend, legend.contains(x: x, y: y) { continue }
                found.insert([x, y])
            }
        }
        #expect(found == expected)
        // The loss is drawn as lines: no shape in its plot but the legend's.
        let loss = state.runs.lossChart(run)
        let lossMarked = loss.chart.series.contains { $0.marksSamples }
        #expect(loss.markerSpacing == 0 && !lossMarked)
        let allMarked = view.chart.series.allSatisfy { $0.marksSamples }
        #expect(allMarked)
    }

    @Test func theXRangeFollowsTheDataAndNamesThePlannedEnd() throws {
        let state = monitor()
        let run = try #require(state.runs.selectedRun)
        let chart = state.runs.iouChart(run).chart
        #expect(chart.domains().x == 0 ... 160)
        #expect(chart.xAxis.label == "step · of 2000 planned")
        #expect(state.runs.lossChart(run).chart.domains().x == 0 ... 160)
        #expect(screen(state).text().contains("of 2000 planned"))
    }

    @Test func theLegendCoversNoCurveAndGivesTheInspectedValues() throws {
        var state = monitor()
        let run = try #require(state.runs.selectedRun)
        let areas = [(120, 40), (80, 24)].flatMap { size in
            let parts = RunsScreen.monitorAreas(AppState.contentArea(width: size.0, height: size.1))
            return [parts.iou, parts.loss]
        }
        for view in [state.runs.iouChart(run), state.runs.lossChart(run)] {
          for chartArea in areas {
            let box = try #require(view.legendBox(in: chartArea))
            let plot = try #require(view.layout(in: chartArea)).plot
            // Beside the plot, it covers nothing; inside, only cells no curve reaches.
            guard box.x < plot.maxX else { continue }
            var bare = view
            bare.chart.legend = .hidden
            var buffer = Buffer(width: 120, height: 40)
            bare.render(in: chartArea, into: &buffer, theme: Theme(colors: .extended, unicode: true))
            for y in box.y ..< box.maxY {
                for x in box.x ..< box.maxX { #expect(buffer[x, y].symbol == " ", "a curve under the legend at \(x), \(y) in \(chartArea)") }
            }
          }
        }
        #expect(screen(state).text().contains("organ 70.0"))
        _ = send(&state, keys(","))
        #expect(state.runs.inspectedStep == 100)
        let text = screen(state).text()
        // At step 100: organ 0.3 + 0.4 · 2/3 = 56.7 %, tumour 6.7 %.
        #expect(text.contains("organ 56.7") && text.contains("tumour 6.7"), "\(text)")
        #expect(!text.contains("organ 70.0"))
        let loss = state.runs.lossChart(run).chart
        #expect(loss.series.contains { $0.shortLabel?.hasPrefix("CE ") == true })
    }
}

/// Claim 7 on runs (issue 12, item 3): p̂ at the run's τ beside the soft and hard proportions,
/// the comparison beyond IoU, and the collapse to a vertex flagged on a recorded Dice run but
/// not on a healthy CE run.
@Suite struct RunsClaimSevenTests {
    let folder: URL
    let runs: [RunRecord]

    /// Two lesions runs of four evaluations: Dice, whose lesion vanishes from the hard
    /// prediction from step 20 on (the recorded shape of Dice on lesions), and a healthy CE run.
    init() throws {
        folder = try makeTemporaryFolder("runs-claim7")
        let classes = ["background", "lesion"]
        for (name, loss) in [("lesions-dice", "dice"), ("lesions-ce", "ce"), ("lesions-ce_l1", "ce_l1")] {
            let run = try RunFixture(runsFolder: folder, name: name, dataset: "lesions", loss: loss, classes: classes, steps: 40)
            for step in stride(from: 10, through: 40, by: 10) {
                let dead = loss != "ce" && step >= 20
                let hard = dead ? 0.0 : 0.015, soft = dead ? 0.012 : 0.02
                var line = RunFixture.evalLine(step: step, time: Double(step), iou: [0.97, dead ? 0 : 0.3],
                                               soft: [1 - soft, soft], hard: [1 - hard, hard], target: [0.98, 0.02])
                // p̂ at τ = 10 as the trainer records it now.
                let tempered = dead ? 0.0004 : 0.016
                line = line.replacingOccurrences(of: "\"type\":\"eval\"}", with: "\"tempered_proportion\":[\(1 - tempered),\(tempered)],\"type\":\"eval\"}")
                try run.append(RunFixture.trainLine(step: step, time: Double(step), loss: 0.5, ce: 0.5))
                try run.append(line)
            }
            try run.status("done", step: 40)
        }
        runs = RunRecord.all(in: folder)
    }

    func state(_ name: String) -> AppState {
        var state = AppState(screen: .runs, width: 120, height: 40)
        state.runs.runsFolder = "runs"
        _ = send(&state, [.runsChanged(runs)])
        state.runs.selectedName = name
        return state
    }

    @Test func collapseIsFlaggedOnDiceNotOnCE() throws {
        let dice = try #require(runs.first { $0.name == "lesions-dice" })
        let ce = try #require(runs.first { $0.name == "lesions-ce" })
        #expect(dice.collapse?.classIndex == 1 && dice.collapse?.since == 20)
        #expect(ce.collapse == nil)
        #expect(dice.collapseNote == "class lesion predicted nowhere since step 20: the prediction has collapsed to the all-background vertex of the simplex (the paper's Proposition 1)")
        var state = state("lesions-dice")
        #expect(screen(state).text().contains("lesion predicted nowhere since step 20"), "on the list")
        #expect(screen(state).text().contains("done ⚠"))
        send(&state, [.key(.enter)])
        #expect(screen(state).text().contains("class lesion predicted nowhere since step 20"), "on the monitor")
        // A collapse under a loss without a Dice term is not put down to Proposition 1.
        let regularised = try #require(runs.first { $0.name == "lesions-ce_l1" })
        #expect(regularised.collapseNote == "class lesion predicted nowhere since step 20: the prediction has collapsed to the all-background vertex of the simplex (ce_l1 has no Dice term, so not Proposition 1's bias: CE's hidden KL and λ·R penalise it but have not undone it)")
        var healthy = self.state("lesions-ce")
        send(&healthy, [.key(.enter)])
        #expect(!screen(healthy).text().contains("predicted nowhere"))
    }

    @Test func theMonitorShowsTheTemperedMarginal() throws {
        var state = state("lesions-ce")
        send(&state, [.key(.enter)])
        let text = screen(state).text()
        #expect(text.contains("p̂τ %") && text.contains("p̂τ: p̂ at τ = 10 (ce: unused)"))
        // lesion: ŷ 2.0, soft p̂ 2.0, p̂ at τ = 10 1.6, hard 1.5
        #expect(text.contains("lesion      2.0  2.0  1.6  1.5 30.0"), "\(text)")
        let run = try #require(state.runs.selectedRun)
        let plot = try #require(state.runs.plot(run, .proportion))
        #expect(plot.curves.contains { $0.quantity == "tempered" && $0.y.last == 0.016 })
        #expect(plot.table().columns.map(\.name).contains("lesions-ce:tempered:lesion"))
    }

    @Test func theComparisonShowsMoreThanIoU() throws {
        let comparison = try RunComparison(runs: runs)
        let detail = comparison.detail(classIndex: 1)
        #expect(detail.header == ["run", "loss", "τ", "ŷ %", "p̂ %", "p̂τ %", "hard %", "IoU", "Dice"])
        #expect(detail.rows.first { $0[0] == "lesions-dice" } == ["lesions-dice", "dice", "–", "2.0", "1.2", "0.0", "0.0", "0.0", "0.0"])
        var state = state("lesions-ce")
        send(&state, keys("c"))
        #expect(state.runs.mode == .compare)
        #expect(screen(state).text().contains("p̂τ %"))
    }
}
