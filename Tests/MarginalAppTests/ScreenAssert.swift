import Foundation
import Testing
import MarginalApp
import TerminalUI

/// Renders the app into a fresh buffer of the state's size.
func screen(_ state: AppState) -> Buffer {
    var buffer = Buffer(width: state.width, height: state.height)
    render(state, into: &buffer)
    return buffer
}

/// Applies each message in turn, returning the effects of the last.
@discardableResult
func send(_ state: inout AppState, _ messages: [Message]) -> [Effect] {
    var effects: [Effect] = []
    for message in messages { effects = update(&state, message) }
    return effects
}

func keys(_ text: String) -> [Message] { text.map { .key(.character($0)) } }

/// Compares a whole screen, line by line, with `Screens/<name>.txt`; with
/// MARGINAL_UPDATE_SCREENS=1 in the environment it writes the file instead (then review the diff).
func expectScreen(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Screens/\(name).txt")
    let actual = buffer.lines().joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["MARGINAL_UPDATE_SCREENS"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no expected screen \(url.path): run with MARGINAL_UPDATE_SCREENS=1 to write it", sourceLocation: sourceLocation)
        return
    }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(actualLines.count == expectedLines.count, "\(name): line count", sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actualLines, expectedLines).enumerated() where a != e {
        Issue.record("\(name) line \(index + 1) differs:\n  expected: \(e)\n  actual:   \(a)", sourceLocation: sourceLocation)
    }
}
