import TerminalUI

/// An arrow-like key: which way, and whether the fine step (Shift, or the capital letter).
struct Nudge: Equatable {
    enum Direction: Equatable { case up, down, left, right }
    let direction: Direction
    let fine: Bool

    /// +1 for up and right, −1 for down and left.
    var sign: Double { direction == .up || direction == .right ? 1 : -1 }

    /// Arrows and hjkl take the coarse step; Shift-arrows and HJKL the fine one.
    init?(_ key: Key) {
        switch key {
        case .up, .character("k"): (direction, fine) = (.up, false)
        case .down, .character("j"): (direction, fine) = (.down, false)
        case .left, .character("h"): (direction, fine) = (.left, false)
        case .right, .character("l"): (direction, fine) = (.right, false)
        case .shiftUp, .character("K"): (direction, fine) = (.up, true)
        case .shiftDown, .character("J"): (direction, fine) = (.down, true)
        case .shiftLeft, .character("H"): (direction, fine) = (.left, true)
        case .shiftRight, .character("L"): (direction, fine) = (.right, true)
        default: return nil
        }
    }
}

/// `[` and `]`: the previous or next parameter, wrapping.
func cycled(_ index: Int, count: Int, key: Key) -> Int? {
    switch key {
    case .character("["): (index + count - 1) % count
    case .character("]"): (index + 1) % count
    default: nil
    }
}

/// The keys every screen shares, for the help overlay.
var commonKeys: [(key: String, action: String)] { [
    ("\(ScreenID.keyRange) Tab", "switch screen (Shift-Tab: back)"),
    ("e", "export this view as SVG and CSV into exports/"),
    ("w", "the guided lesson: the paper's seven claims, → ← between steps, space the answer"),
    ("?", "this help; Esc closes it"),
    ("q", "quit (Ctrl-C too)"),
] }
