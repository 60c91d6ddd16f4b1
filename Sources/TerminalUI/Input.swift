/// A key press, as the app sees it (the terminal layer decodes its own codes into these).
public enum Key: Sendable, Equatable, Hashable {
    case character(Character)
    case up, down, left, right
    /// Shift with an arrow: the fine step.
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case tab, backTab, enter, escape, backspace
    case home, end, pageUp, pageDown
    /// Ctrl with a letter, lower case: `.control("c")`.
    case control(Character)
    case function(Int)
}

/// What the mouse did, at a cell.
public struct MouseEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The left button went down.
        case press
        /// The pointer moved with the left button held.
        case drag
        case release
    }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(_ kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}
