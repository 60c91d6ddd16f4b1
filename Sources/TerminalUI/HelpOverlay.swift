/// A box over the middle of the screen: a title, the keys and what they do, and a paragraph.
public struct HelpOverlay: Widget, Sendable, Equatable {
    public var title: String
    public var keys: [(key: String, action: String)]
    public var paragraph: String

    public init(title: String, keys: [(key: String, action: String)], paragraph: String) {
        self.title = title; self.keys = keys; self.paragraph = paragraph
    }

    public static func == (a: HelpOverlay, b: HelpOverlay) -> Bool {
        a.title == b.title && a.paragraph == b.paragraph && a.keys.map(\.key) == b.keys.map(\.key) && a.keys.map(\.action) == b.keys.map(\.action)
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area)
        guard area.width >= 10, area.height >= 4 else { return }
        let width = min(area.width - 2, 78)
        let inner = width - 4
        let keyWidth = min(keys.map(\.key.count).max() ?? 0, inner / 3)
        // Each line, and whether it starts with a key (drawn highlighted).
        var lines: [(text: String, startsWithKey: Bool)] = []
        for (key, action) in keys {
            let wrapped = wrap(buffer.spelled(action), width: max(1, inner - keyWidth - 2))
            for (index, line) in wrapped.enumerated() {
                lines.append(((index == 0 ? padRight(key, keyWidth) : String(repeating: " ", count: keyWidth)) + "  " + line, index == 0))
            }
        }
        lines.append(("", false))
        lines += wrap(buffer.spelled(paragraph), width: inner).map { ($0, false) }
        let height = min(area.height, lines.count + 2)
        let box = area.centered(width: width, height: height)
        buffer.fill(box)
        let frame = Style(foreground: theme.color(.indexed(214)))
        for column in box.x ..< box.maxX {
            buffer.put(theme.horizontal, x: column, y: box.y, frame)
            buffer.put(theme.horizontal, x: column, y: box.maxY - 1, frame)
        }
        for row in box.y ..< box.maxY {
            buffer.put(theme.vertical, x: box.x, y: row, frame)
            buffer.put(theme.vertical, x: box.maxX - 1, y: row, frame)
        }
        buffer.put(theme.topLeft, x: box.x, y: box.y, frame)
        buffer.put(theme.topRight, x: box.maxX - 1, y: box.y, frame)
        buffer.put(theme.bottomLeft, x: box.x, y: box.maxY - 1, frame)
        buffer.put(theme.bottomRight, x: box.maxX - 1, y: box.maxY - 1, frame)
        buffer.write(" \(title) ", x: box.x + 2, y: box.y, Style(foreground: frame.foreground, attributes: .bold), limit: box.width - 4)
        let closing = " ? or Esc closes "
        if box.width > closing.count + title.count + 8 {
            buffer.write(closing, x: box.maxX - closing.count - 2, y: box.maxY - 1, .dim)
        }
        let visible = box.height - 2
        let keyStyle = Style(foreground: theme.color(.indexed(214)), attributes: .bold)
        for (index, line) in lines.prefix(visible).enumerated() {
            buffer.write(line.text, x: box.x + 2, y: box.y + 1 + index, .plain, limit: inner)
            if line.startsWithKey { buffer.restyle(Rect(x: box.x + 2, y: box.y + 1 + index, width: keyWidth, height: 1), keyStyle) }
        }
        if lines.count > visible {
            buffer.write(theme.ellipsis, x: box.maxX - 3, y: box.maxY - 2, .dim)
        }
    }
}
