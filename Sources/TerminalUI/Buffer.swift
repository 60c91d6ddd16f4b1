/// A grid of cells that widgets draw into and a terminal shows. Drawing outside the grid is
/// ignored, so a widget given a rectangle larger than the screen, or an empty one, is safe.
public struct Buffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Text is written in ASCII words ("Σ" as "sum", "p̂" as "p^": `asciiSpelling`), for a
    /// terminal whose locale is not UTF-8; set by whoever renders with an ASCII `Theme`.
    public var spellsASCII = false

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle at (0, 0).
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// The cell at column `x`, row `y`; reading outside gives a blank cell, writing there does nothing.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
        set { if contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    /// Draws `symbol` at (x, y) in `style`.
    public mutating func put(_ symbol: Character, x: Int, y: Int, _ style: Style = .plain) {
        guard contains(x: x, y: y) else { return }
        cells[y * width + x] = cells[y * width + x].drawing(symbol, style)
    }

    /// Writes `text` from (x, y) rightwards, one character a cell, at most `limit` cells; returns
    /// the number of columns the text takes (drawn or clipped).
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, _ style: Style = .plain, limit: Int = .max) -> Int {
        var column = x
        for character in spelled(text) {
            guard column - x < limit else { break }
            put(character, x: column, y: y, style)
            column += 1
        }
        return column - x
    }

    /// `text` as this buffer writes it: in ASCII words when `spellsASCII`, else unchanged. Wrap
    /// the spelled text, so that lines fit once written.
    public func spelled(_ text: String) -> String { spellsASCII ? asciiSpelling(text) : text }

    /// Writes `text` inside `rect`'s first row, clipped to its width.
    @discardableResult
    public mutating func write(_ text: String, in rect: Rect, _ style: Style = .plain) -> Int {
        guard !rect.isEmpty else { return 0 }
        return write(text, x: rect.x, y: rect.y, style, limit: rect.width)
    }

    /// Fills `rect` with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for row in clipped.y ..< clipped.maxY {
            for column in clipped.x ..< clipped.maxX { cells[row * width + column] = cell }
        }
    }

    /// Changes the style of every cell in `rect`, keeping the characters.
    public mutating func restyle(_ rect: Rect, _ style: Style) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for row in clipped.y ..< clipped.maxY {
            for column in clipped.x ..< clipped.maxX {
                let index = row * width + column
                cells[index] = cells[index].drawing(cells[index].symbol, style)
            }
        }
    }

    /// The characters, one string a row (trailing spaces kept, so every line is `width` long).
    public func lines() -> [String] {
        (0 ..< height).map { row in
            var line = ""
            line.reserveCapacity(width)
            for column in 0 ..< width { line.append(cells[row * width + column].symbol) }
            return line
        }
    }

    /// The screen as text, one line a row, trailing spaces removed: what a person reads.
    public func text() -> String {
        lines().map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }
}
