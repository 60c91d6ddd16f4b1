import MarginalCore
import TerminalUI
import MarginalFigure

/// Three classes: a label-marginal penalty as a heat map over the simplex of predictions p̂,
/// with the target ŷ, the minimiser and a cursor (Proposition 1: Dice's bias is smallest at
/// the vertex of the largest ŷₖ).
public struct SimplexScreen: Screen, Sendable, Equatable {
    static let id = ScreenID.simplex
    static let title = "Simplex"
    static let summary = "Proposition 1"

    public enum Parameter: Int, CaseIterable, Sendable { case target, cursor, lambda }

    public var penalty = SimplexPenalty.db
    public var target = SimplexPoint(0.6, 0.3, 0.1)
    public var cursor = SimplexPoint(1.0 / 3, 1.0 / 3, 1.0 / 3)
    public var lambda = 1.0
    public var selected = Parameter.target

    public init() {}

    /// ŷ stays this far inside the simplex (KL needs every ŷₖ > 0).
    static let targetFloor = 0.01

    // MARK: Input

    public mutating func handle(_ key: Key) -> Response {
        if let index = cycled(selected.rawValue, count: Parameter.allCases.count, key: key) {
            selected = Parameter(rawValue: index)!
            return .handled
        }
        if let nudge = Nudge(key) {
            let step = nudge.fine ? 0.01 : 0.05
            switch selected {
            case .target: target = Self.moved(target, nudge, step: step, floor: Self.targetFloor)
            case .cursor: cursor = Self.moved(cursor, nudge, step: step, floor: 0)
            case .lambda: lambda = stepped(lambda, by: nudge.sign * (nudge.fine ? 0.1 : 0.5), in: 0 ... 10, grid: 0.01)
            }
            return .handled
        }
        switch key {
        case .character("p"):
            penalty = SimplexPenalty.allCases[(SimplexPenalty.allCases.firstIndex(of: penalty)! + 1) % SimplexPenalty.allCases.count]
        case .character("m"):
            if let minimum = map(resolution: 60).minimiser { cursor = minimum.p }
        case .character("y"):
            cursor = target
        default: return .ignored
        }
        return .handled
    }

    /// `point` moved on screen: right towards vertex 2 (mass from class 1 to class 2), left back,
    /// up towards vertex 3 (mass from classes 1 and 2 in proportion), down away from it; every
    /// coordinate kept ≥ `floor`, the sum exactly 1.
    static func moved(_ point: SimplexPoint, _ nudge: Nudge, step: Double, floor: Double) -> SimplexPoint {
        func snap(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
        var p = [point.x, point.y, point.z]
        switch nudge.direction {
        case .right, .left:
            let (from, to) = nudge.direction == .right ? (0, 1) : (1, 0)
            let amount = min(step, p[from] - floor)
            guard amount > 0 else { return point }
            p[from] = snap(p[from] - amount)
            p[to] = 1 - p[from] - p[2]
        case .up, .down:
            let third = snap(min(max(p[2] + nudge.sign * step, floor), 1 - 2 * floor))
            p = settingProportion(p, class: 2, to: third)
            p[0] = max(floor, snap(p[0]))
            p[1] = 1 - p[0] - p[2]
            if p[1] < floor { p[1] = floor; p[0] = 1 - p[1] - p[2] }
        }
        return SimplexPoint(p[0], p[1], p[2])
    }

    public mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Response {
        guard mouse.kind != .release else { return .ignored }
        let triangle = Triangle(in: split(area).map)
        guard let point = triangle.point(column: mouse.x, row: mouse.y, clamped: mouse.kind == .drag) else { return .ignored }
        cursor = point
        selected = .cursor
        return .changed
    }

    public mutating func reset() { self = SimplexScreen() }

    // MARK: Numbers (all from MarginalCore)

    func value(at p: SimplexPoint) -> Double { penalty.value(predicted: p, target: target, lambda: lambda) }

    /// The penalty on a grid of the simplex, with its minimiser (grid search and compass refinement).
    func map(resolution: Int) -> SimplexMap { SimplexMap(penalty: penalty, target: target, lambda: lambda, resolution: resolution) }

    /// What Proposition 1 says about the current ŷ, naming the vertex the ★ marks: at a tie of
    /// the largest ŷₖ every tied vertex is a minimum, and the sentence says so.
    func diceBiasNote(starAt star: [Double]?) -> String {
        let yhat = [target.x, target.y, target.z]
        let tied = diceBiasMinimisingVertices(yhat)
        if tied.count > 1 {
            let names = tied.map { "\($0 + 1)" }.joined(separator: tied.count == 2 ? " and " : ", ")
            let marked = star.flatMap { p in p.indices.first { p[$0] > 0.5 } }.map { " (★ marks class \($0 + 1)'s)" } ?? ""
            return "DB is concave, so smallest at a vertex of the largest ŷₖ (Proposition 1). Here classes \(names) tie at "
                + "ŷ = \(fixed(yhat[tied[0]], 2)): each of their vertices is a minimum\(marked). Move ŷ off the tie and the ★ settles."
        }
        let vertex = tied.first ?? diceBiasMinimisingVertex(yhat)
        return "DB is concave, so smallest at a vertex: class \(vertex + 1), the largest ŷₖ (Proposition 1). "
            + "Move ŷ across a boundary and the ★ jumps."
    }

    // MARK: Drawing

    private func split(_ area: Rect) -> (map: Rect, panel: Rect) {
        let parts = area.columns([.fill, .fixed(1), .fixed(panelWidth(area.width))])
        return (parts[0], parts[2])
    }


    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let (mapArea, panelArea) = split(area)
        let triangle = Triangle(in: mapArea)
        // The export's ternary map, at the screen's resolution: its colour map and its markers.
        let map = map(resolution: 60)
        let figure = ternaryMap(map)
        let colors = TerminalColormap.matching(figure.colormap)
        // The colour scale: from the smallest value to the 95th percentile (KL is infinite on
        // the edges), sampled over the pixels drawn.
        var values: [Double] = []
        values.reserveCapacity(triangle.width * triangle.height)
        for y in 0 ..< triangle.height {
            for x in 0 ..< triangle.width { values.append(triangle.simplexPoint(x: x, y: y).map(value) ?? .nan) }
        }
        let low = quantile(values, 0) ?? 0
        let high = max(quantile(values, 0.95) ?? 1, low + 1e-12)
        let image = HalfBlockImage(width: triangle.width, height: triangle.height) { x, y in
            let v = values[y * triangle.width + x]
            guard !v.isNaN else { return nil }
            let level = v.isFinite ? min(max((v - low) / (high - low), 0), 1) : 1
            return Pixel(color: heatColor(level, in: colors, theme: theme), level: level)
        }
        image.draw(into: &buffer, x: triangle.origin.x, y: triangle.origin.y, clip: mapArea, theme: theme)

        // Vertex labels.
        let labels = ["1", "2", "3"]
        for (index, vertex) in [SimplexPoint(1, 0, 0), SimplexPoint(0, 1, 0), SimplexPoint(0, 0, 1)].enumerated() {
            guard let cell = triangle.cell(of: vertex) else { continue }
            let x = index == 0 ? cell.column - 2 : (index == 1 ? cell.column + 2 : cell.column)
            let y = index == 2 ? cell.row - 1 : cell.row
            buffer.write("class " + labels[index], x: index == 0 ? max(mapArea.x, x - 6) : x, y: max(mapArea.y, y), .bold)
        }

        // The figure's markers (the target's ring on top of the minimiser's star), then the cursor.
        let minimum = map.minimiser
        for marker in figure.markers.reversed() {
            guard let cell = triangle.cell(of: SimplexPoint(marker.point.x, marker.point.y, marker.point.z)) else { continue }
            let ink = marker.shape == .ring ? marker.stroke : marker.fill
            buffer.put(LineChartView.symbol(marker.shape, theme: theme), x: cell.column, y: cell.row,
                       Style(foreground: theme.color(ink.terminal), attributes: .bold))
        }
        if let cell = triangle.cell(of: cursor) {
            buffer.put("+", x: cell.column, y: cell.row, Style(foreground: theme.color(.brightWhite), attributes: .bold))
        }

        var panel = Panel(panelArea)
        panel.line("Simplex · Proposition 1", .bold, into: &buffer)
        panel.line(penalty.formula + (penalty.isComposite ? ", λ = \(fixed(lambda, 2))" : ""), into: &buffer)
        panel.gap()
        panel.field("◎ ŷ", triple((target.x, target.y, target.z)), selected: selected == .target, labelWidth: 10, into: &buffer)
        panel.field("+ cursor", triple((cursor.x, cursor.y, cursor.z)), selected: selected == .cursor, labelWidth: 10, into: &buffer)
        panel.field("λ", fixed(lambda, 2) + (penalty.isComposite ? "" : " (unused)"), selected: selected == .lambda, labelWidth: 10, into: &buffer)
        panel.gap()
        panel.line("★ min at  " + (minimum.map { triple(($0.p.x, $0.p.y, $0.p.z)) } ?? "–"), into: &buffer)
        panel.line("  value there   " + fixed(minimum?.value, 4), into: &buffer)
        panel.line("  at the cursor " + fixed(value(at: cursor), 4), into: &buffer)
        panel.line("  at ŷ          " + fixed(value(at: target), 4), into: &buffer)
        panel.gap()
        if penalty == .db {
            panel.paragraph(diceBiasNote(starAt: minimum.map { [$0.p.x, $0.p.y, $0.p.z] }), into: &buffer)
        } else if penalty == .klPlusDB {
            panel.paragraph("Dice's bias pulls CE's minimum from ŷ towards the vertex of the largest class.", into: &buffer)
        } else {
            panel.paragraph("Smallest at ŷ itself: it encourages the true proportions.", into: &buffer)
        }
        // The colour bar.
        if panel.remaining >= 3 {
            panel.gap()
            let bar = panel.take(1)
            let width = max(0, bar.width - 2)
            for i in 0 ..< width {
                let level = width > 1 ? Double(i) / Double(width - 1) : 0
                buffer.put(theme.hasColor ? " " : theme.shade(level), x: bar.x + 1 + i, y: bar.y,
                           Style(background: theme.color(heatColor(level, in: colors, theme: theme))))
            }
            let scale = panel.take(1)
            buffer.write(fixed(low, 2), x: scale.x + 1, y: scale.y)
            let top = "≥ " + fixed(high, 2)
            buffer.write(top, x: scale.maxX - top.count - 1, y: scale.y)
        }
    }

    // MARK: Help

    public var keys: [(key: String, action: String)] {
        [("↑↓←→ hjkl", "move ŷ or the cursor (→ towards class 2, ↑ towards class 3), or change λ; Shift or HJKL: fine"),
         ("[ ]", "select ŷ, the cursor or λ"),
         ("p", "next penalty: DB, KL, L1, KL + λ·DB, KL + λ·L1"),
         ("m / y", "put the cursor on the minimiser / on ŷ"),
         ("click/drag", "move the cursor"),
         ("r", "reset")]
    }

    public var hints: [(key: String, action: String)] { [("←→↑↓", "move"), ("p", "penalty"), ("m", "to min")] }

    public var about: String {
        "A penalty over the simplex of predicted proportions p̂ = (p̂₁, p̂₂, p̂₃), the paper's sums over k, for the target ŷ (◎). "
            + "Dice's bias DB = Σ log(p̂ₖ + ŷₖ) (Eq. 1) is concave, so it is smallest (★) at a vertex: that of the largest ŷₖ "
            + "(Proposition 1, Eq. 2) — a prediction with every pixel in one region. CE's hidden KL (Eq. 4) and the L1 "
            + "regulariser (Eq. 5) are smallest at ŷ itself. Colours run from the smallest value (dark) to the 95th percentile."
    }
}

/// The equilateral triangle of the simplex in a screen area, drawn in half-block pixels (one
/// column wide, half a row high, so about square): vertex 1 bottom left, 2 bottom right, 3 on top.
struct Triangle {
    /// The top-left cell of the pixel grid.
    let origin: (x: Int, y: Int)
    /// The pixel grid's size (height in half rows).
    let width: Int
    let height: Int
    /// The triangle's side and height in pixels.
    let side: Double
    let altitude: Double

    init(in area: Rect) {
        // Room for the vertex labels: a row above and below, a few columns either side.
        let usable = area.inset(horizontal: 8, vertical: 1)
        let maxSide = min(Double(usable.width), Double(usable.height * 2) * 2 / 3.0.squareRoot())
        side = max(0, maxSide.rounded(.down))
        altitude = side * 3.0.squareRoot() / 2
        width = Int(side)
        height = Int(altitude.rounded(.up))
        origin = (usable.x + (usable.width - width) / 2, usable.y + (usable.height - (height + 1) / 2) / 2)
    }

    /// The simplex point at the centre of pixel (x, y), nil outside the triangle.
    func simplexPoint(x: Int, y: Int) -> SimplexPoint? { simplexPoint(px: Double(x) + 0.5, py: Double(y) + 0.5, clamped: false) }

    func simplexPoint(px: Double, py: Double, clamped: Bool) -> SimplexPoint? {
        guard side > 0 else { return nil }
        var p3 = (altitude - py) / altitude
        if clamped { p3 = min(max(p3, 0), 1) }
        guard p3 >= 0, p3 <= 1 else { return nil }
        let left = side / 2 * p3, right = side - side / 2 * p3
        var t = right > left ? (px - left) / (right - left) : 0.5
        if clamped { t = min(max(t, 0), 1) }
        guard t >= 0, t <= 1 else { return nil }
        let p2 = (1 - p3) * t
        return SimplexPoint(max(0, 1 - p3 - p2), p2, p3)
    }

    /// The point under a terminal cell (its centre), nil outside unless `clamped`.
    func point(column: Int, row: Int, clamped: Bool) -> SimplexPoint? {
        simplexPoint(px: Double(column - origin.x) + 0.5, py: Double(row - origin.y) * 2 + 1, clamped: clamped)
    }

    /// The cell holding simplex point `p`.
    func cell(of p: SimplexPoint) -> (column: Int, row: Int)? {
        guard side > 0 else { return nil }
        let py = altitude * (1 - p.z)
        let left = side / 2 * p.z, right = side - side / 2 * p.z
        let px = left + (right - left) * (p.x + p.y > 0 ? p.y / (p.x + p.y) : 0.5)
        return (origin.x + min(width - 1, Int(px)), origin.y + min((height - 1) / 2, Int(py / 2)))
    }
}

extension ScreenID {
    public static let simplex = ScreenID("simplex")
}

extension AppState {
    /// The Simplex screen's state.
    public var simplex: SimplexScreen {
        get { self[SimplexScreen.self] }
        set { self[SimplexScreen.self] = newValue }
    }
}

extension SimplexScreen {
    /// `simplex:penalty=kl+l1,yhat=0.5,0.3,0.2,cursor=0.2,0.2,0.6,lambda=2`.
    static var stateKeys: [StateKey<SimplexScreen>] {
        func point(_ name: String, _ path: WritableKeyPath<SimplexScreen, SimplexPoint>, floor: Double) -> StateKey<SimplexScreen> {
            .proportions(name, floor: floor, count: { _ in 3 }, get: { let p = $0[keyPath: path]; return [p.x, p.y, p.z] },
                         set: { $0[keyPath: path] = SimplexPoint($1[0], $1[1], $1[2]) })
        }
        return [.choice("penalty", \.penalty), point("yhat", \.target, floor: targetFloor), point("cursor", \.cursor, floor: 0),
                .number("lambda", \.lambda, in: 0 ... 10)]
    }
}
