/// A terminal colour: the terminal's own default, or an entry of the 256-colour palette
/// (0–15 the basic colours, 16–231 a 6×6×6 cube, 232–255 greys). A terminal with fewer colours
/// shows the nearest one it has (`nearestBasic`; on 16 or 8 colours `basicColor`), one without
/// colours none.
public enum TerminalColor: Sendable, Equatable, Hashable {
    case `default`
    case indexed(UInt8)

    public static let black = TerminalColor.indexed(0)
    public static let red = TerminalColor.indexed(1)
    public static let green = TerminalColor.indexed(2)
    public static let yellow = TerminalColor.indexed(3)
    public static let blue = TerminalColor.indexed(4)
    public static let magenta = TerminalColor.indexed(5)
    public static let cyan = TerminalColor.indexed(6)
    public static let white = TerminalColor.indexed(7)
    public static let gray = TerminalColor.indexed(8)
    public static let brightWhite = TerminalColor.indexed(15)
}

/// Bold, dim, reverse video, underline.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let reverse = TextAttributes(rawValue: 4)
    public static let underline = TextAttributes(rawValue: 8)
}

/// How text is drawn; a `nil` colour keeps the colour already in the cell (a marker drawn over
/// a heat map keeps the map's background).
public struct Style: Sendable, Equatable {
    public var foreground: TerminalColor?
    public var background: TerminalColor?
    public var attributes: TextAttributes

    public init(foreground: TerminalColor? = nil, background: TerminalColor? = nil, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()
    public static let bold = Style(attributes: .bold)
    public static let dim = Style(attributes: .dim)
    public static let reverse = Style(attributes: .reverse)
}

/// One terminal cell: a character (with any combining marks, as in "p̂") and how it looks.
/// Every character marginal draws is one column wide.
public struct Cell: Sendable, Equatable {
    public var symbol: Character
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(_ symbol: Character = " ", foreground: TerminalColor = .default, background: TerminalColor = .default,
                attributes: TextAttributes = []) {
        self.symbol = symbol
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let blank = Cell()

    /// This cell with `symbol` drawn in `style`.
    public func drawing(_ symbol: Character, _ style: Style) -> Cell {
        Cell(symbol, foreground: style.foreground ?? foreground, background: style.background ?? background,
             attributes: style.attributes)
    }
}
