import Foundation
import Testing
import MarginalApp
import TerminalUI

/// Every tab shows at every supported width (down to 60 columns the titles shorten rather than
/// the last tabs vanish), and a click on a tab's drawn label opens that screen.
@Suite struct TabBarTests {
    @Test(arguments: [60, 80, 120])
    func everyTabShowsAndItsClickOpensIt(width: Int) throws {
        for id in ScreenID.allCases {
            var state = AppState(screen: .curves, width: width, height: 24)
            let bar = screen(state).text().split(separator: "\n").first.map(String.init) ?? ""
            let label = " \(id.key) \(id.title.prefix(1))"
            let start = try #require(bar.range(of: label), "\(width): no tab \(id) in \(bar)")
            #expect(bar.count <= width)
            let column = bar.distance(from: bar.startIndex, to: start.lowerBound) + 1
            _ = send(&state, [.mouse(MouseEvent(.press, x: column, y: 0))])
            #expect(state.screen == id, "\(width): a click at column \(column) of \(bar)")
        }
    }

    @Test func wideEnoughEveryTitleIsWhole() {
        let bar = screen(AppState(width: 120, height: 24)).text().split(separator: "\n").first.map(String.init) ?? ""
        for id in ScreenID.allCases { #expect(bar.contains("\(id.key) \(id.title)")) }
        #expect(bar.hasPrefix(" marginal "))
    }
}
