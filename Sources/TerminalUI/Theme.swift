import MarginalFigure

/// How many colours the terminal shows.
public enum ColorDepth: String, Sendable, Equatable {
    /// `NO_COLOR`, or a terminal without colours: attributes and characters only.
    case monochrome
    /// The 16 basic colours (8 on some terminals, which show the nearest of those).
    case basic
    /// The xterm 256-colour palette.
    case extended
}

/// What the terminal can show, and so which characters and colours widgets choose.
public struct Theme: Sendable, Equatable {
    public var colors: ColorDepth
    /// False when the locale is not UTF-8: widgets draw with ASCII only.
    public var unicode: Bool

    public init(colors: ColorDepth = .extended, unicode: Bool = true) {
        self.colors = colors
        self.unicode = unicode
    }

    /// The theme tests render with: 256 colours and Unicode.
    public static let standard = Theme()

    public var hasColor: Bool { colors != .monochrome }

    // MARK: Characters

    public var horizontal: Character { unicode ? "─" : "-" }
    public var vertical: Character { unicode ? "│" : "|" }
    public var topLeft: Character { unicode ? "┌" : "+" }
    public var topRight: Character { unicode ? "┐" : "+" }
    public var bottomLeft: Character { unicode ? "└" : "+" }
    public var bottomRight: Character { unicode ? "┘" : "+" }
    /// A tick on a y axis (pointing left) and on an x axis (pointing down).
    public var yTick: Character { unicode ? "┤" : "+" }
    public var xTick: Character { unicode ? "┬" : "+" }
    /// A dashed vertical rule (a reference line in a chart).
    public var rule: Character { unicode ? "┊" : ":" }
    /// Upper half block: foreground above, background below.
    public var upperHalf: Character { unicode ? "▀" : "\"" }
    public var lowerHalf: Character { unicode ? "▄" : "." }
    public var fullBlock: Character { unicode ? "█" : "#" }
    public var ellipsis: String { unicode ? "…" : "." }

    /// Series markers, distinct in shape so that series stay apart without colour.
    public var markers: [Character] { unicode ? ["●", "■", "▲", "◆", "✚", "★", "○", "□"] : ["o", "#", "^", "*", "+", "x", "@", "%"] }

    public func marker(_ index: Int) -> Character { markers[((index % markers.count) + markers.count) % markers.count] }

    /// Shades from empty to full, for heat maps without colour.
    public var shades: [Character] { unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"] }

    /// The shade for `level` ∈ [0, 1].
    public func shade(_ level: Double) -> Character {
        let levels = shades
        let clamped = level.isNaN ? 0 : min(max(level, 0), 1)
        return levels[min(levels.count - 1, Int(clamped * Double(levels.count - 1) + 0.5))]
    }

    /// Colour `color` where the terminal has colours, nothing otherwise.
    public func color(_ color: TerminalColor) -> TerminalColor? { hasColor ? color : nil }
}

/// A colour map at the nearest entries of the 256-colour palette: 64 levels, computed once.
public struct TerminalColormap: Sendable, Equatable {
    public let colormap: Colormap
    private let colors: [TerminalColor]

    public init(_ colormap: Colormap) {
        self.colormap = colormap
        colors = (0 ..< 64).map { index in TerminalColor.rgb(colormap.color(at: Double(index) / 63).hexOnDark) }
    }

    /// The colour for `level` ∈ [0, 1] (clamped; NaN is the low end).
    public func color(_ level: Double) -> TerminalColor {
        let clamped = level.isNaN ? 0 : min(max(level, 0), 1)
        return colors[Int((clamped * Double(colors.count - 1)).rounded())]
    }

    /// matplotlib's viridis, the colour map of every heat map of the figures.
    public static let viridis = TerminalColormap(.viridis)

    /// The terminal colours of `colormap`: viridis's computed once, any other's now.
    public static func matching(_ colormap: Colormap) -> TerminalColormap {
        colormap == .viridis ? .viridis : TerminalColormap(colormap)
    }
}

/// The heat-map colour for `level` ∈ [0, 1] in `colormap` (the figure model's; viridis, dark
/// purple to yellow, as the figures use it), at the nearest entry of the 256-colour palette; on
/// a basic terminal a step of `basicHeatRamp`, so that the colours still rise with the level.
public func heatColor(_ level: Double, in colormap: TerminalColormap = .viridis, theme: Theme = .standard) -> TerminalColor {
    guard theme.colors == .basic else { return colormap.color(level) }
    let clamped = level.isNaN ? 0 : min(max(level, 0), 1)
    return basicHeatRamp[Int((clamped * Double(basicHeatRamp.count - 1)).rounded())]
}
