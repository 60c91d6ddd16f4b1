/// A drawing surface of braille dots: each cell holds 2 × 4 dots (U+2800 + a bit per dot), so
/// a curve has twice the horizontal and four times the vertical resolution of text. Points are
/// joined by straight lines, clipped to the canvas. Each cell takes the colour of the last
/// thing drawn in it; with an ASCII theme a cell shows the marker of its last owner instead.
public struct BrailleCanvas: Sendable {
    /// The size in cells.
    public let columns: Int
    public let rows: Int
    private var masks: [UInt8]
    private var colors: [TerminalColor]
    private var owners: [Int]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        masks = [UInt8](repeating: 0, count: self.columns * self.rows)
        colors = [TerminalColor](repeating: .default, count: masks.count)
        owners = [Int](repeating: 0, count: masks.count)
    }

    /// The size in dots.
    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    /// The bit of the dot at (column, row) inside a cell: braille numbers its dots 1-2-3-7 down
    /// the left column and 4-5-6-8 down the right.
    /// Packed a byte each, left column first (bytes 0…3: 0x01, 0x02, 0x04, 0x40; 4…7: 0x08, 0x10,
    /// 0x20, 0x80), so that setting a dot reads no array.
    private static let bits: UInt64 = 0x8020_1008_4004_0201

    /// Sets the dot at (x, y), x rightwards and y downwards from the top-left dot.
    public mutating func set(x: Int, y: Int, color: TerminalColor = .default, owner: Int = 0) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let index = (y / 4) * columns + x / 2
        masks[index] |= UInt8(truncatingIfNeeded: Self.bits >> (8 * ((x % 2) * 4 + y % 4)))
        colors[index] = color
        owners[index] = owner
    }

    /// How many dots are set in the cells of `rect` (cell coordinates of the canvas).
    public func count(in rect: Rect) -> Int {
        let clipped = rect.intersection(Rect(x: 0, y: 0, width: columns, height: rows))
        guard !clipped.isEmpty else { return 0 }
        var total = 0
        for row in clipped.y ..< clipped.maxY {
            for column in clipped.x ..< clipped.maxX { total += masks[row * columns + column].nonzeroBitCount }
        }
        return total
    }

    /// A straight line between two points in dot coordinates (fractions allowed), clipped to
    /// the canvas (Liang–Barsky), so a segment running far off the canvas costs nothing extra.
    public mutating func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double),
                              color: TerminalColor = .default, owner: Int = 0) {
        guard dotWidth > 0, dotHeight > 0, a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return }
        let (xmin, xmax) = (-0.5, Double(dotWidth) - 0.5)
        let (ymin, ymax) = (-0.5, Double(dotHeight) - 0.5)
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        // The four edges in turn (a loop over a literal array would allocate it at every segment).
        func clip(_ p: Double, _ q: Double) -> Bool {
            if p == 0 { return q >= 0 }
            let r = q / p
            if p < 0 { if r > t1 { return false } else if r > t0 { t0 = r } }
            else { if r < t0 { return false } else if r < t1 { t1 = r } }
            return true
        }
        guard clip(-dx, a.x - xmin), clip(dx, xmax - a.x), clip(-dy, a.y - ymin), clip(dy, ymax - a.y) else { return }
        let start = (x: a.x + t0 * dx, y: a.y + t0 * dy), end = (x: a.x + t1 * dx, y: a.y + t1 * dy)
        // Rounded to the nearest dot, kept on the canvas (a clipped end at −0.5 rounds to 0, not −1).
        func dot(_ x: Double, _ y: Double) {
            set(x: min(max(x.nearestInteger, 0), dotWidth - 1), y: min(max(y.nearestInteger, 0), dotHeight - 1), color: color, owner: owner)
        }
        let steps = Int(max(abs(end.x - start.x), abs(end.y - start.y)).rounded(.up))
        if steps == 0 { return dot(start.x, start.y) }
        for step in 0 ... steps {
            let t = Double(step) / Double(steps)
            dot(start.x + t * (end.x - start.x), start.y + t * (end.y - start.y))
        }
    }

    /// Draws the set cells into `buffer` with the canvas's top-left cell at (x, y); empty cells
    /// are left as they are, so a canvas can be laid over axes and rules.
    public func draw(into buffer: inout Buffer, x: Int, y: Int, theme: Theme) {
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                let index = row * columns + column
                let mask = masks[index]
                guard mask != 0 else { continue }
                let symbol: Character = theme.unicode
                    ? Character(Unicode.Scalar(0x2800 + UInt32(mask))!)
                    : theme.marker(owners[index])
                buffer.put(symbol, x: x + column, y: y + row, Style(foreground: theme.color(colors[index])))
            }
        }
    }
}
