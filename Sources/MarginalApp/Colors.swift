import TerminalUI

/// The explorer's colours: Okabe & Ito's palette (safe for colour-blind viewers), as the figures
/// use it, brightened where the figure colour is too dark on a black terminal.
enum Palette {
    static let vermillion = TerminalColor.rgb(0xE0601A)
    static let blue = TerminalColor.rgb(0x56B4E9)
    static let green = TerminalColor.rgb(0x19B98A)
    static let orange = TerminalColor.rgb(0xE69F00)
    static let purple = TerminalColor.rgb(0xCC79A7)
    static let yellow = TerminalColor.rgb(0xF0E442)
    static let gray = TerminalColor.indexed(244)
    static let cursor = TerminalColor.indexed(252)
    static let accent = TerminalColor.indexed(214)

    /// The classes after the background, in order: the palette (vermillion first, where the
    /// small foreground class of a binary dataset stands out most), then four 256-colour hues.
    private static let classHues: [TerminalColor] = [vermillion, blue, green, yellow, purple, orange,
                                                     .indexed(81), .indexed(213), .indexed(150), .indexed(223)]

    /// One colour a class, the same on every screen that draws classes (the toy, a run's monitor
    /// and preview): the background (class 0) gray, so that its curve shows on a chart.
    static func classColor(_ k: Int) -> TerminalColor {
        k <= 0 ? gray : classHues[(k - 1) % classHues.count]
    }

    /// A pixel of a label map with `classes` classes: the class's colour, except the background
    /// near-black (an image is mostly background) and 255 (ignored) white; without colours, a
    /// grey level from the class id.
    static func labelPixel(_ label: Int, classes: Int) -> Pixel {
        if label == 255 { return Pixel(color: .indexed(255), level: 1) }
        return Pixel(color: label == 0 ? .indexed(237) : classColor(label), level: Double(label) / Double(max(1, classes - 1)))
    }
}
