import Foundation
import MarginalCore
import MarginalRuns
import MarginalPlot
import MarginalFigure




/// What a figure of training runs shows.
public enum RunMetric: String, Sendable, CaseIterable {
    /// Validation IoU: per class, or the mIoU.
    case iou
    /// The training loss and its CE and regulariser parts, smoothed.
    case loss
    /// Validation label proportions: the soft p̂ (τ = 1), p̂ at the run's τ, the hard (argmax) one and the target ŷ.
    case proportion
    /// A TensorBoard run's scalar outside marginal's tag convention (named by its tag), as logged.
    case scalar
}

/// Runs' metrics over training as numbers and as a figure: what `marginal runs plot` writes and
/// what the explorer's runs screen exports. Which curves come out:
///
/// - `iou`: one run without a class → the IoU of every class (legend: class names); a class →
///   that class's IoU in each run; several runs without a class → each run's mIoU (legend: run
///   names). y from 0 to 1 (a little beyond, so that a curve at 0 or 1 shows), as every
///   figure of the project gives scores and proportions.
/// - `loss`: one run → the total loss, its CE part and its regulariser part (when the loss has
///   both), each smoothed by `debiasedMovingAverage` (TensorBoard's), the raw total faint behind;
///   several runs → each run's smoothed total.
/// - `proportion`: one run without a class → every class; otherwise the class in each run. The
///   soft p̂ (τ = 1) solid, p̂ at the run's τ (what L1 and KL penalise; runs that recorded it)
///   dash-dotted, the hard proportion dotted, ŷ a dashed horizontal line; a logarithmic y axis
///   when every value is positive and they span a decade or more.
/// - `scalar`: a TensorBoard run's scalar outside the tag convention (`tag`), one curve a run,
///   every logged point (`scalarCurves`).
///
/// The table and the JSON hold every number drawn, ŷ included, under each curve's `name`.
public struct RunPlot: Sendable {
    /// One curve of the plot: a line, or the samples behind a horizontal reference line (ŷ).
    public struct Curve: Sendable, Equatable {
        public let run: String
        /// `iou`, `miou`, `loss` (the raw total), `loss_smoothed`, `ce_smoothed`, `reg_smoothed`,
        /// `soft`, `hard` or `target`.
        public let quantity: String
        public let classIndex: Int?
        public let className: String?
        public let x: [Double]
        public let y: [Double?]
        /// What the legend says.
        public let label: String
        public let style: StrokeStyle
        /// Drawn as a line with a legend row of its own; false for the faint raw loss and the hard
        /// proportion (explained by extra legend rows).
        public let inLegend: Bool
        /// Drawn as a horizontal reference line at its last value instead of a line (ŷ).
        public let isReference: Bool
        /// What a legend with little room says (the explorer's: the name and the value at the
        /// inspected step, else the last).
        public var shortLabel: String? = nil
        /// Each sample is a recorded point (an evaluation), marked where it is.
        public var marksSamples = false
        /// The shape that stands for the curve without colour (its class's, so that it stays
        /// when other classes are hidden); nil: its position.
        public var symbol: Int? = nil
        /// A group's spread about this mean curve (min…max of its seeds), drawn shaded; nil: none.
        public var band: Series.Band? = nil

        /// The CSV column, the JSON series' name and the SVG `data-series`: `run:quantity`, or
        /// `run:quantity:class` for a per-class curve.
        public var name: String { [run, quantity, className].compactMap { $0 }.joined(separator: ":") }

        /// The CSV header of the curve: its name, and for IoU the unit, since the tables beside
        /// it (the screen, `runs compare`) give IoU in per cent: "a:iou:organ (fraction)".
        public var csvColumn: String { quantity.hasPrefix("iou") || quantity.hasPrefix("miou") ? name + " (fraction)" : name }
    }

    public let runNames: [String]
    public let metric: RunMetric
    public let classIndex: Int?
    /// The plain scalar's tag (`scalar`); nil for the other metrics.
    public let tag: String?
    public let axis: HistoryAxis
    /// The weight w of the debiased moving average applied to the loss, in [0, 0.999].
    public let smoothing: Double
    public let size: (width: Double, height: Double)
    /// The x range drawn; nil to fit the data (the explorer passes a run's whole planned length,
    /// so that the curves grow across).
    public let xRange: ClosedRange<Double>?
    /// The x whose values the short labels give (the explorer's inspected evaluation); nil: the last.
    public let inspectedX: Double?
    /// Classes left out of a one-run figure (the explorer's class toggles).
    public let hiddenClasses: Set<Int>
    /// The runs are one group of seeds, drawn as their mean with a min…max band.
    public let isGroup: Bool
    /// Every curve, lines and references, in legend order.
    public let curves: [Curve]
    public let title: String
    public let subtitle: String
    let yAxis: Axis
    /// The run's planned steps, named on the step axis while the data stops short of them.
    let plannedSteps: Int?
    let extraLegendEntries: [LegendEntry]

    /// The curves of `metric` for `runs`; x is the step or the seconds of training.
    ///
    /// One line of error for: no run, a run named twice, `smoothing` outside [0, 0.999], a class
    /// with the loss, a class outside a run's classes (named), a class for runs of different
    /// datasets, proportions of several runs without a class, a run without evaluations (IoU,
    /// proportions) or without training lines (loss).
    public init(runs: [RunRecord], metric: RunMetric, classIndex: Int? = nil, axis: HistoryAxis = .step,
                smoothing: Double = 0.6, size: (width: Double, height: Double) = (720, 450),
                xRange: ClosedRange<Double>? = nil, inspectedX: Double? = nil, hiddenClasses: Set<Int> = [],
                logarithmicLoss: Bool = false, plannedSteps: Int? = nil, asGroup: Bool = false, tag: String? = nil) throws(MarginalError) {
        guard !runs.isEmpty else { throw MarginalError("name at least one run") }
        var seen = Set<String>()
        for run in runs where !seen.insert(run.name).inserted { throw MarginalError("run '\(run.name)' is named twice") }
        guard smoothing.isFinite, (0 ... 0.999).contains(smoothing) else {
            throw MarginalError("smoothing \(exactNumber(smoothing)) is outside [0, 0.999] (0: none; TensorBoard's default is 0.6)")
        }
        switch metric {
        case .iou, .proportion:
            for run in runs where run.evaluations.isEmpty {
                throw MarginalError("\(run.name) has no evaluation yet" + (run.isTensorBoard ? " (no iou/, proportion/ or miou tags: docs/TENSORBOARD.md)" : " (the first comes at step \(run.configuration.evalEvery))"))
            }
        case .loss:
            for run in runs where run.history.train.isEmpty {
                throw MarginalError("\(run.name) has no training loss yet (a train line comes every 10 steps)")
            }
        case .scalar:
            try Self.checkScalar(runs, tag: tag)
            guard !asGroup else { throw MarginalError("a group of seeds is plotted by iou, loss or proportion, not by a plain scalar") }
        }
        if tag != nil, metric != .scalar {
            throw MarginalError("--tag names a plain scalar: it goes with --metric scalar, not \(metric.rawValue)")
        }
        if let classIndex {
            guard metric != .loss, metric != .scalar else { throw MarginalError("the \(metric == .loss ? "loss" : "scalar") has no class: a class goes with iou or proportion") }
            if let conflict = RunRecord.classConflict(runs) {
                throw MarginalError("runs on different datasets (\(conflict)) do not share class \(classIndex)")
            }
            for run in runs where !run.classNames.indices.contains(classIndex) {
                throw MarginalError("class \(classIndex) is out of range: \(run.name) has classes \(Self.classList(run))")
            }
        } else if metric == .proportion, runs.count > 1, !asGroup {
            throw MarginalError("proportions of several runs are plotted one class at a time: name a class")
        }

        if asGroup, let first = runs.first {
            // One experiment repeated: every run's configuration equals the first's but for the seed.
            for run in runs.dropFirst() where RunGroup.groups(of: [first, run]).count != 1 {
                throw MarginalError("\(run.name) is not a seed of \(first.name)'s group: its configuration differs beyond the seed")
            }
        }
        runNames = runs.map(\.name)
        isGroup = asGroup
        self.metric = metric; self.classIndex = classIndex; self.tag = tag; self.axis = axis; self.smoothing = smoothing; self.size = size
        self.xRange = xRange
        self.inspectedX = inspectedX
        self.hiddenClasses = hiddenClasses
        self.plannedSteps = plannedSteps
        var built: Built = if asGroup {
            Self.groupCurves(runs, metric: metric, classIndex: classIndex, axis: axis, smoothing: smoothing, inspectedX: inspectedX, hidden: hiddenClasses)
        } else {
            switch metric {
            case .iou: Self.iouCurves(runs, classIndex: classIndex, axis: axis, inspectedX: inspectedX, hidden: hiddenClasses)
            case .loss: Self.lossCurves(runs, axis: axis, smoothing: smoothing, inspectedX: inspectedX)
            case .proportion: Self.proportionCurves(runs, classIndex: classIndex, axis: axis, hidden: hiddenClasses)
            case .scalar: Self.scalarCurves(runs, tag: tag ?? "", axis: axis, inspectedX: inspectedX)
            }
        }
        if metric == .loss, logarithmicLoss {
            built.yAxis.scale = .logarithmic
            built.yAxis.label += " (log scale)"
        }
        curves = built.curves
        title = built.title
        yAxis = built.yAxis
        extraLegendEntries = built.extra
        var about = runs.count == 1 || asGroup ? Self.describe(runs[0]) : Self.datasets(runs)
        if asGroup { about += " · seeds " + runs.map { "\($0.configuration.seed)" }.joined(separator: ", ") }
        if metric == .loss {
            about += smoothing == 0 ? " · not smoothed" : " · smoothed: debiased EMA, w = \(short(smoothing))"
            if runs.count == 1, smoothing > 0 { about += " (raw faint)" }
        } else if metric == .scalar {
            about += " · TensorBoard scalar outside marginal's tag convention, as logged"
        } else {
            about += " · validation split"
        }
        subtitle = about
    }

    /// The class index named by `text`: a whole number as it is (`init` checks its range), or a
    /// class name of the runs (exactly, else ignoring case).
    public static func classIndex(_ text: String, of runs: [RunRecord]) throws(MarginalError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let index = Int(trimmed) { return index }
        guard let run = runs.first else { throw MarginalError("name at least one run") }
        let names = run.classNames
        if let index = names.firstIndex(of: trimmed) ?? names.firstIndex(where: { $0.lowercased() == trimmed.lowercased() }) {
            return index
        }
        throw MarginalError("no class '\(text)' in \(run.name): its classes are \(classList(run))")
    }

    /// "0 background, 1 organ, 2 tumour".
    static func classList(_ run: RunRecord) -> String {
        let names = run.classNames
        return names.isEmpty ? "unknown (no class names and no evaluation)"
            : names.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
    }

    /// "lesions · ce_l1 (λ = 1)".
    static func describe(_ run: RunRecord) -> String {
        guard run.configurationKnown else { return "TensorBoard run \(run.tensorBoard?.folder.path ?? run.name)" }
        return "\(run.configuration.dataset) · \(run.configuration.loss)" + (run.lambda.map { " (λ = \(short($0)))" } ?? "")
    }

    static func datasets(_ runs: [RunRecord]) -> String {
        var names: [String] = []
        for run in runs where !names.contains(run.datasetLabel) { names.append(run.datasetLabel) }
        return names.joined(separator: ", ")
    }

    // MARK: - The curves of each metric

    typealias Built = (curves: [Curve], title: String, yAxis: Axis, extra: [LegendEntry])

    static func line(_ color: Color, width: Double = 2.2, dash: [Double] = []) -> StrokeStyle {
        StrokeStyle(color: color, width: width, dash: dash)
    }

    /// The value at the last sample at or before `inspected` (nil: the last sample).
    static func value(_ x: [Double], _ y: [Double?], at inspected: Double?) -> Double? {
        guard let inspected else { return y.last.flatMap { $0 } }
        guard let index = x.lastIndex(where: { $0 <= inspected }) else { return nil }
        return y[index]
    }

    /// "background 95.0": a name and its value in per cent at the inspected x (else the last),
    /// for a legend with little room.
    static func withValue(_ name: String, _ x: [Double], _ y: [Double?], at inspected: Double?) -> String {
        "\(name) \(percent(value(x, y, at: inspected)))"
    }

    static func iouCurves(_ runs: [RunRecord], classIndex: Int?, axis: HistoryAxis, inspectedX: Double?, hidden: Set<Int>) -> Built {
        // A little beyond [0, 1], as the soft-max figure, so that curves at 0 or 1 stay visible;
        // ticks in per cent, as the tables give IoU.
        func yAxis(_ label: String) -> Axis { Axis(label: label, range: -0.02 ... 1.02, unit: .percent) }
        if runs.count == 1, classIndex == nil {
            let run = runs[0]
            let curves = run.classNames.indices.filter { !hidden.contains($0) }.map { k in
                let (x, y) = run.history.iou(ofClass: k, axis: axis)
                return Curve(run: run.name, quantity: "iou", classIndex: k, className: run.classNames[k], x: x, y: y,
                             label: run.classNames[k], style: line(Palette.classColor(k)), inLegend: true, isReference: false,
                             shortLabel: withValue(run.classNames[k], x, y, at: inspectedX), marksSamples: true, symbol: k)
            }
            return (curves, "Validation IoU per class: \(run.name)", yAxis("validation IoU per class (%)"), [])
        }
        if let k = classIndex {
            let curves = runs.enumerated().map { i, run in
                let (x, y) = run.history.iou(ofClass: k, axis: axis)
                return Curve(run: run.name, quantity: "iou", classIndex: k, className: run.classNames[k], x: x, y: y,
                             label: run.name, style: line(Palette.color(i)), inLegend: true, isReference: false,
                             shortLabel: withValue(run.name, x, y, at: inspectedX), marksSamples: true)
            }
            return (curves, "Validation IoU of \(runs[0].classNames[k])", yAxis("validation IoU of \(runs[0].classNames[k]) (%)"), [])
        }
        let curves = runs.enumerated().map { i, run in
            let (x, y) = run.history.meanIoU(axis: axis)
            return Curve(run: run.name, quantity: "miou", classIndex: nil, className: nil, x: x, y: y,
                         label: run.name, style: line(Palette.color(i)), inLegend: true, isReference: false,
                         shortLabel: withValue(run.name, x, y, at: inspectedX), marksSamples: true)
        }
        return (curves, "Validation mIoU", yAxis("validation mIoU (%)"), [])
    }

    /// The second term of a composite loss, as a legend names it ("λ·L1" for ce_l1); nil for a
    /// loss of one term. The one rule for whether a loss has parts to show: the trainer logs
    /// a CE and a regulariser part for every loss of two terms.
    public static func regulariserLabel(_ loss: LossName) -> String? {
        let terms = loss.terms()
        guard terms.count == 2 else { return nil }
        switch terms[1].term {
        case .marginal(.l1): return "λ·L1"
        case .marginal(.kl): return "λ·KL"
        case .marginal(.db): return "λ·DB"
        case .marginal(.db1): return "λ·DB₁"
        case .dice(logarithmic: false, _): return "λ·Dice"
        case .dice(logarithmic: true, _): return "λ·log Dice"
        default: return "λ·R"
        }
    }

    static func lossCurves(_ runs: [RunRecord], axis: HistoryAxis, smoothing: Double, inspectedX: Double?) -> Built {
        let yAxis = Axis(label: "training loss · smoothing " + String(format: smoothing >= 0.99 ? "%.3f" : "%.2f", smoothing))
        func smoothed(_ run: RunRecord, _ part: LossPart, _ quantity: String, label: String, shortLabel: String, color: Color) -> Curve {
            let (x, y) = run.history.loss(part, axis: axis)
            let values = debiasedMovingAverage(y, weight: smoothing)
            return Curve(run: run.name, quantity: quantity, classIndex: nil, className: nil, x: x,
                         y: values, label: label, style: line(color),
                         inLegend: true, isReference: false, shortLabel: "\(shortLabel) \(fixed(value(x, values, at: inspectedX), 3))")
        }
        guard runs.count == 1 else {
            let curves = runs.enumerated().map { i, run in
                smoothed(run, .total, "loss_smoothed", label: run.name, shortLabel: run.name, color: Palette.color(i))
            }
            return (curves, "Training loss", yAxis, [])
        }
        let run = runs[0]
        var curves: [Curve] = []
        if smoothing > 0 {
            let (x, y) = run.history.loss(.total, axis: axis)
            curves.append(Curve(run: run.name, quantity: "loss", classIndex: nil, className: nil, x: x, y: y,
                                label: "loss (raw)", style: line(Palette.blue.withAlpha(0.25), width: 1),
                                inLegend: true, isReference: false, shortLabel: "raw"))
        }
        curves.append(smoothed(run, .total, "loss_smoothed", label: "loss", shortLabel: "loss", color: Palette.blue))
        // A loss of two terms shows its CE and regulariser parts (whatever their values so far:
        // a composite with λ = 0 still has them).
        if let regulariser = regulariserLabel(run.configuration.loss) {
            curves.append(smoothed(run, .crossEntropy, "ce_smoothed", label: "CE part", shortLabel: "CE", color: Palette.green))
            let weight = run.lambda.map { " (λ = \(short($0)))" } ?? ""
            curves.append(smoothed(run, .regulariser, "reg_smoothed", label: "regulariser part \(regulariser)\(weight)",
                                   shortLabel: regulariser, color: Palette.vermillion))
        }
        return (curves, "Training loss: \(run.name)", yAxis, [])
    }

    static func proportionCurves(_ runs: [RunRecord], classIndex: Int?, axis: HistoryAxis, hidden: Set<Int>) -> Built {
        // One group of soft, hard and ŷ per (run, class): every class of one run, or one class of each run.
        let groups: [(run: RunRecord, k: Int, label: String, color: Color)] =
            if let k = classIndex {
                runs.enumerated().map { i, run in (run, k, run.name, Palette.color(i)) }
            } else {
                runs[0].classNames.indices.filter { !hidden.contains($0) }.map { k in (runs[0], k, runs[0].classNames[k], Palette.classColor(k)) }
            }
        var curves: [Curve] = []
        for group in groups {
            let (run, k) = (group.run, group.k)
            func curve(_ kind: ProportionKind, label: String, style: StrokeStyle, inLegend: Bool, isReference: Bool) -> Curve {
                let (x, y) = run.history.proportion(ofClass: k, kind, axis: axis)
                return Curve(run: run.name, quantity: kind.rawValue, classIndex: k, className: run.classNames[k], x: x, y: y,
                             label: label, style: style, inLegend: inLegend, isReference: isReference, marksSamples: kind == .soft)
            }
            curves.append(curve(.soft, label: group.label, style: softStyle(group.color), inLegend: true, isReference: false))
            if run.evaluations.contains(where: { $0.result.temperedProportion != nil }) {
                curves.append(curve(.tempered, label: "\(group.label) (p̂ at τ = \(short(run.configuration.tau)))", style: temperedStyle(group.color),
                                    inLegend: false, isReference: false))
            }
            curves.append(curve(.hard, label: "\(group.label) (hard)", style: hardStyle(group.color), inLegend: false,
                                isReference: false))
            curves.append(curve(.target, label: "\(group.label) (ŷ)", style: targetStyle(group.color), inLegend: false,
                                isReference: true))
        }
        let values = curves.flatMap { $0.y.compactMap { $0 } }
        let logarithmic = values.allSatisfy { $0 > 0 } && (values.max() ?? 0) >= 10 * (values.min() ?? 1)
        let yAxis = Axis(label: "proportion of validation pixels" + (logarithmic ? " (log scale)" : ""),
                         scale: logarithmic ? .logarithmic : .linear)
        let grey = Palette.neutral
        let taus = Set(groups.filter { $0.run.evaluations.contains { $0.result.temperedProportion != nil } }.map(\.run.configuration.tau))
        let extra = [
            LegendEntry(sample: .line(softStyle(grey)), label: "soft p̂ (τ = 1)"),
        ] + (taus.isEmpty ? [] : [
            LegendEntry(sample: .line(temperedStyle(grey)), label: taus.count == 1 ? "p̂ at the run's τ = \(short(taus.first!)) (what L1, KL see)" : "p̂ at each run's τ (what L1, KL see)"),
        ]) + [
            LegendEntry(sample: .line(hardStyle(grey)), label: "hard (argmax)"),
            LegendEntry(sample: .line(targetStyle(grey)), label: "target ŷ"),
        ]
        let title = classIndex.map { "Predicted proportion of \(runs[0].classNames[$0])" }
            ?? "Predicted proportions per class: \(runs[0].name)"
        return (curves, title, yAxis, extra)
    }

    static func softStyle(_ color: Color) -> StrokeStyle { line(color) }
    static func hardStyle(_ color: Color) -> StrokeStyle { line(color, width: 1.4, dash: [2, 2.5]) }
    static func temperedStyle(_ color: Color) -> StrokeStyle { line(color, width: 1.6, dash: [6, 2, 1.5, 2]) }
    static func targetStyle(_ color: Color) -> StrokeStyle { line(color, width: 1.2, dash: [7, 4]) }

    // MARK: - Outputs

    /// The reference lines: each ŷ at its last value; a value shared by several curves (runs of
    /// one dataset) is drawn once, in grey.
    var referenceLines: [ReferenceLine] {
        var lines: [(value: Double, style: StrokeStyle, shared: Bool)] = []
        for curve in curves where curve.isReference {
            guard let value = curve.y.last(where: { $0 != nil }) ?? nil, value.isFinite else { continue }
            if let index = lines.firstIndex(where: { $0.value == value }) {
                lines[index].shared = true
            } else {
                lines.append((value, curve.style, false))
            }
        }
        return lines.map { line in
            var style = line.style
            if line.shared { style.color = Palette.grey }
            return ReferenceLine(.horizontal, at: line.value, label: "ŷ = " + String(format: "%.3g", line.value), style: style)
        }
    }

    /// The figure: one line chart, the same in SVG, PNG and PDF.
    public func figure() -> Figure {
        let series = curves.filter { !$0.isReference }.map {
            Series(name: $0.name, label: $0.label, shortLabel: $0.shortLabel, x: $0.x, y: $0.y, style: $0.style, inLegend: $0.inLegend,
                   symbol: $0.symbol, marksSamples: $0.marksSamples, band: $0.band)
        }
        // The planned end is named while the data stops short of it (the x range follows the data).
        let lastX = curves.compactMap(\.x.last).max() ?? 0
        var xLabel = axis == .step ? "step" : "training time (s)"
        if axis == .step, let plannedSteps, lastX < Double(plannedSteps) { xLabel += " · of \(plannedSteps) planned" }
        let xAxis = Axis(label: xLabel, range: xRange)
        return .lines(LineChart(title: title, subtitle: subtitle, xAxis: xAxis, yAxis: yAxis, series: series,
                                referenceLines: referenceLines, extraLegendEntries: extraLegendEntries,
                                width: size.width, height: size.height))
    }

    /// The numbers drawn as one table: the x column (`step` or `time`), then a column per curve.
    /// Runs evaluated at different x share the table: a row for every x of any curve, in
    /// increasing order, with empty cells where a curve has no sample (and a second row for an x
    /// that a curve holds twice).
    public func table() -> DataTable {
        var counts: [Double: Int] = [:]
        for curve in curves {
            var byX: [Double: Int] = [:]
            for x in curve.x { byX[x, default: 0] += 1 }
            for (x, count) in byX { counts[x] = max(counts[x] ?? 0, count) }
        }
        let xs = counts.keys.sorted().flatMap { x in Array(repeating: x, count: counts[x]!) }
        var columns: [(name: String, values: [Double?])] = [(axis.rawValue, xs.map { Optional($0) })]
        /// One column of `ys` sampled at `curveX`, on the table's rows.
        func column(_ curveX: [Double], _ ys: [Double?]) -> [Double?] {
            var byX: [Double: [Double?]] = [:]
            for (x, y) in zip(curveX, ys) { byX[x, default: []].append(y) }
            var values: [Double?] = [], row = 0
            while row < xs.count {
                let x = xs[row], count = counts[x]!
                let ys = byX[x] ?? []
                values += (0 ..< count).map { $0 < ys.count ? ys[$0] : nil }
                row += count
            }
            return values
        }
        for curve in curves {
            columns.append((curve.csvColumn, column(curve.x, curve.y)))
            // A band's edges beside its mean, at the same x.
            if let band = curve.band {
                columns.append((curve.name + ":min", column(curve.x, band.lower)))
                columns.append((curve.name + ":max", column(curve.x, band.upper)))
            }
        }
        return DataTable(columns: columns)
    }

    /// The parameters and every curve with its own x and y (`null` for a missing value).
    public func json() -> JSONValue {
        .object([
            ("command", .string("runs plot")),
            ("parameters", .object([
                ("runs", .array(runNames.map { .string($0) })),
                ("metric", .string(metric.rawValue)),
                ("class", classIndex.map { .number(Double($0)) } ?? .null),
                ("tag", tag.map { .string($0) } ?? .null),
                ("x", .string(axis.rawValue)),
                ("smoothing", .number(smoothing)),
            ])),
            ("series", .array(curves.map { curve in
                .object([
                    ("name", .string(curve.name)),
                    ("run", .string(curve.run)),
                    ("quantity", .string(curve.quantity)),
                    ("class", curve.classIndex.map { .number(Double($0)) } ?? .null),
                    ("class_name", curve.className.map { .string($0) } ?? .null),
                    ("label", .string(curve.label)),
                    ("x", .numbers(curve.x)),
                    ("y", .numbers(curve.y)),
                ] + (curve.band.map { [("min", JSONValue.numbers($0.lower)), ("max", .numbers($0.upper))] } ?? []))
            })),
        ])
    }

    /// The figure and its numbers for the explorer's export ("runs-iou-a+b-class1-time").
    public func export() -> ExportRequest {
        // Many runs would make a name longer than a file system takes (255 bytes): the first
        // and a count instead.
        let joined = runNames.joined(separator: "+")
        var name = "runs-\(metric.rawValue)-" + (joined.utf8.count <= 120 ? joined : "\(runNames[0])+\(runNames.count - 1)-more")
        if let classIndex { name += "-class\(classIndex)" }
        if let tag { name += "-" + Self.fileSafe(tag) }
        if metric == .loss { name += "-smoothing\(fileNumber(smoothing))" }
        if axis == .time { name += "-time" }
        return ExportRequest(name: name, table: table(), figure: figure())
    }
}
