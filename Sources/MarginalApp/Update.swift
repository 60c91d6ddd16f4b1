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
        if state.screen == .toy { state.toy.tick() }
        return []
    case .runsChanged(let runs):
        state.runs.show(runs)
        return []
    case .launched(let name, let command):
        state.runs.lastCommand = command
        state.message = "launched \(name) in the background"
        return []
    case .effectFailed(let reason):
        state.message = reason
        return []
    case .launchFailed(let name, let reason):
        state.runs.launchFailed(name)
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
        _ = state.withCurrent { $0.handle(event, in: area) }
        return []
    case .key(let key):
        return handle(key, &state)
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if key == .control("c") { return [.quit] }
    // The launch form's name field takes every printable key, q and digits included.
    if state.screen == .runs, !state.showsHelp, state.runs.takesFirst(key) {
        return perform(state.runs.handleWithOutcome(key), &state)
    }
    if key == .character("q") { return [.quit] }
    if state.showsHelp {
        if key == .character("?") || key == .escape || key == .enter { state.showsHelp = false }
        return []
    }
    switch key {
    case .character("?"), .function(1):
        state.showsHelp = true
    case .tab:
        open(ScreenID.allCases[(ScreenID.allCases.firstIndex(of: state.screen)! + 1) % ScreenID.allCases.count], &state)
    case .backTab:
        let count = ScreenID.allCases.count
        open(ScreenID.allCases[(ScreenID.allCases.firstIndex(of: state.screen)! + count - 1) % count], &state)
    case .character(let c) where ScreenID.allCases.contains(where: { $0.key == c }):
        open(ScreenID.allCases.first { $0.key == c }!, &state)
    case .character("e"):
        guard let request = state.current.export() else {
            state.message = state.screen == .runs
                ? "nothing to export here yet: a run's monitor (Enter) or a comparison (c) exports once a run has an evaluation"
                : "nothing to export here"
            return []
        }
        state.message = "exporting…"
        return [.export(request)]
    case .character("r"):
        state.withCurrent { $0.reset() }
        state.message = "reset"
    default:
        if state.screen == .runs { return perform(state.runs.handleWithOutcome(key), &state) }
        if state.withCurrent({ $0.handle(key) }) { state.message = "" }
    }
    return []
}

/// What a key on the runs screen came to: a status line, an effect for the loop, or neither.
private func perform(_ outcome: RunsOutcome, _ state: inout AppState) -> [Effect] {
    switch outcome {
    case .ignored: return []
    case .handled: state.message = ""; return []
    case .message(let text): state.message = text; return []
    case .effect(let effect):
        if case .stop(let name, _) = effect { state.message = "stopping \(name): it finishes its step and saves…" }
        if case .launch(let request) = effect {
            state.runs.launching.insert(request.name)
            state.message = "launching \(request.name)…"
        }
        return [effect]
    }
}

private func open(_ screen: ScreenID, _ state: inout AppState) {
    guard screen != state.screen else { return }
    state.screen = screen
    state.message = ""
}

/// The tab under column `x` of the tab bar, as `render` lays it out.
func tab(at x: Int, width: Int) -> ScreenID? {
    var column = tabBarTitle.count + 2
    for screen in ScreenID.allCases {
        let label = tabLabel(screen)
        if x >= column && x < column + label.count + 2 { return screen }
        column += label.count + 2
    }
    return nil
}

/// A path as the status bar shows it: relative to the working folder when inside it.
func displayPath(_ path: String) -> String {
    let folder = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
}
