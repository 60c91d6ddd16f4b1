/// The inverse of `TensorBoardTags.scalars(of:)`: a TensorBoard run's scalars read back as the
/// typed lines of a run's history, so that the monitor, `runs compare` and `runs plot` read a
/// logdir as they read `metrics.jsonl`. The one mapping from tags to typed data.
public struct TensorBoardReading: Sendable, Equatable {
    public var history: RunHistory
    /// The classes the per-class tags name (`iou/<class>`, `dice/<class>`, `proportion/<kind>/<class>`),
    /// in the order the files first logged them, or the configuration's when it is recorded.
    public var classNames: [String]
    /// The scalar tags outside the convention, in the order first logged: plotted as plain scalars.
    public var otherTags: [String]
    /// The wall time of the run's first scalar, from which the lines' times count.
    public var start: Double
}

extension TensorBoardTags {
    /// The proportion kinds of `proportion/<kind>/<class>`, as `scalars(of:classNames:)` writes them.
    static let proportionKinds = ["target", "soft", "tau", "hard"]
    /// The tags of a train line, and the whole-run tags of an eval line.
    static let trainTags: Set<String> = [loss, ce, reg, lr, epoch]
    static let evaluationTags: Set<String> = [miou, validationLoss, hd95, nsd]

    /// Whether `tag` is one of the convention's (docs/TENSORBOARD.md): read into the typed
    /// history; any other scalar is drawn as a plain chart.
    public static func isConventional(_ tag: String) -> Bool {
        trainTags.contains(tag) || evaluationTags.contains(tag) || perClass(tag) != nil
    }

    /// The class a per-class tag names, and the tag's family (`iou`, `dice`, or a proportion kind).
    static func perClass(_ tag: String) -> (family: String, className: String)? {
        for prefix in ["iou/", "dice/"] where tag.hasPrefix(prefix) && tag.count > prefix.count {
            return (String(prefix.dropLast()), String(tag.dropFirst(prefix.count)))
        }
        for kind in proportionKinds {
            let prefix = proportion(kind, "")
            if tag.hasPrefix(prefix), tag.count > prefix.count { return (kind, String(tag.dropFirst(prefix.count))) }
        }
        return nil
    }

    /// The typed history of `scalars` (each tag's points in step order; `order`: the tags as first
    /// logged). A train line at each step with a `loss` (ce = the loss and reg = 0 when the run
    /// logs no `ce`/`reg`; lr and epoch 0 when absent). An eval line at each step with any
    /// evaluation tag: IoU and Dice nil for a class without a value there, mIoU the logged `miou`
    /// or else the mean of the IoUs there (as marginal's evaluation defines it), the validation
    /// loss 0 when not logged, a proportion kind empty (nil for `tau`) when none of its classes
    /// has a value there and 0 for a class missing beside others. Time is the seconds since
    /// the run's first scalar. `classNames`: the configuration's, when recorded.
    ///
    /// Continuing `previous` (the reading of these scalars before they changed at `boundary` or
    /// later steps, and nowhere earlier), only the lines at `boundary` or later are made again:
    /// a line depends on its step's points alone, so the earlier ones are the previous reading's,
    /// as long as the classes, the other tags and the start are unchanged (else all are made again).
    /// Each tag's points are in step order (`TensorBoardRun`), so the later ones are a suffix.
    public static func reading(_ scalars: [String: [TensorBoardScalar]], order: [String], classNames known: [String]? = nil,
                               continuing previous: TensorBoardReading? = nil, from boundary: Int = .min) -> TensorBoardReading {
        var names = known ?? []
        var others: [String] = []
        for tag in order {
            if let (_, name) = perClass(tag) {
                if known == nil, !names.contains(name) { names.append(name) }
            } else if !isConventional(tag) {
                others.append(tag)
            }
        }
        var first = Double.infinity
        for points in scalars.values { for point in points where point.wallTime < first { first = point.wallTime } }
        let start = first.isFinite ? first : 0
        let kept = previous.flatMap { $0.classNames == names && $0.otherTags == others && $0.start == start ? $0 : nil }
        let from = kept == nil ? Int.min : boundary
        /// The points of `tag` at `from` or later (a binary search: they are in step order).
        func later(_ tag: String) -> ArraySlice<TensorBoardScalar> {
            let points = scalars[tag] ?? []
            var low = 0, high = points.count
            while low < high {
                let middle = (low + high) / 2
                if points[middle].step < from { low = middle + 1 } else { high = middle }
            }
            return points[low...]
        }
        // Every tag is walked once, in step order, beside the steps asked (no table by step).
        var epochs = StepCursor(later(epoch)), rates = StepCursor(later(lr)), ces = StepCursor(later(ce)), regs = StepCursor(later(reg))
        var train = Array(kept?.history.train.prefix { $0.step < from } ?? [])
        for point in later(loss) {
            train.append(TrainLine(step: point.step, epoch: epochs.at(point.step)?.value ?? 0, time: point.wallTime - start,
                                   lr: rates.at(point.step)?.value ?? 0, loss: point.value, ce: ces.at(point.step)?.value ?? point.value,
                                   reg: regs.at(point.step)?.value ?? 0))
        }

        // The per-class tags by family (iou, dice, then the proportion kinds) and class.
        let families = ["iou", "dice"] + proportionKinds
        func tag(_ family: String, _ name: String) -> String { family == "iou" ? iou(name) : family == "dice" ? dice(name) : proportion(family, name) }
        var perClass = families.map { family in names.map { StepCursor(later(tag(family, $0))) } }
        var wholeRun = [miou, validationLoss, hd95, nsd].map { StepCursor(later($0)) }
        var stepSet = Set<Int>()
        for cursor in perClass.joined() { for point in cursor.points { stepSet.insert(point.step) } }
        for tag in evaluationTags { for point in later(tag) { stepSet.insert(point.step) } }
        var evaluationEpochs = StepCursor(later(epoch))
        var evaluations = Array(kept?.history.evaluations.prefix { $0.step < from } ?? [])
        for step in stepSet.sorted() {
            var time = Double.infinity
            func seen(_ point: TensorBoardScalar?) -> Double? {
                if let point { time = min(time, point.wallTime) }
                return point?.value
            }
            let values = perClass.indices.map { f in perClass[f].indices.map { k in seen(perClass[f][k].at(step)) } }
            let (miouValue, lossValue, hd95Value, nsdValue) = (seen(wholeRun[0].at(step)), seen(wholeRun[1].at(step)),
                                                               seen(wholeRun[2].at(step)), seen(wholeRun[3].at(step)))
            func classValues(_ family: String) -> [Double?] { values[families.firstIndex(of: family)!] }
            func proportions(_ kind: String) -> [Double]? {
                let found = classValues(kind)
                return found.allSatisfy({ $0 == nil }) ? nil : found.map { $0 ?? 0 }
            }
            let ious = classValues("iou")
            let present = ious.compactMap { $0 }
            let result = EvaluationResult(
                iou: ious, miou: miouValue ?? (present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)),
                dice: classValues("dice"), predProportion: proportions("soft") ?? [], hardProportion: proportions("hard") ?? [],
                targetProportion: proportions("target") ?? [], loss: lossValue ?? 0,
                hd95: hd95Value, nsd: nsdValue, temperedProportion: proportions("tau"))
            evaluations.append(EvalLine(step: step, epoch: evaluationEpochs.at(step)?.value ?? 0, time: (time.isFinite ? time : start) - start,
                                        result: result))
        }
        return TensorBoardReading(history: RunHistory(train: train, evaluations: evaluations), classNames: names,
                                  otherTags: others, start: start)
    }
}

/// A tag's points (in step order) walked beside increasing steps: `at(step)` is the point at
/// that step, if any, in time proportional to the points passed — what a table by step would
/// answer, without building one for every tag of a long run.
struct StepCursor {
    let points: ArraySlice<TensorBoardScalar>
    private var index: Int

    init(_ points: ArraySlice<TensorBoardScalar>) {
        self.points = points
        index = points.startIndex
    }

    /// The point at `step`; the steps asked must not decrease.
    mutating func at(_ step: Int) -> TensorBoardScalar? {
        while index < points.endIndex, points[index].step < step { index += 1 }
        return index < points.endIndex && points[index].step == step ? points[index] : nil
    }
}
