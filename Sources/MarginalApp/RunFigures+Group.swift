import MarginalCore
import MarginalRuns
import MarginalFigure

/// A group of seeds as one curve a quantity: the mean over the seeds at each step, with a band
/// from the smallest to the largest seed's value (min…max, so every seed lies inside it).
extension RunPlot {
    /// One quantity of each seed, by step: `steps` (the alignment), `x` (on the plot's axis), `y`.
    typealias SeedSamples = (steps: [Double], x: [Double], y: [Double?])

    /// The mean, min and max over the seeds at each step of the seed with the most samples (the
    /// others are indexed by position when their steps are a prefix of its own, as seeds of one
    /// configuration are, else looked up by step). x is the seeds' mean x at that step (their
    /// training time, or the step itself). A step no seed has a value at gives nil. `deviation`:
    /// the seeds' standard deviation about the mean there (numpy's `std`, ddof 0), for the legend.
    static func aggregate(_ seeds: [SeedSamples]) -> (x: [Double], mean: [Double?], low: [Double?], high: [Double?], deviation: [Double?]) {
        guard let reference = seeds.max(by: { $0.steps.count < $1.steps.count }) else { return ([], [], [], [], []) }
        let n = reference.steps.count
        // Sums a step at a time, the seeds taken in their order (seed by seed over all steps:
        // plain loops over arrays, the same sums in the same order as step by step over the seeds).
        var sum = [Double](repeating: 0, count: n), count = [Int](repeating: 0, count: n)
        var xSum = [Double](repeating: 0, count: n), xCount = [Int](repeating: 0, count: n)
        var smallest = [Double](repeating: .infinity, count: n), largest = [Double](repeating: -.infinity, count: n)
        /// Each seed's sample index at each reference step (nil: none there).
        let positions: [[Int?]] = seeds.map { seed in
            if seed.steps.elementsEqual(reference.steps.prefix(seed.steps.count)) { return (0 ..< n).map { $0 < seed.steps.count ? $0 : nil } }
            var byStep: [Double: Int] = [:]
            for (index, step) in seed.steps.enumerated() { byStep[step] = index }
            return reference.steps.map { byStep[$0] }
        }
        for (seed, position) in zip(seeds, positions) {
            for index in 0 ..< n {
                guard let i = position[index] else { continue }
                xSum[index] += seed.x[i]; xCount[index] += 1
                guard let value = seed.y[i], value.isFinite else { continue }
                sum[index] += value; count[index] += 1
                smallest[index] = min(smallest[index], value); largest[index] = max(largest[index], value)
            }
        }
        // The deviation about the finished means: a second pass (no E[v²] − mean², which cancels).
        var squares = [Double](repeating: 0, count: n)
        for (seed, position) in zip(seeds, positions) {
            for index in 0 ..< n {
                guard let i = position[index], let value = seed.y[i], value.isFinite else { continue }
                let d = value - sum[index] / Double(count[index])
                squares[index] += d * d
            }
        }
        var x: [Double] = [], mean: [Double?] = [], low: [Double?] = [], high: [Double?] = [], deviation: [Double?] = []
        x.reserveCapacity(n); mean.reserveCapacity(n); low.reserveCapacity(n); high.reserveCapacity(n); deviation.reserveCapacity(n)
        for index in 0 ..< n {
            let found = count[index] > 0
            x.append(xSum[index] / Double(max(xCount[index], 1)))
            mean.append(found ? sum[index] / Double(count[index]) : nil)
            low.append(found ? smallest[index] : nil)
            high.append(found ? largest[index] : nil)
            deviation.append(found ? (squares[index] / Double(count[index])).squareRoot() : nil)
        }
        return (x, mean, low, high, deviation)
    }

    /// The group's name in curves and files: the runs' common stem when they are named
    /// `<stem>-<seed>` (as `train --seeds` names them), else the first run's name and a count.
    static func groupName(_ runs: [RunRecord]) -> String {
        let stems = Set(runs.map { run -> String in
            let suffix = "-\(run.configuration.seed)"
            return run.name.hasSuffix(suffix) ? String(run.name.dropLast(suffix.count)) : run.name
        })
        if stems.count == 1, let stem = stems.first, runs.count > 1 || stem != runs[0].name { return stem }
        return runs.count == 1 ? runs[0].name : "\(runs[0].name)+\(runs.count - 1)"
    }

    /// What the band of a group's curve is, for the legend.
    static func bandLabel(seeds: Int) -> String { "band: min–max of the \(seeds) seeds" }

    /// A group's mean curve of one quantity, its band attached.
    /// `shortLabel` is given the curve's x, its mean and the seeds' deviation at each x.
    static func groupCurve(_ runs: [RunRecord], quantity: String, classIndex: Int?, label: String,
                           shortLabel: (([Double], [Double?], [Double?]) -> String)?,
                           style: StrokeStyle, marksSamples: Bool, symbol: Int?, samples: (RunRecord) -> (x: [Double], y: [Double?]),
                           steps: (RunRecord) -> [Double]) -> Curve {
        let (x, mean, low, high, deviation) = aggregate(runs.map { run in
            let (x, y) = samples(run)
            return (steps(run), x, y)
        })
        var curve = Curve(run: groupName(runs), quantity: quantity, classIndex: classIndex, className: classIndex.map { runs[0].classNames[$0] },
                          x: x, y: mean, label: label, style: style, inLegend: true, isReference: false,
                          shortLabel: shortLabel?(x, mean, deviation), marksSamples: marksSamples, symbol: symbol)
        curve.band = Series.Band(lower: low, upper: high, label: bandLabel(seeds: runs.count))
        return curve
    }

    /// The curves of a group of seeds: as one run's, each the seeds' mean with its min…max band.
    static func groupCurves(_ runs: [RunRecord], metric: RunMetric, classIndex: Int?, axis: HistoryAxis, smoothing: Double,
                            inspectedX: Double?, hidden: Set<Int>) -> Built {
        let first = runs[0], name = groupName(runs), seeds = "\(runs.count) seeds"
        let band = LegendEntry(sample: .line(line(Palette.neutral.withAlpha(0.35), width: 6)), label: bandLabel(seeds: runs.count))
        let evaluationSteps: (RunRecord) -> [Double] = { $0.evaluations.map { Double($0.step) } }
        switch metric {
        case .iou:
            let yAxis = Axis(label: "validation IoU, mean of \(seeds) (%)", range: -0.02 ... 1.02, unit: .percent)
            let classes = classIndex.map { [$0] } ?? first.classNames.indices.filter { !hidden.contains($0) }
            let curves = classes.map { k in
                groupCurve(runs, quantity: "iou_mean", classIndex: k, label: first.classNames[k],
                           shortLabel: { x, mean, deviation in
                               "\(withValue(first.classNames[k], x, mean, at: inspectedX)) ± \(percent(value(x, deviation, at: inspectedX)))"
                           }, style: line(Palette.classColor(k)),
                           marksSamples: true, symbol: k, samples: { $0.history.iou(ofClass: k, axis: axis) }, steps: evaluationSteps)
            }
            return (curves, "Validation IoU per class: \(name), mean of \(seeds)", yAxis, [band])
        case .loss:
            let yAxis = Axis(label: "training loss, mean of \(seeds) · smoothing " + String(format: smoothing >= 0.99 ? "%.3f" : "%.2f", smoothing))
            let trainSteps: (RunRecord) -> [Double] = { $0.history.train.map { Double($0.step) } }
            func part(_ part: LossPart, _ quantity: String, label: String, short: String, color: Color) -> Curve {
                groupCurve(runs, quantity: quantity, classIndex: nil, label: label,
                           shortLabel: { x, mean, deviation in
                               "\(short) \(fixed(value(x, mean, at: inspectedX), 3)) ± \(fixed(value(x, deviation, at: inspectedX), 3))"
                           },
                           style: line(color), marksSamples: false, symbol: nil,
                           samples: { run in
                               let (x, y) = run.history.loss(part, axis: axis)
                               return (x, debiasedMovingAverage(y, weight: smoothing))
                           }, steps: trainSteps)
            }
            var curves = [part(.total, "loss_smoothed_mean", label: "loss", short: "loss", color: Palette.blue)]
            if let regulariser = regulariserLabel(first.configuration.loss) {
                curves.append(part(.crossEntropy, "ce_smoothed_mean", label: "CE part", short: "CE", color: Palette.green))
                curves.append(part(.regulariser, "reg_smoothed_mean", label: "regulariser part \(regulariser)", short: regulariser, color: Palette.vermillion))
            }
            return (curves, "Training loss: \(name), mean of \(seeds)", yAxis, [band])
        case .proportion:
            let classes = classIndex.map { [$0] } ?? first.classNames.indices.filter { !hidden.contains($0) }
            var curves: [Curve] = []
            for k in classes {
                curves.append(groupCurve(runs, quantity: "soft_mean", classIndex: k, label: first.classNames[k], shortLabel: nil,
                                         style: softStyle(Palette.classColor(k)), marksSamples: true, symbol: k,
                                         samples: { $0.history.proportion(ofClass: k, .soft, axis: axis) }, steps: evaluationSteps))
                let (x, y) = first.history.proportion(ofClass: k, .target, axis: axis)
                curves.append(Curve(run: name, quantity: ProportionKind.target.rawValue, classIndex: k, className: first.classNames[k], x: x, y: y,
                                    label: "\(first.classNames[k]) (ŷ)", style: targetStyle(Palette.classColor(k)), inLegend: false, isReference: true))
            }
            let values = curves.flatMap { $0.y.compactMap { $0 } + ($0.band?.lower.compactMap { $0 } ?? []) }
            let logarithmic = values.allSatisfy { $0 > 0 } && (values.max() ?? 0) >= 10 * (values.min() ?? 1)
            let yAxis = Axis(label: "soft p̂ (τ = 1), mean of \(seeds)" + (logarithmic ? " (log scale)" : ""), scale: logarithmic ? .logarithmic : .linear)
            let extra = [band, LegendEntry(sample: .line(targetStyle(Palette.neutral)), label: "target ŷ")]
            return (curves, "Predicted proportions per class: \(name), mean of \(seeds)", yAxis, extra)
        case .scalar:
            return scalarCurves(runs, tag: "", axis: axis, inspectedX: inspectedX)  // refused as a group by `init`
        }
    }
}
