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
