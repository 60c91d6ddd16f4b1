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

/// Compares a whole screen with `Screens/<name>.txt` (the characters, line by line) and
/// `Screens/<name>.styles.txt` (every cell's colours and attributes, as a letter a cell with a
/// legend: `styleMap`); with MARGINAL_UPDATE_SCREENS=1 in the environment it writes both files
/// instead (then review the diff).
func expectScreen(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Screens")
    let text = folder.appendingPathComponent("\(name).txt"), styles = folder.appendingPathComponent("\(name).styles.txt")
    let actualText = buffer.lines().joined(separator: "\n") + "\n", actualStyles = styleMap(buffer)
    if ProcessInfo.processInfo.environment["MARGINAL_UPDATE_SCREENS"] == "1" {
        try actualText.write(to: text, atomically: true, encoding: .utf8)
        try actualStyles.write(to: styles, atomically: true, encoding: .utf8)
        return
    }
    for (url, actual, what) in [(text, actualText, "line"), (styles, actualStyles, "styles line")] {
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no expected screen \(url.path): run with MARGINAL_UPDATE_SCREENS=1 to write it", sourceLocation: sourceLocation)
            continue
        }
        for difference in differences(actual, expected, name: name, what: what) {
            Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
        }
    }
}

/// The lines where `actual` and `expected` differ, as messages (a different line count first).
func differences(_ actual: String, _ expected: String, name: String, what: String = "line") -> [String] {
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var found: [String] = []
    if actualLines.count != expectedLines.count {
        found.append("\(name): \(actualLines.count) \(what)s, expected \(expectedLines.count)")
    }
    for (index, (a, e)) in zip(actualLines, expectedLines).enumerated() where a != e {
        found.append("\(name) \(what) \(index + 1) differs:\n  expected: \(e)\n  actual:   \(a)")
    }
    return found
}

/// Every cell's style as one character, a row a line, under a legend that names each
/// character's colours and attributes ("b  fg 214  bg 236  bold"). Characters are given in the
/// order their styles first appear (row by row), so the same screen always gives the same text
/// and a colour changed anywhere changes a letter or the legend.
func styleMap(_ buffer: Buffer) -> String {
    struct Key: Hashable { let foreground: TerminalColor; let background: TerminalColor; let attributes: TextAttributes }
    var letters: [Key: Character] = [:]
    var legend: [String] = []
    var rows: [String] = []
    for y in 0 ..< buffer.height {
        var row = ""
        for x in 0 ..< buffer.width {
            let cell = buffer[x, y]
            let key = Key(foreground: cell.foreground, background: cell.background, attributes: cell.attributes)
            if letters[key] == nil {
                let letter = styleLetter(letters.count)
                letters[key] = letter
                legend.append("\(letter)  fg \(name(key.foreground))  bg \(name(key.background))\(names(key.attributes))")
            }
            row.append(letters[key]!)
        }
        rows.append(row)
    }
    return legend.joined(separator: "\n") + "\n\n" + rows.joined(separator: "\n") + "\n"
}

private func name(_ color: TerminalColor) -> String {
    switch color {
    case .default: "default"
    case .indexed(let index): String(index)
    }
}

private func names(_ attributes: TextAttributes) -> String {
    [(TextAttributes.bold, "bold"), (.dim, "dim"), (.reverse, "reverse"), (.underline, "underline")]
        .filter { attributes.contains($0.0) }.map { "  " + $0.1 }.joined()
}

/// The `index`th style's character: a–z, A–Z, 0–9, then single-width letters of Latin
/// Extended, IPA and Cyrillic (a heat map has many styles).
private func styleLetter(_ index: Int) -> Character {
    let ascii = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    if index < ascii.count { return ascii[index] }
    let more = Array(0x100 ..< 0x2B0) + Array(0x400 ..< 0x482) + Array(0x48A ..< 0x530)
    let offset = index - ascii.count
    precondition(offset < more.count, "more than \(ascii.count + more.count) styles on one screen")
    return Character(UnicodeScalar(UInt32(more[offset]))!)
}
