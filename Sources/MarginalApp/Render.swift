import TerminalUI

let tabBarTitle = "marginal"

func tabLabel(_ screen: ScreenID) -> String { "\(screen.key) \(screen.title)" }

/// The tab bar: the registry's screens, `selected` highlighted (`tab(at:)` reads its layout).
func tabBar(selected: ScreenID) -> TabBar {
    TabBar(title: tabBarTitle, tabs: ScreenID.allCases.map(tabLabel), selected: selected.index, trailing: " ? help  q quit ")
}

/// Draws the whole app into `buffer`: the tab bar, the current screen, the status bar, and
/// the help overlay when it is open; or, in a terminal below the minimum size, a message
/// saying so. Pure: the same state and size always give the same cells.
public func render(_ state: AppState, into buffer: inout Buffer) {
    let area = buffer.area
    guard !area.isEmpty else { return }
    buffer.fill(area)
    let theme = state.theme
    buffer.spellsASCII = !theme.unicode
    if area.width < AppState.minimumSize.width || area.height < AppState.minimumSize.height {
        let lines = wrap("marginal needs a terminal of at least \(AppState.minimumSize.width)×\(AppState.minimumSize.height); "
                         + "this one is \(area.width)×\(area.height). Enlarge it, or press q to quit.", width: max(1, area.width - 2))
        let top = max(0, (area.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            buffer.write(line, x: max(0, (area.width - line.count) / 2), y: top + index, .bold)
        }
        return
    }
    tabBar(selected: state.screen).render(in: area.top(1), into: &buffer, theme: theme)
    let screen = state.current
    let content = AppState.contentArea(width: area.width, height: area.height)
    if let lesson = state.lesson {
        // The lesson's box takes the bottom rows; the screen lays itself out in the rest, so
        // that the evidence the step points at stays whole on screen.
        let box = lessonBoxHeight(lesson, in: content)
        screen.render(in: Rect(x: content.x, y: content.y, width: content.width, height: content.height - box), into: &buffer, theme: theme)
        renderLesson(lesson, in: content, height: box, into: &buffer, theme: theme)
    } else {
        screen.render(in: content, into: &buffer, theme: theme)
    }
    // With nothing to report, the status line shows the view's state string (`marginal tui
    // --state` opens it), to paste into lecture notes.
    StatusBar(hints: screen.hints + screen.sharedHints, message: state.message.isEmpty ? state.stateString : state.message)
        .render(in: area.bottom(1), into: &buffer, theme: theme)
    if state.showsHelp {
        HelpOverlay(title: "\(state.screen.title) — keys", keys: screen.keys + commonKeys, paragraph: screen.about)
            .render(in: content, into: &buffer, theme: theme)
    }
}

/// A column of readouts drawn line by line into a part of the screen.
struct Panel {
    let area: Rect
    private(set) var row: Int

    init(_ area: Rect) {
        self.area = area
        row = area.y
    }

    var remaining: Int { max(0, area.maxY - row) }

    /// One line of text, cut to the panel's width.
    mutating func line(_ text: String, _ style: Style = .plain, into buffer: inout Buffer) {
        guard row < area.maxY else { return }
        buffer.write(text, x: area.x, y: row, style, limit: area.width)
        row += 1
    }

    /// "label  value", the whole line in reverse video when it is the selected parameter.
    mutating func field(_ label: String, _ value: String, selected: Bool = false, labelWidth: Int = 12,
                        into buffer: inout Buffer) {
        guard row < area.maxY else { return }
        let text = (selected ? "▸ " : "  ") + padRight(label, labelWidth) + value
        buffer.write(text, x: area.x, y: row, selected ? Style(attributes: [.reverse, .bold]) : .plain, limit: area.width)
        row += 1
    }

    /// Wrapped text.
    mutating func paragraph(_ text: String, _ style: Style = .dim, into buffer: inout Buffer) {
        for piece in wrap(buffer.spelled(text), width: area.width) { line(piece, style, into: &buffer) }
    }

    mutating func gap(_ rows: Int = 1) { row += rows }

    /// The next `rows` rows as a rectangle (fewer at the bottom), for a widget.
    mutating func take(_ rows: Int) -> Rect {
        let rect = Rect(x: area.x, y: row, width: area.width, height: min(rows, remaining))
        row += rect.height
        return rect
    }
}

/// The panel width beside a chart: about a third of the screen, 30 to 44 columns.
func panelWidth(_ total: Int) -> Int { min(44, max(30, total * 3 / 10)) }
