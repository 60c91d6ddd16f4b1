import Foundation
import Testing
import MarginalApp
import MarginalCore
import MarginalFigure
import MarginalRuns
import MarginalPlot
import TestSupport

/// `RunPlot` on run folders written by hand: which curves come out for each metric and number
/// of runs, the smoothing of the loss, ŷ as a reference line, classes by name, the table's rows,
/// and one line of error for each bad request.
@Suite final class RunFiguresTests {
    let runs: URL
    init() throws { runs = try makeTemporaryFolder("run-figures") }

    /// Each test gets its own folder; it goes when the test ends.
    deinit { try? FileManager.default.removeItem(at: runs) }

    static let target = [0.78, 0.2, 0.02]

    /// An `organ` run (background, organ, tumour) with train lines every 10 steps and an
    /// evaluation at each of `evals`; `loss` is CE plus a regulariser unless `ceOnly`.
    @discardableResult
    func organRun(_ name: String, evals: [Int] = [10, 20, 30], hard: [Double] = [0.8, 0.18, 0.02],
                  ceOnly: Bool = false, dataset: String = "organ") throws -> RunFixture {
        let run = try RunFixture(runsFolder: runs, name: name, dataset: dataset, loss: ceOnly ? "ce" : "ce_l1")
        for step in stride(from: 10, through: 50, by: 10) {
            let ce = 1.0 / Double(step), loss = ceOnly ? ce : ce + 0.05 + 0.1 / Double(step)
            try run.append(RunFixture.trainLine(step: step, time: Double(step) / 4, loss: loss, ce: ce))
        }
        for step in evals {
            let t = Double(step) / 100
            try run.append(RunFixture.evalLine(step: step, time: Double(step) / 4, iou: [0.9, 0.3 + t, step == 10 ? nil : t],
                                               soft: [0.7, 0.25, 0.05 - t / 10], hard: hard, target: Self.target))
        }
        return run
    }

    func records(_ names: String...) throws -> [RunRecord] {
        try names.map { name throws in try RunRecord(RunDirectory(runsFolder: runs, name: name)) }
    }

    func chart(_ plot: RunPlot) throws -> LineChart {
        guard case .lines(let chart) = plot.figure() else { throw MarginalError("not a line chart") }
        return chart
    }

    /// The message of the `MarginalError` that `body` throws; nil if it throws none.
    func error(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let failure as MarginalError { return failure.description } catch {
            return "not a MarginalError: \(error)"
        }
    }

    // MARK: IoU

    @Test func iouOfOneRunGivesEveryClassNamedByClass() throws {
        try organRun("a")
        let plot = try RunPlot(runs: records("a"), metric: .iou)
        #expect(plot.curves.map(\.name) == ["a:iou:background", "a:iou:organ", "a:iou:tumour"])
        #expect(plot.curves[2].x == [10, 20, 30] && plot.curves[2].y == [nil, 0.2, 0.3])
        let chart = try chart(plot)
        #expect(chart.series.map(\.label) == ["background", "organ", "tumour"])
        #expect(chart.yAxis.range == -0.02 ... 1.02 && chart.referenceLines.isEmpty)
    }

    @Test func iouOfAClassGivesEachRunNamedByRun() throws {
        try organRun("a")
        try organRun("b", evals: [10, 20])
        let plot = try RunPlot(runs: records("a", "b"), metric: .iou, classIndex: 1)
        #expect(plot.curves.map(\.name) == ["a:iou:organ", "b:iou:organ"])
        #expect(try chart(plot).series.map(\.label) == ["a", "b"])
        #expect(plot.title == "Validation IoU of organ")
        // One run with a class is labelled by run as well.
        #expect(try RunPlot(runs: records("a"), metric: .iou, classIndex: 2).curves.map(\.label) == ["a"])
    }

    @Test func iouOfSeveralRunsWithoutAClassIsTheMeanIoU() throws {
        try organRun("a")
        try organRun("b")
        let both = try records("a", "b")
        let plot = try RunPlot(runs: both, metric: .iou, axis: .time)
        #expect(plot.curves.map(\.name) == ["a:miou", "b:miou"])
        #expect(plot.curves[0].x == [2.5, 5, 7.5])  // seconds, not steps
        #expect(plot.curves[0].y == both[0].evaluations.map(\.result.miou))
        #expect(try chart(plot).xAxis.label == "training time (s)")
    }

    // MARK: loss

    /// The smoothed curves are `debiasedMovingAverage` of the recorded values, at the weight given.
    @Test func lossOfOneRunIsSmoothedWithTheRawTotalBehind() throws {
        try organRun("a")
        let record = try records("a")[0]
        let plot = try RunPlot(runs: [record], metric: .loss, smoothing: 0.8)
        #expect(plot.curves.map(\.quantity) == ["loss", "loss_smoothed", "ce_smoothed", "reg_smoothed"])
        let raw = record.history.train.map { Optional($0.loss) }
        #expect(plot.curves[0].y == raw)
        #expect(plot.curves[1].y == debiasedMovingAverage(raw, weight: 0.8))
        #expect(plot.curves[2].y == debiasedMovingAverage(record.history.train.map { Optional($0.ce) }, weight: 0.8))
        #expect(plot.curves[3].y == debiasedMovingAverage(record.history.train.map { Optional($0.reg) }, weight: 0.8))
        #expect(plot.curves[1].y != raw)
        let chart = try chart(plot)
        #expect(chart.series[0].style.color.alpha < 0.5 && chart.series[0].style.width < chart.series[1].style.width)
        #expect(plot.subtitle.contains("w = 0.8"))
    }

    @Test func lossWithoutRegulariserOrSmoothingDrawsWhatThereIs() throws {
        try organRun("ce", ceOnly: true)
        try organRun("l1")
        let ce = try RunPlot(runs: records("ce"), metric: .loss)
        #expect(ce.curves.map(\.quantity) == ["loss", "loss_smoothed"])  // reg = 0: no parts
        let l1 = try records("l1")
        let unsmoothed = try RunPlot(runs: l1, metric: .loss, smoothing: 0)
        #expect(unsmoothed.curves.map(\.quantity) == ["loss_smoothed", "ce_smoothed", "reg_smoothed"])
        #expect(unsmoothed.curves[0].y == l1[0].history.loss(.total, axis: .step).y)
        let both = try RunPlot(runs: records("ce", "l1"), metric: .loss)
        #expect(both.curves.map(\.name) == ["ce:loss_smoothed", "l1:loss_smoothed"])
        #expect(try chart(both).series.map(\.label) == ["ce", "l1"])
    }

    // MARK: proportions

    @Test func proportionsOfOneRunDrawSoftAndHardWithTheTargetAsAReferenceLine() throws {
        try organRun("a")
        let plot = try RunPlot(runs: records("a"), metric: .proportion)
        #expect(plot.curves.map(\.name) == [
            "a:soft:background", "a:hard:background", "a:target:background",
            "a:soft:organ", "a:hard:organ", "a:target:organ",
            "a:soft:tumour", "a:hard:tumour", "a:target:tumour",
        ])
        let chart = try chart(plot)
        #expect(chart.series.count == 6)  // ŷ is a reference line, not a series
        #expect(chart.series.filter(\.inLegend).map(\.label) == ["background", "organ", "tumour"])
        #expect(chart.referenceLines.map(\.value) == Self.target)
        #expect(chart.referenceLines.allSatisfy { $0.orientation == .horizontal && !$0.style.dash.isEmpty })
        #expect(chart.referenceLines[2].label == "ŷ = 0.02")
        let hard = chart.series[1].style, soft = chart.series[0].style
        #expect(hard.width < soft.width && !hard.dash.isEmpty && soft.dash.isEmpty)
        #expect(chart.extraLegendEntries.map(\.label) == ["soft p̂ (τ = 1)", "hard (argmax)", "target ŷ"])
        // 0.02 to 0.8: more than a decade, every value positive.
        #expect(chart.yAxis.scale == .logarithmic)
    }

    @Test func proportionsWithAZeroStayLinearAndRunsShareOneTargetLine() throws {
        try organRun("a")
        try organRun("b", hard: [0.82, 0.18, 0])
        let plot = try RunPlot(runs: records("a", "b"), metric: .proportion, classIndex: 2)
        #expect(plot.curves.map(\.name) == ["a:soft:tumour", "a:hard:tumour", "a:target:tumour",
                                            "b:soft:tumour", "b:hard:tumour", "b:target:tumour"])
        let chart = try chart(plot)
        #expect(chart.yAxis.scale == .linear)  // b's hard proportion is 0: a log axis would drop it
        #expect(chart.referenceLines.count == 1 && chart.referenceLines[0].value == 0.02)
        #expect(chart.referenceLines[0].style.color == Color(hex: 0x777777))
        #expect(chart.series.filter(\.inLegend).map(\.label) == ["a", "b"])
    }

    // MARK: classes by name

    @Test func classesAreNamedByIndexOrByName() throws {
        try organRun("a")
        let runs = try records("a")
        #expect(try RunPlot.classIndex("organ", of: runs) == 1)
        #expect(try RunPlot.classIndex("Tumour", of: runs) == 2)
        #expect(try RunPlot.classIndex("0", of: runs) == 0)
        #expect(error { _ = try RunPlot.classIndex("liver", of: runs) }
            == "no class 'liver' in a: its classes are 0 background, 1 organ, 2 tumour")
        let byName = try RunPlot(runs: runs, metric: .iou, classIndex: RunPlot.classIndex("tumour", of: runs))
        #expect(byName.curves.map(\.name) == ["a:iou:tumour"])
    }

    // MARK: numbers

    /// Runs evaluated at different steps share one table: a row per step, empty where a run has none.
    @Test func tableHasARowForEveryXAndEmptyCellsWhereACurveHasNone() throws {
        try organRun("a", evals: [10, 30])
        try organRun("b", evals: [20, 30])
        let plot = try RunPlot(runs: records("a", "b"), metric: .iou, classIndex: 1)
        #expect(plot.table().csv() == "step,a:iou:organ (fraction),b:iou:organ (fraction)\n10,0.4,\n20,,0.5\n30,0.6,0.6\n")
    }

    @Test func jsonGivesParametersAndEveryCurveWithItsOwnX() throws {
        try organRun("a")
        let plot = try RunPlot(runs: records("a"), metric: .proportion, classIndex: 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plot.json().encoded().utf8)) as? [String: Any])
        let parameters = try #require(object["parameters"] as? [String: Any])
        #expect(parameters["metric"] as? String == "proportion" && parameters["class"] as? Int == 1)
        #expect(parameters["runs"] as? [String] == ["a"] && parameters["x"] as? String == "step")
        let series = try #require(object["series"] as? [[String: Any]])
        #expect(series.map { $0["quantity"] as? String } == ["soft", "hard", "target"])
        #expect(series[2]["y"] as? [Double] == [0.2, 0.2, 0.2] && series[2]["class_name"] as? String == "organ")
    }

    @Test func exportIsNamedForTheRunsAndParameters() throws {
        try organRun("a")
        try organRun("b")
        #expect(try RunPlot(runs: records("a", "b"), metric: .iou, classIndex: 2, axis: .time).export().name
            == "runs-iou-a+b-class2-time")
        let loss = try RunPlot(runs: records("a"), metric: .loss).export()
        #expect(loss.name == "runs-loss-a-smoothing0.6" && loss.table.columns.count == 5)
    }

    // MARK: errors

    @Test func badRequestsGetOneLineEach() throws {
        try organRun("a")
        try organRun("b")
        try organRun("lesions", dataset: "lesions")
        _ = try RunFixture(runsFolder: runs, name: "fresh")
        let a = try records("a"), ab = try records("a", "b")
        let aLesions = try records("a", "lesions"), aFresh = try records("a", "fresh"), fresh = try records("fresh")
        let cases: [(String, () throws -> Void)] = [
            ("class 9 is out of range: a has classes 0 background, 1 organ, 2 tumour",
             { _ = try RunPlot(runs: a, metric: .iou, classIndex: 9) }),
            ("class -1 is out of range: a has classes 0 background, 1 organ, 2 tumour",
             { _ = try RunPlot(runs: a, metric: .proportion, classIndex: -1) }),
            ("runs on different datasets (lesions, organ) do not share class 1",
             { _ = try RunPlot(runs: aLesions, metric: .iou, classIndex: 1) }),
            ("fresh has no evaluation yet (the first comes at step 10)",
             { _ = try RunPlot(runs: aFresh, metric: .iou) }),
            ("fresh has no training loss yet (a train line comes every 10 steps)",
             { _ = try RunPlot(runs: fresh, metric: .loss) }),
            ("proportions of several runs are plotted one class at a time: name a class",
             { _ = try RunPlot(runs: ab, metric: .proportion) }),
            ("the loss has no class: a class goes with iou or proportion",
             { _ = try RunPlot(runs: a, metric: .loss, classIndex: 1) }),
            ("smoothing 1 is outside [0, 0.999] (0: none; TensorBoard's default is 0.6)",
             { _ = try RunPlot(runs: a, metric: .loss, smoothing: 1) }),
            ("run 'a' is named twice", { _ = try RunPlot(runs: a + a, metric: .iou) }),
            ("name at least one run", { _ = try RunPlot(runs: [], metric: .iou) }),
        ]
        for (expected, body) in cases {
            let message = error(body)
            #expect(message == expected)
            #expect(message?.contains("\n") == false)
        }
        // Several runs of different datasets without a class: each run's mIoU is fine.
        #expect(try RunPlot(runs: aLesions, metric: .iou).curves.count == 2)
    }
}
