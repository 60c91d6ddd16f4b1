import Testing
import MarginalFigure
import TerminalUI

/// Issue 16, item 3: on 16- and 8-colour terminals the heat map still rises, no foreground is
/// black (invisible on a dark background), and the palette's series hues stay apart.
@Suite struct BasicColorTests {
    func basic(_ color: Color, _ count: Int) -> BasicColor? {
        TerminalColor.rgb(color.hexOnDark).basicColor(colors: count, foreground: true)
    }

    @Test func theHeatMapRisesOnABasicTerminal() {
        let basic = Theme(colors: .basic)
        let levels = (0 ... 20).map { Double($0) / 20 }
        let ramp = levels.map { heatColor($0, theme: basic) }
        let steps = ramp.map { color in basicHeatRamp.firstIndex(of: color)! }
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 <= $1 } && steps.first == 0 && steps.last == basicHeatRamp.count - 1)
        for count in [16, 8] {
            let numbers = ramp.map { $0.basicColor(colors: count, foreground: false)!.number }
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
                #expect(TerminalColor.indexed(index).basicColor(colors: count, foreground: true)?.number != 0, "\(index) on \(count)")
            }
        }
        #expect(TerminalColor.indexed(0).basicColor(colors: 16, foreground: false) == BasicColor(0))
        #expect(TerminalColor.indexed(9).basicColor(colors: 16, foreground: true) == BasicColor(9))
        #expect(TerminalColor.default.basicColor(colors: 16, foreground: true) == nil)
        // A bright colour on 8 colours: its dark number, bold as a foreground, plain behind text.
        #expect(TerminalColor.indexed(9).basicColor(colors: 8, foreground: true) == BasicColor(1, bold: true))
        #expect(TerminalColor.indexed(9).basicColor(colors: 8, foreground: false) == BasicColor(1))
    }

    @Test func theSeriesHuesStayApart() {
        // All eight hues of the cycle (runs, temperatures): on 8 colours yellow was orange's 3.
        let hues = Palette.cycle
        for count in [16, 8] {
            let colors = hues.map { basic($0, count)! }
            #expect(Set(colors).count == hues.count, "\(count) colours: \(colors)")
        }
        // Blue and green were both cyan.
        #expect(basic(Palette.blue, 16) != basic(Palette.green, 16))
    }

    @Test func everyClassHasItsOwnColourOnSixteen() {
        // The background grey and the ten class hues (MARGINAL_COLORS=16 showed grey twice: the
        // light hues fell on the greys).
        let classes = (0 ... Palette.classHues.count).map(Palette.classColor)
        let colors = classes.map { basic($0, 16)! }
        #expect(Set(colors).count == classes.count, "\(colors)")
        #expect(!colors.contains(BasicColor(7)), "no class is the text's light grey: \(colors)")
    }
}
