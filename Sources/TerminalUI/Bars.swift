/// A one-line bar from the top of the app: the screens as tabs, the current one highlighted.
public struct TabBar: Widget, Sendable, Equatable {
    public var title: String
    public var tabs: [String]
    public var selected: Int
    public var trailing: String

    public init(title: String, tabs: [String], selected: Int, trailing: String = "") {
        self.title = title; self.tabs = tabs; self.selected = selected; self.trailing = trailing
    }

    /// The bar as drawn `width` columns wide: whether the title shows, and each tab's label and
    /// columns (from the bar's left edge). The title and every tab whole where they fit; else the
    /// tabs without the title; else every label cut to the same length (its number and first
    /// letters: "4 Tem"), so that every tab shows and can be clicked.
    public func layout(width: Int) -> (showsTitle: Bool, tabs: [(label: String, columns: Range<Int>)]) {
        func place(_ labels: [String], from start: Int) -> [(label: String, columns: Range<Int>)] {
            var x = start
            return labels.map { label in
                defer { x += label.count + 2 }
                return (label, x ..< x + label.count + 2)
            }
        }
        let whole = tabs.reduce(0) { $0 + $1.count + 2 }
        let titleWidth = title.count + 2
        if titleWidth + whole <= width { return (true, place(tabs, from: titleWidth)) }
        let longest = tabs.map(\.count).max() ?? 0
        for length in stride(from: longest, through: 1, by: -1) {
            let labels = tabs.map { String($0.prefix(length)) }
            if labels.reduce(0, { $0 + $1.count + 2 }) <= width { return (false, place(labels, from: 0)) }
        }
        return (false, place(tabs.map { String($0.prefix(1)) }, from: 0))
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area).top(1)
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", background: theme.hasColor ? .indexed(236) : .default))
        let bar = Style(foreground: theme.color(.indexed(252)), background: theme.color(.indexed(236)))
        let (showsTitle, placed) = layout(width: area.width)
        if showsTitle {
            buffer.write(" " + title + " ", x: area.x, y: area.y, Style(foreground: bar.foreground, background: bar.background, attributes: .bold),
                         limit: area.width)
        }
        // The trailing text only shows when every tab fits beside it.
        let end = placed.last?.columns.upperBound ?? 0
        let trailing = end + self.trailing.count <= area.width ? self.trailing : ""
        for (index, tab) in placed.enumerated() where tab.columns.upperBound <= area.width {
            let style = index == selected
                ? Style(foreground: theme.color(.black), background: theme.color(.indexed(214)), attributes: theme.hasColor ? .bold : [.bold, .reverse])
                : bar
            buffer.write(" \(tab.label) ", x: area.x + tab.columns.lowerBound, y: area.y, style)
        }
        if !trailing.isEmpty {
            buffer.write(trailing, x: area.maxX - trailing.count, y: area.y, bar)
        }
    }
}

/// A one-line bar at the bottom: key hints on the left, a message (an export's path, an error)
/// on the right, which wins the space when both do not fit.
public struct StatusBar: Widget, Sendable, Equatable {
    public var hints: [(key: String, action: String)]
    public var message: String

    public init(hints: [(key: String, action: String)], message: String = "") {
        self.hints = hints
        self.message = message
    }

    public static func == (a: StatusBar, b: StatusBar) -> Bool {
        a.message == b.message && a.hints.map(\.key) == b.hints.map(\.key) && a.hints.map(\.action) == b.hints.map(\.action)
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area).top(1)
        guard !area.isEmpty else { return }
        let background = theme.color(.indexed(236))
        buffer.fill(area, with: Cell(" ", background: background ?? .default))
        let messageWidth = min(message.count, area.width)
        let hintsEnd = area.maxX - (messageWidth > 0 ? messageWidth + 1 : 0)
        var x = area.x + 1
        for hint in hints {
            let width = hint.key.count + 1 + hint.action.count
            guard x + width <= hintsEnd else { break }
            x += buffer.write(hint.key, x: x, y: area.y, Style(foreground: theme.color(.indexed(214)), background: background, attributes: .bold))
            x += buffer.write(" " + hint.action, x: x, y: area.y, Style(foreground: theme.color(.indexed(250)), background: background))
            x += 2
        }
        if messageWidth > 0 {
            buffer.write(truncate(message, width: messageWidth, theme: theme), x: area.maxX - messageWidth, y: area.y,
                         Style(foreground: theme.color(.brightWhite), background: background, attributes: theme.hasColor ? .bold : .reverse))
        }
    }
}
