import MarginalCore
import TerminalUI
import MarginalFigure

/// A toy segmentation trained step by step under the loss you pick (`ToyRun`): the ground
/// truth and the prediction side by side, the proportions ŷ, soft p̂ and hard, the loss and its
/// terms, per-class IoU; and a comparison of every loss on the same toy (`ToyComparison`).
public struct ToyScreen: Screen, Sendable {
    static let id = ScreenID.toy
    static let title = "Toy"
    static let summary = "a segmentation trained under any loss"

    public enum Parameter: Int, CaseIterable, Sendable { case scenario, lambda, tau }

    public var scenario = ToyScenario.smallLesion
    public var seed: UInt64 = 1
    public var loss = LossName.ce
    /// nil: the loss's own default.
    public var lambda: Double?
    public var tau = 10.0
    public var selected = Parameter.scenario
    public private(set) var run: ToyRun
    public private(set) var report: ToyReport
    public var playing = false
    /// Steps per tick while playing.
    public var speed = 1
    /// The comparison table, when shown.
    public private(set) var comparison: ToyComparison?
    /// Which of the comparison's tables shows where only one fits: the hard proportions, or IoU.
    public var comparisonShowsHard = false
    /// The comparison being computed off the loop's thread (`Effect.compute`), by id, and how
    /// far it is (0 to 1); nil when none is.
    public private(set) var comparing: (id: String, progress: Double)?
    /// How many comparisons were asked for: each one's id is new.
    private var comparisonsAsked = 0

    static let speeds = [1, 2, 5, 10, 20, 50]
    static let lambdaRange = 0.0 ... 10.0, tauRange = 0.5 ... 50.0
    /// The comparison's steps: `marginal toy --compare`'s, so that screen and shell agree.
    static let comparisonSteps = ToyComparison.defaultSteps

    public init() {
        let (run, report) = Self.start(scenario: .smallLesion, seed: 1, loss: .ce, lambda: nil, tau: 10)
        self.run = run
        self.report = report
    }

    /// A new run at step 0 (the scenarios, losses and settings offered are all valid, so this cannot fail).
    static func start(scenario: ToyScenario, seed: UInt64, loss: LossName, lambda: Double?, tau: Double) -> (ToyRun, ToyReport) {
        let image = try! ToyImage(scenario: scenario, seed: seed)
        let run = try! ToyRun(image: image, loss: loss, lambda: lambda, temperature: tau)
        return (run, run.report())
    }

    mutating func restart() {
        if loss.isBinaryOnly && scenario.classes != 2 { loss = .ce }
        (run, report) = Self.start(scenario: scenario, seed: seed, loss: loss, lambda: lambda, tau: tau)
        comparison = nil
        comparing = nil
    }

    var tickInterval: Int? { playing ? 60 : nil }

    mutating func tick() {
        guard playing else { return }
        for _ in 0 ..< speed { run.advance() }
        report = run.report()
    }

    // MARK: Input

    /// A key; a comparison still computing that the key made moot (a new loss, scenario, …) is stopped.
    public mutating func handle(_ key: Key) -> Response {
        let computing = comparing?.id
        var response = handleKey(key)
        if let computing, comparing?.id != computing { response.effects.append(.stopComputing(id: computing)) }
        return response
    }

    private mutating func handleKey(_ key: Key) -> Response {
        if let index = cycled(selected.rawValue, count: Parameter.allCases.count, key: key) {
            selected = Parameter(rawValue: index)!
            return .handled
        }
        // Here l is the loss, so only the arrows (and h j k) adjust.
        if key != .character("l"), key != .character("L"), let nudge = Nudge(key) {
            switch selected {
            case .scenario:
                let all = ToyScenario.allCases
                scenario = all[(all.firstIndex(of: scenario)! + (nudge.sign > 0 ? 1 : all.count - 1)) % all.count]
            case .lambda:
                let current = lambda ?? loss.defaultLambda ?? 0
                lambda = stepped(current, by: nudge.sign * (nudge.fine ? 0.01 : 0.1), in: Self.lambdaRange, grid: 0.001)
            case .tau:
                tau = stepped(tau, by: nudge.sign * (nudge.fine ? 0.5 : 2), in: Self.tauRange, grid: 0.5)
            }
            restart()
            return .handled
        }
        switch key {
        case .character(" "):
            run.advance()
            report = run.report()
        case .character("p"): playing.toggle()
        case .character("+"), .character("="):
            speed = Self.speeds.first { $0 > speed } ?? speed
        case .character("-"), .character("_"):
            speed = Self.speeds.last { $0 < speed } ?? speed
        case .character("l"):
            let available = LossName.available(classes: scenario.classes)
            loss = available[(available.firstIndex(of: loss)! + 1) % available.count]
            lambda = nil
            restart()
        case .character("s"):
            seed += 1
            restart()
        case .character("v") where comparison != nil:
            comparisonShowsHard.toggle()
        case .character("c"):
            if comparison != nil {
                comparison = nil
            } else if comparing != nil {
                comparing = nil
                return .message("comparison stopped")
            } else {
                playing = false
                return startComparison()
            }
        default: return .ignored
        }
        return .handled
    }

    public mutating func reset() {
        playing = false
        restart()
    }

    /// Every loss trained on this toy (`ToyComparison`, as `marginal toy --compare`), off the
    /// loop's thread: the screen stays live and shows the progress; `receive` takes the outcome.
    private mutating func startComparison() -> Response {
        comparisonsAsked += 1
        let id = "toy-comparison-\(comparisonsAsked)"
        comparing = (id, 0)
        let (image, tau) = (run.image, tau)
        let computation = Computation(id: id) { progress in
            let comparison = try? ToyComparison(image: image, steps: Self.comparisonSteps, lambda: nil, temperature: tau,
                                                optimizer: .adam, learningRate: ToyRun.defaultLearningRate) { done, total in
                progress(Double(done) / Double(total))
            }
            return comparison.map(ComputedValue.toyComparison)
        }
        return Response(message: "training every loss on this toy… (c stops)", effects: [.compute(computation)])
    }

    /// The comparison's news: its progress, then its table (nil: it failed).
    mutating func receive(_ message: Message) {
        guard case .computed(let id, let news) = message, id == comparing?.id else { return }
        switch news {
        case .progress(let fraction): comparing?.progress = fraction
        case .done(.toyComparison(let result)):
            comparison = result
            comparing = nil
        case .done(nil): comparing = nil
        }
    }

    // MARK: Drawing

    private func split(_ area: Rect) -> (left: Rect, panel: Rect) {
        let parts = area.columns([.fill, .fixed(1), .fixed(panelWidth(area.width))])
        return (parts[0], parts[2])
    }

    /// A label map as a half-block image `width` pixels wide, nearest-neighbour.
    func image(_ labels: [UInt8], width: Int, height: Int) -> HalfBlockImage {
        let source = run.image
        return HalfBlockImage(resampling: labels, sourceWidth: source.width, sourceHeight: source.height, width: width, height: height) { label in
            Palette.labelPixel(label, classes: source.classes)
        }
    }

    /// The colours of ŷ and the soft p̂, in the bars and in the export's chart.
    static let targetColor = Palette.blue, softColor = Palette.orange

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let (left, panelArea) = split(area)
        let names = scenario.classNames
        if let comparison {
            // The comparison takes the whole width: a street toy has 8 classes in two tables.
            renderComparison(comparison, in: area, into: &buffer, theme: theme)
            return
        } else {
            let tableRows = names.count + 1
            // Bars of ŷ against soft p̂ and against the hard proportion, two rows a class, when
            // there is room for them and images of at least 8 rows.
            let barRows = 2 * names.count + 1
            let wantsBars = left.height - tableRows - 2 - (barRows + 1) >= 8
            let imageRows = max(0, left.height - tableRows - 2 - (wantsBars ? barRows + 1 : 0))
            let side = min(imageRows * 2, (left.width - 3) / 2)
            buffer.write("ground truth", x: left.x, y: left.y, .dim)
            buffer.write("prediction (argmax)", x: left.x + side + 3, y: left.y, .dim)
            if side > 0 {
                image(run.image.labels, width: side, height: side).draw(into: &buffer, x: left.x, y: left.y + 1, clip: left, theme: theme)
                image(report.prediction, width: side, height: side).draw(into: &buffer, x: left.x + side + 3, y: left.y + 1, clip: left, theme: theme)
            }
            let tableArea = Rect(x: left.x, y: left.y + 1 + (side + 1) / 2 + 1, width: left.width, height: tableRows)
            proportionTable(width: left.width, block: String(theme.fullBlock)).render(in: tableArea, into: &buffer, theme: theme)
            for k in names.indices where theme.hasColor {
                buffer.restyle(Rect(x: tableArea.x, y: tableArea.y + 1 + k, width: 1, height: 1),
                               Style(foreground: Palette.classColor(k).terminal))
            }
            if wantsBars {
                let barArea = Rect(x: left.x, y: tableArea.maxY + 1, width: left.width, height: barRows)
                buffer.write("bars: ŷ (upper) vs soft p̂ or hard (lower), log", in: barArea.top(1), .dim)
                let rows = names.indices.flatMap { k in [
                    BarPair(label: names[k] + " soft", first: report.targetProportion[k], second: report.softProportion[k],
                            annotation: percent(report.softProportion[k])),
                    BarPair(label: names[k] + " hard", first: report.targetProportion[k], second: report.hardProportion[k],
                            annotation: percent(report.hardProportion[k])),
                ] }
                BarPairsView(rows: rows, firstColor: Self.targetColor.terminal, secondColor: Self.softColor.terminal, maximum: 1, logarithmicFloor: 0.001)
                    .render(in: barArea.droppingTop(1), into: &buffer, theme: theme)
            }
        }

        renderPanel(in: panelArea, into: &buffer)
    }

    /// The proportions per class: ŷ, soft p̂ (τ = 1), p̂ at τ, hard, IoU. Where `width` is short,
    /// class names are shortened first, then IoU (the panel gives mIoU), p̂ at τ and soft p̂ give
    /// way, so that ŷ and the hard proportion, claim 7's evidence, always show.
    func proportionTable(width: Int, block: String) -> TableView {
        let names = scenario.classNames
        let columns: [(header: String, values: [Double?])] = [
            ("ŷ %", report.targetProportion.map { $0 }), ("soft p̂", report.softProportion.map { $0 }),
            ("p̂ τ", report.temperedProportion.map { $0 }), ("hard", report.hardProportion.map { $0 }), ("IoU", report.iou),
        ]
        func table(dropping dropped: Set<String>, prefix: Int) -> TableView {
            let kept = columns.filter { !dropped.contains($0.header) }
            return TableView(header: ["class"] + kept.map(\.header),
                             rows: names.indices.map { k in ["\(block) " + String(names[k].prefix(prefix))] + kept.map { percent($0.values[k]) } },
                             spacing: 1)
        }
        var last = table(dropping: [], prefix: 10)
        for dropped: Set<String> in [[], ["IoU"], ["IoU", "p̂ τ"], ["IoU", "p̂ τ", "soft p̂"]] {
            for prefix in [10, 6, 4, 3] {
                last = table(dropping: dropped, prefix: prefix)
                let widths = last.columnWidths()
                if widths.reduce(0, +) + last.spacing * (widths.count - 1) <= width { return last }
            }
        }
        return last
    }

    /// The comparison's progress in the panel: "comparing every loss: 42 % (c stops)", shorter
    /// where the panel is narrow.
    static func comparingLine(_ progress: Double, width: Int) -> String {
        let done = "\(Int((progress * 100).rounded(.down))) % (c stops)"
        let long = "comparing every loss: " + done
        return long.count <= width ? long : "comparing: " + done
    }

    /// Prop. 2 for the current prediction, CE = H(F|K) + KL(ŷ‖p̂) + H(ŷ) (Eq. 4 with the constant
    /// H(ŷ) written out), every term kept.
    var propositionTwo: Identity {
        let d = report.decomposition
        return .propositionTwo(crossEntropy: d.crossEntropy, entropy: d.entropy, kl: d.kl, labelEntropy: d.labelEntropy)
    }

    /// What H is, long and short: the ground-truth matching term, and why it can be negative.
    func entropyNote(short: Bool) -> String {
        // Negative as printed (at step 0 H is 0 up to rounding).
        let identity = propositionTwo
        let negative = fixed(report.decomposition.entropy, identity.digits).hasPrefix("−")
        if short { return "H = H(F|K), the matching term (Eq. 3)" + (negative ? "; < 0: pixels surer than p̂" : "") }
        return "H = H(F|K), CE's ground-truth matching term (Eqs. 3, 4)"
            + (negative ? "; negative because the pixels are surer of their class than p̂ is: it is a differential entropy, not bounded below."
                        : "; H(ŷ), the labels' entropy, is a constant.")
    }

    /// The side panel: settings, the loss, Prop. 2 whole and Dice's two terms. Where rows are
    /// short, the gaps, the seed, the loss's terms, the note on H and then the settings give
    /// way (least wanted first), so that the identity is never cut.
    private func renderPanel(in area: Rect, into buffer: inout Buffer) {
        let width = area.width
        let shownLambda = lambda ?? loss.defaultLambda
        let terms = report.terms.count > 1 ? report.terms.keys.sorted() : []
        let longNote = wrap(entropyNote(short: false), width: width), shortNote = wrap(entropyNote(short: true), width: width)
        let d = report.decomposition
        enum Item { case line(String, Style), field(String, String, Bool), gap }
        // Each block in display order, with how much it is wanted.
        var blocks: [(want: Int, items: [Item])] = [
            (90, [.line("Toy · \(playing ? "playing ×\(speed)" : "paused") · step \(report.step)", .bold)]
                + (comparing.map { [.line(Self.comparingLine($0.progress, width: width), .bold)] } ?? [])),
            (5, [.gap]),
            (60, [.field("scenario", scenario.rawValue, selected == .scenario)]),
            (70, [.field("loss", loss.rawValue + "  (l: next)", false)]),
            (50, [.field("λ", shownLambda.map { fixed($0, 3) } ?? "– (no λ)", selected == .lambda)]),
            (45, [.field("τ", fixed(tau, 1) + (loss.usesTemperature ? "" : " (unused)"), selected == .tau)]),
            (10, [.field("seed", "\(seed)", false)]),
            (5, [.gap]),
            (85, [.line("loss  " + fixed(report.loss, 4), .bold)]),
            (30, terms.map { .line("  \($0) term  " + fixed(report.terms[$0], 4), .plain) }),
            (100, propositionTwo.lines(width: width).map { .line($0, .plain) }),
            (40, shortNote.map { .line($0, .dim) }),
            (20, longNote.map { .line($0, .dim) }),
            (80, [.line("Dice: df \(fixed(d.df, 3))  db \(fixed(d.db, 3))", .dim)]),
            (75, [.line("mIoU  " + percent(report.meanIoU) + " %", .bold)]),
        ]
        // The long note replaces the short one when both fit.
        let shortIndex = 11, longIndex = 12
        func rows() -> Int { blocks.reduce(0) { $0 + $1.items.count } - (blocks[longIndex].items.isEmpty ? 0 : blocks[shortIndex].items.count) }
        while rows() > area.height, let drop = blocks.indices.filter({ !blocks[$0].items.isEmpty && blocks[$0].want < 100 })
                .min(by: { blocks[$0].want < blocks[$1].want }) {
            blocks[drop].items = []
        }
        if !blocks[longIndex].items.isEmpty { blocks[shortIndex].items = [] }
        var panel = Panel(area)
        for block in blocks {
            for item in block.items {
                switch item {
                case .line(let text, let style): panel.line(text, style, into: &buffer)
                case .field(let label, let value, let isSelected):
                    panel.field(label, value, selected: isSelected, labelWidth: 9, into: &buffer)
                case .gap: panel.gap()
                }
            }
        }
    }

    /// The comparison's two tables: per-class IoU with mIoU, and the hard proportion against ŷ.
    /// Class names are shortened (to 6, 5, 4 or 3 letters) and decimals dropped only as far as
    /// it takes for every column to fit `width`.
    func comparisonTables(_ comparison: ToyComparison, width: Int) -> (iou: TableView, hard: TableView) {
        let names = scenario.classNames
        let highlighted = Set(comparison.rows.indices.filter { comparison.rows[$0].loss == loss }.map { $0 + 1 })
        func tables(prefix: Int, digits: Int) -> (TableView, TableView) {
            let short = names.map { String($0.prefix(prefix)) }
            var iouRows = [["ŷ %"] + names.map { _ in "" } + [""]]
            iouRows += comparison.rows.map { row in
                [row.loss.rawValue] + row.report.iou.map { percent($0, digits) } + [percent(row.report.meanIoU, digits)]
            }
            var hardRows = [["ŷ %"] + comparison.image.targetProportion.map { percent($0, digits) }]
            hardRows += comparison.rows.map { row in [row.loss.rawValue] + row.report.hardProportion.map { percent($0, digits) } }
            return (TableView(header: ["IoU %"] + short + ["mIoU"], rows: iouRows, highlighted: highlighted, spacing: 1),
                    TableView(header: ["hard %"] + short, rows: hardRows, highlighted: highlighted, spacing: 1))
        }
        func fits(_ table: TableView) -> Bool {
            let widths = table.columnWidths()
            return widths.reduce(0, +) + table.spacing * (widths.count - 1) <= width
        }
        for digits in [1, 0] {
            for prefix in [10, 6, 5, 4, 3] {
                let (iou, hard) = tables(prefix: prefix, digits: digits)
                if fits(iou) && fits(hard) { return (iou, hard) }
            }
        }
        return tables(prefix: 3, digits: 0)
    }

    /// Every loss on this toy: both tables one above the other where the rows allow, else the
    /// one `v` picks.
    private func renderComparison(_ comparison: ToyComparison, in area: Rect, into buffer: inout Buffer, theme: Theme) {
        buffer.write("every loss, \(comparison.steps) steps on this toy, % (v: IoU ↔ hard; c closes)", in: area.top(1), .dim)
        let (iou, hard) = comparisonTables(comparison, width: area.width)
        let tableRows = comparison.rows.count + 2
        let body = area.droppingTop(1)
        if body.height >= 2 * tableRows + 1 {
            iou.render(in: body.top(tableRows), into: &buffer, theme: theme)
            hard.render(in: body.droppingTop(tableRows + 1).top(tableRows), into: &buffer, theme: theme)
        } else {
            (comparisonShowsHard ? hard : iou).render(in: body, into: &buffer, theme: theme)
        }
    }

    // MARK: Help

    public var keys: [(key: String, action: String)] {
        [("space", "one training step"),
         ("p", "play / pause"), ("+ −", "faster / slower (steps per frame)"),
         ("l", "next loss (ce, focal, dice, … ce_l1)"),
         ("[ ] ←→", "select and change the scenario, λ or τ (restarts the run; l is the loss here, not →)"),
         ("s", "new seed (a new toy image)"),
         ("c", "compare every loss on this toy (the toy Table 4; as `marginal toy --compare`)"),
         ("v", "in the comparison: IoU ↔ hard proportions, where only one table fits"),
         ("r", "restart with the same seed")]
    }

    public var hints: [(key: String, action: String)] { [("space", "step"), ("p", "play"), ("l", "loss"), ("c", "compare")] }

    public var about: String {
        "A per-pixel softmax regression trained on one toy image with the loss you pick, through the same loss code as "
            + "everything else in marginal. Watch the prediction's proportions: soft p̂ (τ = 1, what CE matches through its "
            + "hidden KL, Eq. 4), p̂ at τ (what a penalty R sees, Appendix C) and the hard proportion, against ŷ. In the paper, "
            + "Dice's label-marginal bias prefers extremely imbalanced solutions, a vertex of the simplex (Prop. 1), while CE's "
            + "hidden KL and CE + λ·L1 (Eq. 5) pull p̂ to ŷ; what a short toy run shows depends on the toy (c compares every "
            + "loss; docs/toy.md says where the claims reproduce and where not). Prop. 2, CE = H(F|K) + KL(ŷ‖p̂) + H(ŷ), and "
            + "Dice's df + db are of the current prediction; H(F|K), the matching term, is negative when pixels are surer than p̂."
    }
}

extension ScreenID {
    public static let toy = ScreenID("toy")
}

extension AppState {
    /// The Toy screen's state.
    public var toy: ToyScreen {
        get { self[ToyScreen.self] }
        set { self[ToyScreen.self] = newValue }
    }
}

extension ToyScreen {
    /// `toy:scenario=organ-tumour,loss=ce_l1,steps=100`: each field restarts the toy, and the
    /// steps are trained last, on the settings before them.
    static var stateKeys: [StateKey<ToyScreen>] {
        [.choice("scenario", \.scenario, then: { $0.restart() }),
         .integer("seed", \.seed, in: 1 ... 1_000_000, then: { $0.restart() }),
         StateKey(name: "loss", read: { $0.loss.rawValue }, write: { screen, text throws(StateError) in
             let available = LossName.available(classes: screen.scenario.classes)
             guard let loss = LossName(rawValue: text), available.contains(loss) else {
                 throw StateError("loss=\(text): on \(screen.scenario.rawValue) choose one of \(available.map(\.rawValue).joined(separator: ", "))")
             }
             screen.loss = loss
             screen.restart()
         }),
         StateKey(name: "lambda", read: { $0.lambda.map(stateNumber) ?? "default" }, write: { screen, text throws(StateError) in
             screen.lambda = text == "default" ? nil : try parseNumber("lambda", text, in: lambdaRange)
             screen.restart()
         }),
         .number("tau", \.tau, in: tauRange, then: { $0.restart() }),
         StateKey(name: "steps", read: { String($0.run.step) }, write: { screen, text throws(StateError) in
             guard let steps = Int(text), (0 ... maximumStateSteps).contains(steps) else {
                 throw StateError("steps=\(text): a whole number from 0 to \(maximumStateSteps)")
             }
             for _ in 0 ..< steps { screen.run.advance() }
             screen.report = screen.run.report()
         })]
    }

    /// The most steps a state string trains before the screen opens (a few seconds).
    static let maximumStateSteps = 2000
}
