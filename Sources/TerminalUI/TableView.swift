/// A table: a header row, then rows of text; columns as wide as their widest cell (the last
/// columns are dropped when the area is too narrow), numbers right-aligned.
public struct TableView: Widget, Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }
    public var header: [String]
    public var rows: [[String]]
    public var alignments: [Alignment]
    /// Row indices drawn in reverse video.
    public var highlighted: Set<Int>
    public var spacing: Int

    public init(header: [String], rows: [[String]], alignments: [Alignment]? = nil, highlighted: Set<Int> = [], spacing: Int = 2) {
        self.header = header
        self.rows = rows
        self.alignments = alignments ?? header.indices.map { $0 == 0 ? .left : .right }
        self.highlighted = highlighted
        self.spacing = spacing
    }

    public func columnWidths() -> [Int] {
        header.indices.map { column in
            ([header[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area)
        let widths = columnWidths()
        func draw(_ cells: [String], row: Int, style: Style) {
            var x = area.x
            for column in cells.indices where column < widths.count {
                let width = widths[column]
                guard x + width <= area.maxX else { break }
                let text = alignments[column] == .right ? padLeft(cells[column], width) : padRight(cells[column], width)
                buffer.write(text, x: x, y: row, style)
                x += width + spacing
            }
        }
        draw(header, row: area.y, style: .bold)
        for (index, cells) in rows.enumerated() where index + 1 < area.height {
            draw(cells, row: area.y + 1 + index, style: highlighted.contains(index) ? .reverse : .plain)
        }
    }
}
