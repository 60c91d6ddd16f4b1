import Testing
import MarginalApp
import TerminalUI

/// Whole screens, compared as lines with the files in `Screens/` (what a person sees in a
/// terminal of that size), and drawing into sizes from zero up.
@Suite struct RenderTests {
    static let sizes = [(80, 24), (160, 48)]

    @Test(arguments: ScreenID.allCases)
    func everyScreenAtEachSizeMatchesItsExpectedText(id: ScreenID) throws {
        for (width, height) in Self.sizes {
            let state = AppState(screen: id, width: width, height: height)
            try expectScreen(screen(state), named: "\(id.rawValue)-\(width)x\(height)")
        }
    }

    @Test func helpOverlayListsTheScreensKeysAndWhatItShows() throws {
        var state = AppState(screen: .curves, width: 80, height: 24)
        send(&state, keys("?"))
        let text = screen(state).text()
        #expect(text.contains("Curves — keys"))
        #expect(text.contains("values ↔ first derivatives"))
        #expect(text.contains("Fig. 2"))
        try expectScreen(screen(state), named: "help-curves-80x24")
        send(&state, [.key(.escape)])
        #expect(!screen(state).text().contains("Curves — keys"))
    }

    @Test func aTerminalBelowTheMinimumGetsAClearMessage() {
        let state = AppState(screen: .curves, width: 40, height: 10)
        let text = screen(state).text()
        #expect(text.contains("at least") && text.contains("60×16"))
        #expect(text.contains("40×10"))
    }

    @Test(arguments: ScreenID.allCases)
    func zeroAndTinySizesDrawWithoutCrashing(id: ScreenID) {
        for (width, height) in [(0, 0), (0, 24), (80, 0), (1, 1), (59, 15), (60, 16), (61, 17)] {
            var state = AppState(screen: id, width: width, height: height)
            let buffer = screen(state)
            #expect(buffer.width == width && buffer.height == height)
            send(&state, [.key(.character("?"))])
            _ = screen(state)
        }
    }

    /// Under a locale that is not UTF-8 the marginals screen's help spells DB's formula in ASCII
    /// words, not "S? log(p? + y?)" (issue 16, item 3).
    @Test func asciiScreensSpellTheSymbols() {
        var state = AppState(screen: .marginals, width: 120, height: 40, theme: Theme(colors: .monochrome, unicode: false))
        _ = send(&state, [.key(.character("?"))])
        let text = screen(state).asciiOnly().text()
        #expect(text.contains("DB = sum log(p^_k + y^_k)"), "\(text)")
        #expect(!text.contains("S?") && !text.contains("p?") && !text.contains("y?"))
    }

    /// Without colours and without Unicode every screen is plain ASCII once the terminal's
    /// fallback is applied, and the curves still carry their own markers.
    @Test(arguments: ScreenID.allCases)
    func monochromeASCIIScreensArePlainASCII(id: ScreenID) {
        let state = AppState(screen: id, width: 100, height: 30, theme: Theme(colors: .monochrome, unicode: false))
        let buffer = screen(state).asciiOnly()
        #expect(buffer.lines().allSatisfy { $0.allSatisfy(\.isASCII) })
        if id == .curves {
            let text = buffer.text()
            #expect(text.contains("o") && text.contains("#") && text.contains("^"))
        }
    }
}

/// The style half of the golden screens: a colour or an attribute changed in one cell fails,
/// even where every character is the same.
@Suite struct StyleSnapshotTests {
    @Test func aChangedColourOrAttributeIsADifference() {
        let state = AppState(screen: .curves, width: 80, height: 24)
        let original = screen(state)
        let expected = styleMap(original)
        #expect(differences(styleMap(original), expected, name: "same").isEmpty)
        // A curve's colour becomes another one the screen uses; then one that it does not.
        let cells = (0 ..< 24).flatMap { y in (0 ..< 80).map { x in (x: x, y: y) } }
        let (x, y) = cells.first { original[$0.x, $0.y].foreground != .default }!
        var recoloured = original
        recoloured[x, y].foreground = .indexed(original[x, y].foreground == .indexed(1) ? 2 : 1)
        #expect(recoloured.lines() == original.lines(), "the characters are the same")
        #expect(!differences(styleMap(recoloured), expected, name: "recoloured").isEmpty)
        var bolder = original
        bolder[x, y].attributes.formSymmetricDifference(.bold)
        #expect(!differences(styleMap(bolder), expected, name: "bolder").isEmpty)
        var reversed = original
        reversed[0, 23].attributes.insert(.reverse)
        #expect(!differences(styleMap(reversed), expected, name: "reversed").isEmpty)
    }

    @Test func theLegendNamesColoursAndAttributes() {
        var buffer = Buffer(width: 3, height: 1)
        buffer[1, 0] = Cell("x", foreground: .indexed(214), background: .indexed(236), attributes: [.bold, .dim])
        #expect(styleMap(buffer) == "a  fg default  bg default\nb  fg 214  bg 236  bold  dim\n\naba\n")
    }
}
