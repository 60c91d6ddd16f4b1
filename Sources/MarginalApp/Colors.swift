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
}
