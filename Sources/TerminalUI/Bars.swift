/// A one-line bar from the top of the app: the screens as tabs, the current one highlighted.
public struct TabBar: Widget, Sendable, Equatable {
    public var title: String
    public var tabs: [String]
    public var selected: Int
    public var trailing: String

    public init(title: String, tabs: [String], selected: Int, trailing: String = "") {
        self.title = title; self.tabs = tabs; self.selected = selected; self.trailing = trailing
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area).top(1)
        guard !area.isEmpty else { return }
        buffer.fill(area, with: Cell(" ", background: theme.hasColor ? .indexed(236) : .default))
        let bar = Style(foreground: theme.color(.indexed(252)), background: theme.color(.indexed(236)))
        var x = area.x
        x += buffer.write(" " + title + " ", x: x, y: area.y, Style(foreground: bar.foreground, background: bar.background, attributes: .bold),
                          limit: area.maxX - x)
        // The trailing text only shows when every tab fits beside it.
        let tabsWidth = tabs.reduce(0) { $0 + $1.count + 2 }
        let trailing = x + tabsWidth + self.trailing.count <= area.maxX ? self.trailing : ""
        for (index, tab) in tabs.enumerated() {
            let text = " \(tab) "
            guard x + text.count <= area.maxX - trailing.count else { break }
            let style = index == selected
                ? Style(foreground: theme.color(.black), background: theme.color(.indexed(214)), attributes: theme.hasColor ? .bold : [.bold, .reverse])
                : bar
            x += buffer.write(text, x: x, y: area.y, style)
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
