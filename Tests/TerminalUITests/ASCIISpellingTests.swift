import Testing
import TerminalUI

/// Issue 16, item 3: under a locale that is not UTF-8 the paper's symbols are spelled in ASCII
/// words (they were "S? log(p? + y?)": one character a cell, subscript letters unknown).
@Suite struct ASCIISpellingTests {
    @Test func symbolsAreSpelledInWords() {
        #expect(asciiSpelling("DB = Σ log(p̂ₖ + ŷₖ)") == "DB = sum log(p^_k + y^_k)")
        #expect(asciiSpelling("Σ|p̂ − hard| at τ=1") == "sum|p^ − hard| at τ=1")
        #expect(asciiSpelling("p̂₁ and ŷ₁₂") == "p^_1 and y^_12")
        // The precomposed ŷ (U+0177) and y + U+0302 are one character to Swift; both become y^.
        #expect(asciiSpelling("\u{177} y\u{302}") == "y^ y^")
        #expect(asciiSpelling("plain ascii") == "plain ascii")
        #expect(asciiSpelling("−ŷ₁/p̂₁ → −∞, y shown: ±20") == "−y^_1/p^_1 -> −inf, y shown: +/-20")
    }

    @Test func aBufferThatSpellsASCIIWritesWordsAndTheCellFallbackNeedsNoQuestionMarks() {
        var buffer = Buffer(width: 30, height: 1)
        buffer.spellsASCII = true
        #expect(buffer.write("DB = Σ log(p̂ₖ + ŷₖ)", x: 0, y: 0) == 25)
        #expect(buffer.asciiOnly().lines() == ["DB = sum log(p^_k + y^_k)     "])
        var cells = Buffer(width: 4, height: 1)
        cells.write("p̂ₖ₁", x: 0, y: 0)
        #expect(cells.asciiOnly().lines() == ["pk1 "])
    }
}
