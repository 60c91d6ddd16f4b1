import Testing
import MarginalFigure
import TerminalUI

/// Issue 16, item 3: on 16- and 8-colour terminals the heat map still rises, no foreground is
/// black (invisible on a dark background), and the palette's series hues stay apart.
@Suite struct BasicColorTests {
    func number(_ color: Color, _ count: Int) -> Int? {
        TerminalColor.rgb(color.hexOnDark).basicNumber(colors: count, foreground: true)
    }

    @Test func theHeatMapRisesOnABasicTerminal() {
        let basic = Theme(colors: .basic)
        let levels = (0 ... 20).map { Double($0) / 20 }
        let ramp = levels.map { heatColor($0, theme: basic) }
        let steps = ramp.map { color in basicHeatRamp.firstIndex(of: color)! }
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 <= $1 } && steps.first == 0 && steps.last == basicHeatRamp.count - 1)
        for count in [16, 8] {
            let numbers = ramp.map { $0.basicNumber(colors: count, foreground: false)! }
            #expect(!numbers.contains(0), "no black in the ramp on \(count) colours: \(numbers)")
            // Each colour appears in one run: the ramp never returns to a colour it left.
            var seen: [Int] = []
            for n in numbers where seen.last != n { seen.append(n) }
            #expect(Set(seen).count == seen.count, "\(count) colours: \(seen)")
        }
        // 256 colours are unchanged.
        #expect(heatColor(0.3) == TerminalColormap.viridis.color(0.3))
    }

    @Test func noForegroundIsBlack() {
        // Greys of the axes and guides: grey took black on 8 colours (8 % 8).
        for index in [0, 8, 236, 240, 244, 250] as [UInt8] {
            for count in [16, 8] {
                #expect(TerminalColor.indexed(index).basicNumber(colors: count, foreground: true) != 0, "\(index) on \(count)")
            }
        }
        #expect(TerminalColor.indexed(0).basicNumber(colors: 16, foreground: false) == 0)
        #expect(TerminalColor.indexed(9).basicNumber(colors: 16, foreground: true) == 9)
        #expect(TerminalColor.default.basicNumber(colors: 16, foreground: true) == nil)
    }

    @Test func theSeriesHuesStayApart() {
        let hues = [Palette.blue, Palette.vermillion, Palette.green, Palette.orange, Palette.purple, Palette.skyBlue, Palette.black]
        let sixteen = hues.map { number($0, 16)! }
        #expect(Set(sixteen).count == hues.count, "\(sixteen)")
        let eight = hues.map { number($0, 8)! }
        #expect(Set(eight).count == hues.count, "\(eight)")
        // Blue and green were both cyan.
        #expect(number(Palette.blue, 16) != number(Palette.green, 16))
    }
}
