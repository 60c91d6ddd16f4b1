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

/// `text` with the paper's symbols spelled in ASCII, for a terminal without Unicode (issue 16,
/// item 3): "DB = Σ log(p̂ₖ + ŷₖ)" becomes "DB = sum log(p^_k + y^_k)". A letter with a hat is the
/// letter and "^", Σ is "sum", ∞ "inf", → "->", ± "+/-", a run of subscripts is "_" and its letters or digits; everything
/// else is left for `asciiStandIn`, cell by cell.
public func asciiSpelling(_ text: String) -> String {
    guard !text.allSatisfy(\.isASCII) else { return text }
    var out = ""
    var inSubscript = false
    for character in text {
        if let sub = subscriptCharacter(character) {
            out += inSubscript ? String(sub) : "_" + String(sub)
            inSubscript = true
            continue
        }
        inSubscript = false
        let scalars = character.unicodeScalars
        if character == "Σ" || character == "∑" {
            out += "sum"
        } else if let word = asciiWords[character] {
            out += word
        } else if let first = scalars.first, first.isASCII, scalars.dropFirst().contains("\u{0302}") {
            out += String(first) + "^"
        } else if character == "ŷ" {  // precomposed U+0177
            out += "y^"
        } else {
            out.append(character)
        }
    }
    return out
}

/// Symbols whose one-cell stand-in would read as something else ("∞" as "8", "→ −∞" as "> -8"),
/// spelled in words where the text is spelled whole.
private let asciiWords: [Character: String] = ["∞": "inf", "→": "->", "±": "+/-"]

/// The letter or digit a subscript character stands for (₁ → 1, ₖ → k); nil for others.
func subscriptCharacter(_ character: Character) -> Character? {
    guard character.unicodeScalars.count == 1, let value = character.unicodeScalars.first?.value else { return nil }
    switch value {
    case 0x2080 ... 0x2089: return Character(Unicode.Scalar(value - 0x2080 + 0x30)!)
    case 0x2090 ... 0x209C: return Array("aeoxəhklmnpst")[Int(value - 0x2090)]
    default: return nil
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
    case 0x2080 ... 0x2089, 0x2090 ... 0x209C:  // subscript digits and letters
        return subscriptCharacter(Character(first)).flatMap { $0.isASCII ? $0 : nil } ?? "?"
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
