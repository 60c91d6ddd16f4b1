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
        for view in [state.runs.iouChart(run), state.runs.lossChart(run)] {
            let box = try #require(view.legendBox(in: chartArea))
            let plot = try #require(view.layout(in: chartArea)).plot
            // Beside the plot, it covers nothing; inside, only cells no curve reaches.
            guard box.x < plot.maxX else { continue }
            var bare = view
            bare.chart.legend = .hidden
            let buffer = draw(bare)
            for y in box.y ..< box.maxY {
                for x in box.x ..< box.maxX { #expect(buffer[x, y].symbol == " ", "a curve under the legend at \(x), \(y)") }
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
