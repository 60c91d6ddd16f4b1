import Foundation
import TerminalUI

/// The app's one state transition: pure, so every key sequence is a unit test. Effects (quit,
/// write an export) come back as values for the loop to perform.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    switch message {
    case .resize(let width, let height):
        state.width = max(0, width)
        state.height = max(0, height)
        return []
    case .tick:
        state.withCurrent { $0.tick() }
        return []
    case .runsChanged, .computed:
        state.broadcast(message)
        return []
    case .launched(let name, _):
        state.broadcast(message)
        state.message = "launched \(name) in the background"
        return []
    case .effectFailed(let reason):
        state.message = reason
        return []
    case .launchFailed(_, let reason):
        state.broadcast(message)
        state.message = reason
        return []
    case .exported(.success(let paths)):
        state.message = "saved " + paths.map(displayPath).joined(separator: ", ")
        return []
    case .exported(.failure(let failure)):
        state.message = "export failed: " + failure.reason
        return []
    case .mouse(let event):
        guard !state.showsHelp, !state.isTooSmall else { return [] }
        if event.kind == .press, event.y == 0, let screen = tab(at: event.x, width: state.width) {
            open(screen, &state)
            return []
        }
        let area = state.contentArea
        return apply(state.withCurrent { $0.handle(event, in: area) }, &state)
    case .key(let key):
        return handle(key, &state)
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if key == .control("c") { return [.quit] }
    // A field that text is typed into takes every printable key, q and digits included.
    if !state.showsHelp, state.current.takesFirst(key) {
        return apply(state.withCurrent { $0.handle(key) }, &state)
    }
    if key == .character("q") { return [.quit] }
    if state.showsHelp {
        if key == .character("?") || key == .escape || key == .enter { state.showsHelp = false }
        return []
    }
    // The lesson takes its own keys (→ ← space Enter Esc w) before the screen does.
    if state.handleLesson(key) { return [] }
    if key == .character("w") {
        state.openLesson()
        return []
    }
    let screens = ScreenID.allCases
    switch key {
    case .character("?"), .function(1):
        state.showsHelp = true
    case .tab:
        open(screens[(state.screen.index + 1) % screens.count], &state)
    case .backTab:
        open(screens[(state.screen.index + screens.count - 1) % screens.count], &state)
    case .character(let c) where screens.contains(where: { $0.key == c }):
        open(screens.first { $0.key == c }!, &state)
    case .character("e"):
        guard let request = state.current.export() else {
            state.message = state.current.nothingToExport
            return []
        }
        state.message = "exporting…"
        return [.export(request)]
    case .character("r"):
        state.withCurrent { $0.reset() }
        state.message = "reset"
    default:
        return apply(state.withCurrent { $0.handle(key) }, &state)
    }
    return []
}

/// What a screen's key or click came to: its line on the status bar, its effects for the loop.
private func apply(_ response: Response, _ state: inout AppState) -> [Effect] {
    if let message = response.message { state.message = message }
    return response.effects
}

private func open(_ screen: ScreenID, _ state: inout AppState) {
    guard screen != state.screen else { return }
    state.screen = screen
    state.message = ""
}

/// The tab under column `x` of the tab bar, as `render` lays it out.
func tab(at x: Int, width: Int) -> ScreenID? {
    let placed = tabBar(selected: .curves).layout(width: width).tabs
    return placed.firstIndex { $0.columns.contains(x) }.map { ScreenID.allCases[$0] }
}

/// A path as the status bar shows it: relative to the working folder when inside it.
func displayPath(_ path: String) -> String {
    let folder = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
}
