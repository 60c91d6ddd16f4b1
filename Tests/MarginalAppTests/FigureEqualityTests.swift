import Foundation
import Testing
import MarginalCore
import MarginalRuns
import MarginalFigure
import MarginalPlot
import TerminalUI
import TestSupport
@testable import MarginalApp

/// Every screen with an export draws the figure its export writes: the same `LineChart` value
/// (series names, labels, colours, samples, rules, markers, axes and ranges), built by the same
/// builder. What the screen adds is named and taken off before comparing: the Curves cursor's
/// rule and the monitor's inspected-step rule (where a table reads the curves, not part of the
/// figure). The sample grids are the same too (the terminal renderer thins long series to each
/// dot column's envelope when it draws, not in the model). Where a screen draws no line chart
/// (the simplex heat map, bars), what it draws is compared: the ternary map's markers and colour
/// map, the bars' values and colours.
@Suite struct FigureEqualityTests {
    // MARK: Curves

    @Test(arguments: CurvesScreen.SeriesSet.allCases)
    func curvesScreenDrawsItsExport(set: CurvesScreen.SeriesSet) throws {
        for derivative in [false, true] {
            var screen = CurvesScreen()
            screen.seriesSet = set
            screen.derivative = derivative
            screen.target = 0.2
            screen.lambda = 2
            screen.cursor = 0.7
            let exported = try #require(screen.export()?.figure.lineChart)
            var drawn = screen.chart(width: 100).chart
            #expect(drawn.referenceLines.last == screen.cursorRule, "the screen's one addition: the cursor")
            drawn.referenceLines.removeLast()
            #expect(drawn == exported, "\(set) derivative: \(derivative)")
            #expect(drawn.series.map(\.name) == set.penalties.map(\.rawValue))
            #expect(drawn.domains() == exported.domains())
        }
    }

    /// KL + λ·KL was yellow on screen and sky blue in the file (which on a dark terminal is KL's
    /// blue): now yellow in both, and apart from KL's colour on screen.
    @Test func klPlusKLHasOneColourApartFromKL() throws {
        var screen = CurvesScreen()
        screen.seriesSet = .all
        let exported = try #require(screen.export()?.figure.lineChart)
        let series = try #require(exported.series.first { $0.name == BinaryPenalty.klPlusKL.rawValue })
        #expect(series.style.color == Palette.yellow)
        #expect(CurvesScreen.color(.klPlusKL) == LineChartView.terminalColor(series.style.color))
        #expect(CurvesScreen.color(.klPlusKL) != CurvesScreen.color(.kl))
        // Every curve's colour on screen is its figure colour on a dark background.
        for penalty in BinaryPenalty.allCases {
            let figureColor = try #require(exported.series.first { $0.name == penalty.rawValue }).style.color
            #expect(CurvesScreen.color(penalty) == LineChartView.terminalColor(figureColor), "\(penalty)")
        }
        // On screen the six are six colours.
        #expect(Set(BinaryPenalty.allCases.map(CurvesScreen.color)).count == 6)
    }

    // MARK: Temperature

    @Test func temperatureScreenDrawsItsExport() throws {
        for step in [0, 17, 50, 100] {
            var screen = TemperatureScreen()
            screen.step = step
            let exported = try #require(screen.export()?.figure.lineChart)
            #expect(screen.softmaxChart == exported, "step \(step)")
            // The chosen τ is the highlighted curve, in both.
            let highlighted = exported.series.filter { $0.style.color == Palette.accent }
            #expect(highlighted.map(\.name) == [SoftmaxCurves(temperatures: [screen.tau]).name(screen.tau)])
        }
        // The bottom chart (claim 6) is the export's companion and `softmax --proportions`'s figure.
        for step in [0, 50] {
            var screen = TemperatureScreen()
            screen.step = step
            let export = try #require(screen.export())
            let companion = try #require(export.companions.first { $0.suffix == "proportions" })
            #expect(companion.figure.lineChart == screen.proportionChart, "step \(step)")
            #expect(companion.figure.lineChart?.referenceLines.contains { $0.orientation == .vertical && $0.value == screen.tau } == true)
            let cli = TemperatureProportions.sample().figure().lineChart!
            #expect(cli.series == screen.proportionChart.series)
        }
        let proportions = TemperatureScreen().proportionChart
        #expect(proportions.xAxis.scale == .logarithmic && proportions.series.count == 3)
    }

    // MARK: Simplex (a heat map: its markers and colour map)

    @Test func simplexScreenDrawsItsExportsMarkersAndColourMap() throws {
        for penalty in SimplexPenalty.allCases {
            var screen = SimplexScreen()
            screen.penalty = penalty
            let exported = try #require(screen.export()?.figure.ternaryMap)
            let drawn = screen.ternaryMap(screen.map(resolution: 60))
            #expect(drawn.colormap == exported.colormap)
            #expect(drawn.markers.map(\.shape) == exported.markers.map(\.shape), "\(penalty)")
            #expect(drawn.markers.map(\.fill) == exported.markers.map(\.fill))
            #expect(drawn.markers.map(\.stroke) == exported.markers.map(\.stroke))
            #expect(drawn.markers.map(\.label) == exported.markers.map(\.label))
            // The minimiser is searched on a coarser grid on screen (60 divisions, 100 in the
            // file) and refined: the two land within a thousandth.
            for (a, b) in zip(drawn.markers, exported.markers) {
                #expect(abs(a.point.x - b.point.x) < 1e-3 && abs(a.point.y - b.point.y) < 1e-3 && abs(a.point.z - b.point.z) < 1e-3)
            }
        }
    }

    // MARK: Marginals and Toy (bars: their values and colours)

    @Test func marginalsBarsAreTheExportsTargetAndPrediction() throws {
        let screen = MarginalsScreen()
        let exported = try #require(screen.export()?.figure.lineChart)
        let target = try #require(exported.series.first { $0.name == "target" })
        let predicted = try #require(exported.series.first { $0.name == "predicted" })
        #expect(target.y == screen.target.map { Optional($0) } && predicted.y == screen.predicted.map { Optional($0) })
        #expect(target.style.color == MarginalsScreen.targetColor && predicted.style.color == MarginalsScreen.predictedColor)
    }

    @Test func toyBarsAreTheExportsTargetAndSoftProportion() throws {
        let screen = ToyScreen()
        let exported = try #require(screen.export()?.figure.lineChart)
        let target = try #require(exported.series.first { $0.name == "target" })
        let soft = try #require(exported.series.first { $0.name == "soft" })
        #expect(target.y == screen.report.targetProportion.map { Optional($0) })
        #expect(soft.y == screen.report.softProportion.map { Optional($0) })
        #expect(target.style.color == ToyScreen.targetColor && soft.style.color == ToyScreen.softColor)
    }

    // MARK: Runs

    /// Run folders: ce_l1 (a composite) whose regulariser part is still 0 everywhere, ce alone.
    func runs() throws -> [RunRecord] {
        let folder = try makeTemporaryFolder("figure-equality")
        for (name, loss) in [("organ-ce_l1", "ce_l1"), ("organ-ce", "ce")] {
            let run = try RunFixture(runsFolder: folder, name: name, loss: loss, steps: 200)
            for step in stride(from: 10, through: 100, by: 10) {
                let ce = 1.0 / Double(step)
                try run.append(RunFixture.trainLine(step: step, time: Double(step) / 20, loss: ce, ce: ce))
                if step % 20 == 0 {
                    let t = Double(step) / 100
                    try run.append(RunFixture.evalLine(step: step, time: Double(step) / 20, iou: [0.9, 0.5 * t, 0.3 * t],
                                                       soft: [0.75, 0.2, 0.05], hard: [0.79, 0.19, 0.02], target: [0.8, 0.185, 0.015]))
                }
            }
            try run.status("done", step: 100)
        }
        return RunRecord.all(in: folder)
    }

    func monitor(_ runs: [RunRecord], _ name: String, axis: HistoryAxis) -> AppState {
        var state = AppState(screen: .runs, width: 120, height: 40)
        state.runs.runsFolder = "runs"
        _ = send(&state, [.runsChanged(runs)])
        state.runs.selectedName = name
        state.runs.mode = .monitor
        state.runs.axis = axis
        return state
    }

    @Test(arguments: [HistoryAxis.step, .time])
    func runMonitorDrawsItsExport(axis: HistoryAxis) throws {
        let runs = try runs()
        for name in ["organ-ce_l1", "organ-ce"] {
            let state = monitor(runs, name, axis: axis)
            let run = try #require(state.runs.selectedRun)
            let export = try #require(state.runs.export())
            #expect(state.runs.iouChart(run).chart == export.figure.lineChart)
            let loss = try #require(export.companions.first { $0.suffix == "loss" }?.figure.lineChart)
            #expect(state.runs.lossChart(run).chart == loss)
        }
    }

    /// The monitor coloured class 0 grey and the export blue: now grey in both, and the table's
    /// swatches take the same colours.
    @Test func classZeroIsGreyOnScreenAndInTheFile() throws {
        let state = monitor(try runs(), "organ-ce_l1", axis: .step)
        let run = try #require(state.runs.selectedRun)
        let exported = try #require(state.runs.export()?.figure.lineChart)
        #expect(exported.series.map(\.style.color) == [Palette.grey, Palette.classColor(1), Palette.classColor(2)])
        #expect(state.runs.iouChart(run).chart.series.map(\.style.color) == exported.series.map(\.style.color))
        #expect(Palette.classColor(0) == Palette.grey)
    }

    /// The monitor showed the loss parts when the loss has two terms, the figure when ce ≠ 0 and
    /// reg ≠ 0 in the data: one rule now (RunPlot's, by the loss's terms), so a composite whose
    /// regulariser is still 0 shows its parts in both, and CE alone in neither.
    @Test func lossPartsFollowOneRule() throws {
        let runs = try runs()
        for (name, parts) in [("organ-ce_l1", true), ("organ-ce", false)] {
            let state = monitor(runs, name, axis: .step)
            let run = try #require(state.runs.selectedRun)
            let loss = try #require(state.runs.export()?.companions.first { $0.suffix == "loss" }?.figure.lineChart)
            let names = loss.series.map(\.name)
            #expect(names.contains("\(name):ce_smoothed") == parts && names.contains("\(name):reg_smoothed") == parts, "\(names)")
            #expect(state.runs.lossChart(run).chart.series.map(\.name) == names)
        }
    }

    @Test func runComparisonDrawsItsExport() throws {
        let runs = try runs()
        var state = monitor(runs, "organ-ce_l1", axis: .step)
        state.runs.compared = runs.map(\.name)
        state.runs.mode = .compare
        for k in 0 ..< 3 {
            state.runs.compareClass = k
            let comparison = try #require(state.runs.comparison)
            let exported = try #require(state.runs.export()?.figure.lineChart)
            let drawn = RunsScreen.classChart(comparison.runs, classIndex: k, axis: .step).chart
            #expect(drawn == exported, "class \(k)")
            #expect(drawn.series.map(\.style.color) == [Palette.color(0), Palette.color(1)])
        }
    }
}
