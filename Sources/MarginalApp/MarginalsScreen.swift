import MarginalCore
import TerminalUI
import MarginalFigure

/// K classes (2 to 19, by default Cityscapes' 19 of the paper's Table 4): the target ŷ and an
/// editable prediction p̂ side by side, every penalty and composite at that p̂, and where each
/// composite is smallest.
public struct MarginalsScreen: Screen, Sendable, Equatable {
    static let id = ScreenID.marginals
    static let title = "Marginals"
    static let summary = "K classes, Cityscapes' proportions"

    public enum Parameter: Int, CaseIterable, Sendable { case proportion, lambda }

    public var classes = 19
    public var target = Cityscapes.proportions()
    /// p̂: starts uniform, 1/K each.
    public var predicted = [Double](repeating: 1.0 / 19, count: 19)
    public var selectedClass = 0
    public var selected = Parameter.proportion
    public var lambda = 1.0
    /// Bars proportional to log(p / 0.05 %), so that 0.1 % and 37 % both show; `g` switches to linear.
    public var logarithmic = true

    public init() {}

    var classNames: [String] { Array(Cityscapes.classNames.prefix(classes)) }

    static let penalties: [SimplexPenalty] = [.db, .kl, .l1, .klPlusDB, .klPlusL1]

    // MARK: Input

    public mutating func handle(_ key: Key) -> Response {
        if let index = cycled(selected.rawValue, count: Parameter.allCases.count, key: key) {
            selected = Parameter(rawValue: index)!
            return .handled
        }
        if let nudge = Nudge(key) {
            switch (nudge.direction, selected) {
            case (.up, _): selectedClass = (selectedClass + classes - 1) % classes
            case (.down, _): selectedClass = (selectedClass + 1) % classes
            case (_, .proportion):
                let value = stepped(predicted[selectedClass], by: nudge.sign * (nudge.fine ? 0.001 : 0.01), in: 0 ... 1, grid: 0.0001)
                predicted = settingProportion(predicted, class: selectedClass, to: value)
            case (_, .lambda):
                lambda = stepped(lambda, by: nudge.sign * (nudge.fine ? 0.1 : 0.5), in: 0 ... 10, grid: 0.01)
            }
            return .handled
        }
        switch key {
        case .character("+"), .character("="): setClasses(classes + 1)
        case .character("-"), .character("_"): setClasses(classes - 1)
        case .character("u"): predicted = [Double](repeating: 1 / Double(classes), count: classes)
        case .character("y"): predicted = target
        case .character("m"): predicted = SimplexPenalty.klPlusDB.minimiser(target: target, lambda: lambda)
        case .character("v"): predicted = SimplexPenalty.db.minimiser(target: target)
        case .character("g"): logarithmic.toggle()
        default: return .ignored
        }
        return .handled
    }

    /// K classes: the first K of the Cityscapes row, renormalised; p̂ back to uniform.
    mutating func setClasses(_ count: Int) {
        classes = min(max(count, 2), 19)
        target = Cityscapes.proportions(classes: classes)
        predicted = [Double](repeating: 1 / Double(classes), count: classes)
        selectedClass = min(selectedClass, classes - 1)
    }

    public mutating func reset() { self = MarginalsScreen() }

    // MARK: Drawing

    private func split(_ area: Rect) -> (bars: Rect, panel: Rect) {
        let parts = area.columns([.fill, .fixed(1), .fixed(panelWidth(area.width))])
        return (parts[0], parts[2])
    }

    static func name(_ penalty: SimplexPenalty) -> String {
        switch penalty {
        case .db: "DB"
        case .kl: "KL"
        case .l1: "L1"
        case .klPlusDB: "KL+λ·DB"
        case .klPlusL1: "KL+λ·L1"
        }
    }

    /// The colours of ŷ and p̂, in the bars and in the export's chart.
    static let targetColor = Palette.blue, predictedColor = Palette.orange

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let (barArea, panelArea) = split(area)
        // Each penalty's minimiser, once a frame (KL + λ·DB's takes a solve).
        let minimisers = Self.penalties.map { $0.minimiser(target: target, lambda: lambda) }
        let minimiser = minimisers[Self.penalties.firstIndex(of: .klPlusDB)!]
        // Header: what the halves of a row mean.
        let legend = theme.hasColor
            ? "upper half ŷ (target)   lower half p̂ (yours)"
            : "\(theme.upperHalf) ŷ (target)  \(theme.lowerHalf) p̂ (yours)  \(theme.fullBlock) both"
        buffer.write(legend, in: barArea.top(1), .dim)
        let scaleNote = logarithmic ? "bars: log scale (g: linear) · % of pixels" : "bars: linear (g: log) · % of pixels"
        buffer.write(scaleNote, in: barArea.droppingTop(1).top(1), .dim)
        let rowsArea = barArea.droppingTop(2)
        // Scroll so that the selected class is visible.
        let visible = max(1, rowsArea.height)
        let first = min(max(0, selectedClass - visible / 2), max(0, classes - visible))
        let rows = (first ..< min(classes, first + visible)).map { k in
            BarPair(label: classNames[k], first: target[k], second: predicted[k],
                    annotation: padLeft(percent(target[k]), 5) + padLeft(percent(predicted[k]), 6), isSelected: k == selectedClass)
        }
        let maximum = max(target.max() ?? 1, predicted.max() ?? 1)
        BarPairsView(rows: rows, firstColor: Self.targetColor.terminal, secondColor: Self.predictedColor.terminal, maximum: maximum,
                     logarithmicFloor: logarithmic ? 0.0005 : nil)
            .render(in: rowsArea, into: &buffer, theme: theme)

        var panel = Panel(panelArea)
        panel.line("Marginals · K = \(classes)", .bold, into: &buffer)
        panel.line(classes == 19 ? "ŷ: Cityscapes, Table 4 (mRegProp)" : "ŷ: first \(classes) Cityscapes classes", .dim, into: &buffer)
        panel.gap()
        let name = classNames[selectedClass]
        panel.field("p̂ \(truncate(name, width: 9, theme: theme))", percent(predicted[selectedClass], 2) + " %  (ŷ " + percent(target[selectedClass], 2) + " %)",
                    selected: selected == .proportion, into: &buffer)
        panel.field("weight λ", fixed(lambda, 2), selected: selected == .lambda, into: &buffer)
        panel.gap()
        let header = ["penalty", "at p̂", "min", "p̂ₖ* %"]
        let rowsText = zip(Self.penalties, minimisers).map { penalty, best -> [String] in
            return [Self.name(penalty), fixed(penalty.value(predicted: predicted, target: target, lambda: lambda), 3),
                    fixed(penalty.value(predicted: best, target: target, lambda: lambda), 3), percent(best[selectedClass], 2)]
        }
        TableView(header: header, rows: rowsText, spacing: 1).render(in: panel.take(rowsText.count + 1), into: &buffer, theme: theme)
        panel.line("p̂ₖ*: \(name) at each minimiser", .dim, into: &buffer)
        panel.gap()
        let vertex = diceBiasMinimisingVertex(target)
        let smallest = target.indices.min { target[$0] < target[$1] }!
        panel.paragraph("DB is smallest at the vertex \(classNames[vertex]) = 100 % (Prop. 1); KL, L1 and KL+λ·L1 at p̂ = ŷ. "
                        + "KL+λ·DB gives \(classNames[smallest]) \(percent(minimiser[smallest], 3)) % for ŷ \(percent(target[smallest], 3)) %.",
                        into: &buffer)
    }

    // MARK: Help

    public var keys: [(key: String, action: String)] {
        [("↑↓ jk", "select a class"),
         ("←→ hl", "change the selected class's p̂ₖ, the others rescaled (Shift or HL: fine); or λ"),
         ("[ ]", "←→ change p̂ₖ or λ"),
         ("+ −", "more or fewer classes (2 to 19)"),
         ("u y", "p̂ uniform / p̂ = ŷ"),
         ("m v", "p̂ at the minimiser of KL + λ·DB / of DB alone"),
         ("g", "bars on a log or linear scale"),
         ("r", "reset")]
    }

    public var hints: [(key: String, action: String)] { [("↑↓", "class"), ("←→", "p̂ₖ"), ("m", "KL+λDB min"), ("g", "log")] }

    public var about: String {
        "The label marginals of a K-class segmentation: the target ŷ (by default Cityscapes' mean region proportions, "
            + "Table 4's mRegProp row, renormalised over the labelled pixels) and a prediction p̂ you edit. The table gives "
            + "each penalty at p̂ with the paper's sums over k: DB = Σ log(p̂ₖ + ŷₖ) (Eq. 1), KL(ŷ‖p̂) (Eq. 4), L1 (Eq. 5), "
            + "and the composites KL + λ·R that CE + λ·R optimises (Eq. 5), with the value at each one's minimiser and the "
            + "selected class's share there. DB's minimiser is a vertex (Proposition 1); KL + λ·DB pulls small classes below ŷ."
    }
}

extension ScreenID {
    public static let marginals = ScreenID("marginals")
}

extension AppState {
    /// The Marginals screen's state.
    public var marginals: MarginalsScreen {
        get { self[MarginalsScreen.self] }
        set { self[MarginalsScreen.self] = newValue }
    }
}

extension MarginalsScreen {
    /// `marginals:classes=3,phat=0.5,0.3,0.2,class=2,lambda=2,log=off` (ŷ is the first K of the
    /// Cityscapes row, as `+` `-` set it).
    static var stateKeys: [StateKey<MarginalsScreen>] {
        [.integer("classes", \.classes, in: 2 ... 19, then: { $0.setClasses($0.classes) }),
         .proportions("phat", floor: 0, count: \.classes, get: \.predicted, set: { $0.predicted = $1 }),
         StateKey(name: "class", read: { String($0.selectedClass + 1) }, write: { screen, text throws(StateError) in
             guard let k = Int(text), (1 ... screen.classes).contains(k) else {
                 throw StateError("class=\(text): a class from 1 to \(screen.classes)")
             }
             screen.selectedClass = k - 1
         }),
         .number("lambda", \.lambda, in: 0 ... 10), .flag("log", \.logarithmic)]
    }
}
