import MarginalCore
import MarginalRuns
import MarginalFigure

extension RunPlot {
    /// The points of `tag`, a scalar of a TensorBoard run outside marginal's tag convention
    /// (docs/TENSORBOARD.md), or nil when the run logged no such scalar.
    static func scalarPoints(_ run: RunRecord, tag: String) -> [TensorBoardScalar]? {
        guard let points = run.tensorBoard?.otherScalars.first(where: { $0.tag == tag })?.points, !points.isEmpty else { return nil }
        return points
    }

    /// The scalars outside the convention that `run` logged, "a, b" (or why it has none).
    static func scalarTags(_ run: RunRecord) -> String {
        guard let scalars = run.tensorBoard?.otherScalars else { return "none: a marginal run logs only iou, loss and proportions" }
        return scalars.isEmpty ? "none outside the convention" : scalars.map(\.tag).joined(separator: ", ")
    }

    /// One line of error when a run lacks the plain scalar `tag`.
    static func checkScalar(_ runs: [RunRecord], tag: String?) throws(MarginalError) {
        guard let tag else { throw MarginalError("a plain scalar is named by its tag (--tag TAG; marginal runs plot NAME --tag TAG)") }
        for run in runs where scalarPoints(run, tag: tag) == nil {
            throw MarginalError("\(run.name) has no scalar '\(tag)' (its scalars outside the convention: \(scalarTags(run)))")
        }
    }

    /// A plain scalar, as logged: one curve a run, every point at its step (or its seconds since
    /// the run's first plain scalar, for the time axis), marked where there are few enough points
    /// to tell apart; y fitted to the values. The values are float32, as TensorBoard stores them.
    static func scalarCurves(_ runs: [RunRecord], tag: String, axis: HistoryAxis, inspectedX: Double?) -> Built {
        let curves = runs.enumerated().map { index, run -> Curve in
            let points = scalarPoints(run, tag: tag) ?? []
            let start = run.tensorBoard?.otherScalars.compactMap { $0.points.map(\.wallTime).min() }.min() ?? 0
            let x = points.map { axis == .step ? Double($0.step) : $0.wallTime - start }
            let y = points.map { Optional($0.value) }
            let name = runs.count == 1 ? tag : run.name
            var curve = Curve(run: run.name, quantity: tag, classIndex: nil, className: nil, x: x, y: y, label: name,
                              style: line(Palette.color(index)), inLegend: true, isReference: false)
            curve.shortLabel = "\(name) " + (value(x, y, at: inspectedX).map { short($0) } ?? "–")
            curve.marksSamples = points.count <= maximumMarkedPoints
            return curve
        }
        let title = runs.count == 1 ? "\(tag): \(runs[0].name)" : tag
        return (curves, title, Axis(label: tag), [])
    }

    /// `tag` as a part of a file name: letters, digits, - and _ kept, anything else `_`.
    static func fileSafe(_ tag: String) -> String {
        String(tag.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    /// Up to this many points a plain scalar marks each one (more would merge into a line anyway).
    static let maximumMarkedPoints = 60
}
