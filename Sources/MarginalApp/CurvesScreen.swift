import MarginalCore
import MarginalFigure
import TerminalUI

/// The start screen, the paper's Fig. 2: the binary label-marginal penalties DB₁, KL and L1,
/// and the composites KL + λ·R that a CE-based loss really optimises, over p̂₁ ∈ [0, 1].
public struct CurvesScreen: Screen, Sendable, Equatable {
    static let id = ScreenID.curves
    static let title = "Curves"
    static let summary = "the paper's Fig. 2"

    public enum Parameter: Int, CaseIterable, Sendable { case target, lambda, cursor }
    /// Which curves show: Fig. 2's three, the composites, or all six.
    public enum SeriesSet: Int, CaseIterable, Sendable {
        case paper, composites, all
        var penalties: [BinaryPenalty] {
            switch self {
            case .paper: BinaryPenalty.raw
            case .composites: [.kl, .klPlusDB1, .klPlusL1, .klPlusKL]
            case .all: BinaryPenalty.allCases
            }
        }
        var name: String {
            switch self {
            case .paper: "Fig. 2's three"
            case .composites: "composites KL + λ·R"
            case .all: "all six curves"
            }
        }
    }

    /// ŷ₁, the target foreground proportion.
    public var target = 0.1
    public var lambda = 1.0
    /// The p̂₁ at which every curve is read out.
    public var cursor = 0.5
    public var selected = Parameter.target
    public var derivative = false
    /// The curves shown: a set `c` cycles through, or any list a state string names.
    public var penalties = SeriesSet.paper.penalties
    /// The set of curves shown; nil for a list that is none of them (from a state string).
    public var seriesSet: SeriesSet? {
        get { SeriesSet.allCases.first { $0.penalties == penalties } }
        set { penalties = (newValue ?? .paper).penalties }
    }
    /// The slopes' y range is [−M, M] with M = the automatic half-height (`slopeScale`) / 2^zoom:
    /// `z` zooms in (halves M), `Z` out. 0: the automatic range.
    public var slopeZoom = 0

    public init() {}

    static let targetRange = 0.01 ... 0.99, lambdaRange = 0.0 ... 10.0, zoomRange = -4 ... 6

    // MARK: Input

    public mutating func handle(_ key: Key) -> Response {
        if let index = cycled(selected.rawValue, count: Parameter.allCases.count, key: key) {
            selected = Parameter(rawValue: index)!
            return .handled
        }
        if let nudge = Nudge(key) {
            switch selected {
            case .target: target = stepped(target, by: nudge.sign * (nudge.fine ? 0.01 : 0.05), in: Self.targetRange, grid: 0.001)
            case .lambda: lambda = stepped(lambda, by: nudge.sign * (nudge.fine ? 0.1 : 0.5), in: Self.lambdaRange, grid: 0.01)
            case .cursor: cursor = stepped(cursor, by: nudge.sign * (nudge.fine ? 0.01 : 0.05), in: 0 ... 1, grid: 0.001)
            }
            return .handled
        }
        switch key {
        case .character("d"): derivative.toggle()
        case .character("z") where derivative: slopeZoom = min(slopeZoom + 1, Self.zoomRange.upperBound)
        case .character("Z") where derivative: slopeZoom = max(slopeZoom - 1, Self.zoomRange.lowerBound)
        case .character("c"): seriesSet = seriesSet.map { SeriesSet(rawValue: ($0.rawValue + 1) % SeriesSet.allCases.count)! } ?? .paper
        default: return .ignored
        }
        return .handled
    }

    public mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Response {
        let chartArea = split(area).chart
        guard mouse.kind != .release, let layout = chart(width: chartArea.width).layout(in: chartArea),
              mouse.kind == .drag || layout.plot.contains(x: mouse.x, y: mouse.y) else { return .ignored }
        cursor = (layout.dataX(column: mouse.x) * 1000).rounded() / 1000
        selected = .cursor
        return .changed
    }

    public mutating func reset() { self = CurvesScreen() }

    // MARK: Numbers (all from MarginalCore)

    func value(_ penalty: BinaryPenalty, at p: Double) -> Double {
        derivative ? penalty.derivative(predicted: p, target: target, lambda: lambda)
                   : penalty.value(predicted: p, target: target, lambda: lambda)
    }

    func minimiser(_ penalty: BinaryPenalty) -> (p: Double, value: Double)? {
        penalty.minimiser(target: target, lambda: lambda)
    }

    // MARK: Drawing

    static func color(_ penalty: BinaryPenalty) -> TerminalColor { penaltyColor(penalty).terminal }

    static func name(_ penalty: BinaryPenalty) -> String { penaltyShortName(penalty) }

    static func marker(_ penalty: BinaryPenalty) -> Int { penaltySymbol(penalty) }

    private func split(_ area: Rect) -> (chart: Rect, panel: Rect) {
        let parts = area.columns([.fill, .fixed(1), .fixed(panelWidth(area.width))])
        return (parts[0], parts[2])
    }

    /// The rule at the cursor p̂₁, the one thing on screen that the export leaves out (it is where
    /// the table reads the curves, not part of the figure).
    var cursorRule: ReferenceLine {
        ReferenceLine(.vertical, at: cursor, label: "cursor p̂₁ = \(fixed(cursor, 3))", shortLabel: "p̂₁",
                      style: StrokeStyle(color: Palette.cursor, width: 1, dash: [4, 3]))
    }

    /// The figure on screen: the export's, with the cursor's rule.
    var figure: LineChart {
        var chart = curves.figure().lineChart!
        chart.referenceLines.append(cursorRule)
        return chart
    }

    /// The chart for an area `width` columns wide (the curves' 1001 samples, thinned to the
    /// envelope of each dot column by the terminal renderer).
    func chart(width: Int) -> LineChartView { LineChartView(figure) }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let (chartArea, panelArea) = split(area)
        var view = chart(width: chartArea.width)
        view.markerSpacing = theme.colors == .extended ? 0 : 12
        view.render(in: chartArea, into: &buffer, theme: theme)

        var panel = Panel(panelArea)
        panel.line("Curves · the paper's Fig. 2", .bold, into: &buffer)
        panel.gap()
        panel.field("target ŷ₁", fixed(target, 3), selected: selected == .target, into: &buffer)
        panel.field("weight λ", fixed(lambda, 2), selected: selected == .lambda, into: &buffer)
        panel.field("cursor p̂₁", fixed(cursor, 3), selected: selected == .cursor, into: &buffer)
        // What is drawn, wrapped rather than cut (all six names do not fit one line of a narrow panel).
        let shown = (derivative ? "slopes d/dp̂₁" : "values") + " · " + (seriesSet?.name ?? penalties.map(\.rawValue).joined(separator: ", "))
        for piece in wrap(shown, width: max(1, panel.area.width - 2)) { panel.line("  " + piece, .dim, into: &buffer) }
        panel.gap()
        // For slopes, say over each number whose slope it is: at the minimum, at the cursor.
        // (two decimals for slopes, so that the four columns fit the narrowest panel).
        let header = derivative ? ["slope", "min at", "@min", "@p̂₁"] : ["", "min at", "min", "at p̂₁"]
        let digits = derivative ? 2 : 3
        let rows = penalties.map { penalty -> [String] in
            let minimum = minimiser(penalty)
            let shown = minimum.map { derivative ? value(penalty, at: $0.p) : $0.value }
            return ["\(theme.marker(Self.marker(penalty))) \(Self.name(penalty))", fixed(minimum?.p, 3), fixed(shown, digits),
                    fixed(value(penalty, at: cursor), digits)]
        }
        let tableArea = panel.take(rows.count + 1)
        TableView(header: header, rows: rows, spacing: 1).render(in: tableArea, into: &buffer, theme: theme)
        for (index, penalty) in penalties.enumerated() where theme.hasColor {
            buffer.restyle(Rect(x: tableArea.x, y: tableArea.y + 1 + index, width: 1, height: 1), Style(foreground: Self.color(penalty)))
        }
        panel.gap()
        panel.paragraph(note, into: &buffer)
    }

    /// One sentence on what the current curves show.
    var note: String {
        if derivative {
            let m = curves.resolvedYRange(curves.figure().lineChart!.series).map { $0.upperBound } ?? 0
            return "Near p̂₁ = 0 KL's slope is unbounded (−ŷ₁/p̂₁ → −∞, the ↓ at the cut) while L1's stays −1: the paper's "
                + "case for L1 (Fig. 2, Sec. 2.6). y shown: ±\(short(m)) (z/Z zoom)."
        }
        if penalties.contains(.klPlusDB1) {
            let p = klPlusDiceBiasMinimiser(target: target, lambda: lambda)
            if lambda == 0 {
                return "At λ = 0 every composite is KL alone, smallest at ŷ₁ = \(fixed(target, 3)). Raise λ: KL+λ·DB₁'s minimum "
                    + "moves below ŷ₁ (Dice's bias), KL+λ·L1's stays."
            }
            return "KL+λ·DB₁ is smallest at \(fixed(p, 3)) < ŷ₁ (root of (1−λ)p² + λp − ŷ₁² = 0): Dice's bias pulls CE towards empty foregrounds."
        }
        return "DB₁ is smallest at p̂₁ = 0 whatever ŷ₁ (Eq. 21); KL and L1 at ŷ₁ (Eqs. 4, 5)."
    }

    // MARK: Help

    public var keys: [(key: String, action: String)] {
        [("↑↓←→ hjkl", "change the selected parameter (Shift or HJKL: fine step)"),
         ("[ ]", "select ŷ₁, λ or the cursor p̂₁"),
         ("d", "values ↔ first derivatives"),
         ("z Z", "slopes: zoom the y range in / out (arrows mark where a curve runs past it)"),
         ("c", "which curves: Fig. 2's three, the composites, all"),
         ("click/drag", "move the cursor p̂₁"),
         ("r", "reset")]
    }

    public var hints: [(key: String, action: String)] {
        [("↑↓", "change"), ("d", derivative ? "values" : "slopes"), ("c", "curves")] + (derivative ? [("z Z", "zoom y")] : [])
    }

    public var about: String {
        "The binary label-marginal penalties as functions of the predicted foreground proportion p̂₁, for a target ŷ₁ "
            + "(the paper's Fig. 2): Dice's bias DB₁ = log(p̂₁ + ŷ₁) (Eq. 21) is smallest at an empty foreground; CE's hidden "
            + "KL(ŷ‖p̂) (Eq. 4) and the L1 regulariser (Eq. 5) are smallest at ŷ₁. A CE-based loss hides a KL, so its whole "
            + "label-marginal part is KL + λ·R: adding Dice's bias moves the minimum below ŷ₁, adding L1 or KL keeps it there. "
            + "◎ marks each curve's minimum; ↑ ↓ where a curve runs on past the y range; the table reads every curve at the cursor."
    }
}

extension ScreenID {
    public static let curves = ScreenID("curves")
}

extension AppState {
    /// The Curves screen's state.
    public var curves: CurvesScreen {
        get { self[CurvesScreen.self] }
        set { self[CurvesScreen.self] = newValue }
    }
}

extension CurvesScreen {
    /// `curves:yhat=0.1,lambda=1,penalties=kl+db1,kl+l1,derivative=on`.
    static var stateKeys: [StateKey<CurvesScreen>] {
        [.number("yhat", \.target, in: targetRange), .number("lambda", \.lambda, in: lambdaRange),
         .number("cursor", \.cursor, in: 0 ... 1),
         StateKey(name: "penalties", read: { $0.penalties.map(\.rawValue).joined(separator: ",") }, write: { screen, text throws(StateError) in
             let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
             let penalties = names.compactMap(BinaryPenalty.init(rawValue:))
             guard !names.isEmpty, penalties.count == names.count else {
                 throw StateError("penalties=\(text): a list of \(BinaryPenalty.allCases.map(\.rawValue).joined(separator: ", "))")
             }
             screen.penalties = penalties
         }),
         .flag("derivative", \.derivative), .integer("zoom", \.slopeZoom, in: zoomRange)]
    }
}
