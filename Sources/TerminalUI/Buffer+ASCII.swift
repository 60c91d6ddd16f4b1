extension Buffer {
    /// The buffer with every character outside ASCII replaced by an ASCII stand-in, for a
    /// terminal whose locale is not UTF-8: "p̂" becomes "p", "λ" "l", "─" "-", a braille dot "."
    /// (widgets drawn with an ASCII `Theme` use few such characters; text labels do).
    public func asciiOnly() -> Buffer {
        var copy = self
        for row in 0 ..< height {
            for column in 0 ..< width where !self[column, row].symbol.isASCII {
                copy[column, row].symbol = asciiStandIn(self[column, row].symbol)
            }
        }
        return copy
    }
}

/// The ASCII character that stands for `character` on a terminal without Unicode.
public func asciiStandIn(_ character: Character) -> Character {
    if character.isASCII { return character }
    if let mapped = asciiTable[character] { return mapped }
    guard let first = character.unicodeScalars.first else { return "?" }
    // A letter with combining marks (p̂, ŷ written as y + U+0302): the letter alone.
    if first.isASCII { return Character(first) }
    switch first.value {
    case 0x2800 ... 0x28FF: return first.value == 0x2800 ? " " : "."  // braille
    case 0x2500 ... 0x257F: return "+"  // box drawing not listed below
    case 0x2580 ... 0x259F: return "#"  // blocks
    case 0x2080 ... 0x2089: return Character(Unicode.Scalar(first.value - 0x2080 + 0x30)!)  // subscript digits
    case 0x2070, 0x2074 ... 0x2079: return Character(Unicode.Scalar(first.value - 0x2070 + 0x30)!)
    default: return "?"
    }
}

private let asciiTable: [Character: Character] = [
    "─": "-", "━": "-", "│": "|", "┃": "|", "┊": ":", "┆": ":", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "╭": "+", "╮": "+", "╰": "+", "╯": "+",
    "▀": "\"", "▄": ".", "█": "#", "░": ".", "▒": ":", "▓": "%", "▏": "|", "▕": "|",
    "●": "o", "○": "o", "■": "#", "□": "#", "▲": "^", "▼": "v", "◆": "*", "✚": "+", "★": "*", "·": "*", "•": "*",
    "▸": ">", "◎": "o", "←": "<", "→": ">", "↑": "^", "↓": "v", "↔": "-", "⇥": ">", "⇤": "<",
    "−": "-", "–": "-", "—": "-", "×": "x", "≈": "~", "≤": "<", "≥": ">", "≠": "#", "∞": "8", "…": ".", "‖": "|",
    "λ": "L", "τ": "t", "μ": "u", "Σ": "S", "Δ": "D", "∂": "d", "ŷ": "y", "¹": "1", "²": "2", "³": "3", "⁻": "-",
    "‘": "'", "’": "'", "“": "\"", "”": "\"", "°": "o", "±": "+",
]
