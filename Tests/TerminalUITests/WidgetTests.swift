import Testing
import MarginalFigure
import TerminalUI

/// Cells, buffers, layout and every widget, drawn into buffers and read back as text.
@Suite struct WidgetTests {
    @Test func writingClipsToTheBufferAndLinesKeepTheWidth() {
        var buffer = Buffer(width: 6, height: 2)
        #expect(buffer.write("p̂ = 0.25", x: 1, y: 0) == 8)  // the columns the text takes, drawn or not
        buffer.write("xyz", x: -1, y: 1)
        buffer.put("!", x: 10, y: 10)
        #expect(buffer.lines() == [" p̂ = 0", "yz    "])
        #expect(buffer.text() == " p̂ = 0\nyz")
    }

    @Test func layoutSplitsFixedThenFills() {
        let area = Rect(x: 2, y: 1, width: 50, height: 10)
        let columns = area.columns([.fill, .fixed(1), .fixed(30)])
        #expect(columns.map(\.width) == [19, 1, 30])
        #expect(columns.map(\.x) == [2, 21, 22])
        let rows = area.rows([.fixed(3), .fill(1), .fill(2)])
        #expect(rows.map(\.height) == [3, 2, 5])
        #expect(Rect(x: 0, y: 0, width: 5, height: 5).columns([.fixed(8), .fill]).map(\.width) == [5, 0])
        #expect(Rect(x: 0, y: 0, width: 4, height: 4).intersection(Rect(x: 2, y: 2, width: 9, height: 9)) == Rect(x: 2, y: 2, width: 2, height: 2))
    }

    @Test func brailleDotsAndLines() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.set(x: 0, y: 0)  // dot 1
        canvas.set(x: 1, y: 3)  // dot 8
        canvas.set(x: 2, y: 1)  // second cell, dot 2
        var buffer = Buffer(width: 2, height: 1)
        canvas.draw(into: &buffer, x: 0, y: 0, theme: .standard)
        #expect(buffer.lines() == ["\u{2881}\u{2802}"])
        // A line far off the canvas costs nothing and draws only its visible part.
        var line = BrailleCanvas(columns: 4, rows: 1)
        line.line(from: (x: -1e9, y: 1), to: (x: 1e9, y: 1))
        var row = Buffer(width: 4, height: 1)
        line.draw(into: &row, x: 0, y: 0, theme: .standard)
        #expect(row.lines() == ["⠒⠒⠒⠒"])
        // ASCII: each cell shows its owner's marker.
        var ascii = Buffer(width: 4, height: 1)
        line.draw(into: &ascii, x: 0, y: 0, theme: Theme(colors: .monochrome, unicode: false))
        #expect(ascii.lines() == ["oooo"])
    }

    @Test func lineChartHasAxesTickLabelsLegendAndCurve() throws {
        let x = (0 ... 100).map { Double($0) / 100 }
        let red = Color(hex: 0xCD0000)
        let chart = LineChartView(LineChart(title: "", xAxis: Axis(label: "p", range: 0 ... 1), yAxis: Axis(label: "value", range: 0 ... 1),
                                            series: [Series(name: "diagonal", x: x, y: x, style: StrokeStyle(color: red))],
                                            markers: [Marker(x: 0.5, y: 0.5, shape: .diamond, fill: red)],
                                            referenceLines: [ReferenceLine(.vertical, at: 0.25, label: "ŷ")]))
        var buffer = Buffer(width: 40, height: 14)
        chart.render(in: buffer.area, into: &buffer, theme: .standard)
        let text = buffer.text()
        let lines = buffer.lines()
        #expect(lines[0].hasPrefix("value"))
        #expect(lines[13].contains("p"))
        #expect(text.contains("1.0┤") && text.contains("0.0┤"))
        #expect(lines[12].contains("0.0") && lines[12].contains("0.5") && lines[12].contains("1.0"))
        #expect(text.contains("● diagonal"))
        #expect(text.contains("◆") && text.contains("┊"))
        #expect(lines[11].hasPrefix("   └┬"))
        let layout = try #require(chart.layout(in: buffer.area))
        #expect(layout.plot == Rect(x: 4, y: 1, width: 36, height: 10))
        // An infinite value is a gap, not a clamped point.
        let gap = Series(name: "g", x: [0, 0.5, 1], y: [0, .infinity, 1], style: StrokeStyle(color: red))
        #expect(gap.value(at: 0.25) == nil)
    }

    @Test func halfBlocksCarryTwoPixelsACell() {
        let image = HalfBlockImage(width: 2, height: 2, pixels: [
            Pixel(color: .red, level: 0), nil,
            Pixel(color: .blue, level: 1), Pixel(color: .green, level: 1),
        ])
        var buffer = Buffer(width: 2, height: 1)
        image.draw(into: &buffer, x: 0, y: 0, clip: buffer.area, theme: .standard)
        #expect(buffer.lines() == ["▀▄"])
        #expect(buffer[0, 0].foreground == .red && buffer[0, 0].background == .blue)
        #expect(buffer[1, 0].foreground == .green && buffer[1, 0].background == .default)
        var mono = Buffer(width: 2, height: 1)
        image.draw(into: &mono, x: 0, y: 0, clip: mono.area, theme: Theme(colors: .monochrome))
        #expect(mono.lines() == ["▒█"])
    }

    @Test func barPairsKeepTheTwoApartByShape() {
        let view = BarPairsView(rows: [BarPair(label: "a", first: 1, second: 0.5, annotation: "x")],
                                firstColor: .red, secondColor: .blue, maximum: 1)
        var mono = Buffer(width: 12, height: 1)
        view.render(in: mono.area, into: &mono, theme: Theme(colors: .monochrome))
        #expect(mono.lines() == ["a │███▀▀▀▀ x"] || mono.lines()[0].hasPrefix("a │██"))
        #expect(mono.lines()[0].contains("▀"))
        #expect(view.fraction(0.25) == 0.25)
        let log = BarPairsView(rows: [], firstColor: .red, secondColor: .blue, maximum: 1, logarithmicFloor: 0.001)
        #expect(abs(log.fraction(0.01) - 1.0 / 3) < 1e-12)
    }

    @Test func tableStatusAndHelpDraw() {
        var buffer = Buffer(width: 30, height: 3)
        TableView(header: ["name", "value"], rows: [["kl", "0.5"], ["db1", "−2.303"]]).render(in: buffer.area, into: &buffer, theme: .standard)
        #expect(buffer.lines() == ["name   value" + String(repeating: " ", count: 18), "kl       0.5" + String(repeating: " ", count: 18),
                                   "db1   −2.303" + String(repeating: " ", count: 18)])
        var bar = Buffer(width: 30, height: 1)
        StatusBar(hints: [("q", "quit"), ("e", "export")], message: "saved a.svg").render(in: bar.area, into: &bar, theme: .standard)
        #expect(bar.text() == " q quit  e export  saved a.svg")
        var narrow = Buffer(width: 20, height: 1)
        StatusBar(hints: [("q", "quit"), ("e", "export")], message: "saved a.svg").render(in: narrow.area, into: &narrow, theme: .standard)
        #expect(narrow.text() == " q quit  saved a.svg")
        var help = Buffer(width: 40, height: 10)
        HelpOverlay(title: "Keys", keys: [("q", "quit")], paragraph: "What this shows.").render(in: help.area, into: &help, theme: .standard)
        #expect(help.text().contains("│ q  quit") && help.text().contains("What this shows."))
    }

    /// Every widget drawn into an empty area, or one outside the buffer, draws nothing and does not crash.
    @Test func zeroSizeAreasDrawNothing() {
        let theme = Theme.standard
        for area in [Rect.zero, Rect(x: 5, y: 5, width: 0, height: 3), Rect(x: 100, y: 100, width: 10, height: 10)] {
            var buffer = Buffer(width: 10, height: 4)
            LineChartView(LineChart(title: "", xAxis: Axis(label: "x", range: 0 ... 1), yAxis: Axis(label: "y", range: 0 ... 1),
                                    series: [Series(name: "s", x: [0, 1], y: [0, 1], style: StrokeStyle(color: Color(hex: 0xCD0000)))]))
                .render(in: area, into: &buffer, theme: theme)
            BarPairsView(rows: [BarPair(label: "a", first: 1, second: 1)], firstColor: .red, secondColor: .blue, maximum: 1)
                .render(in: area, into: &buffer, theme: theme)
            TableView(header: ["a"], rows: [["b"]]).render(in: area, into: &buffer, theme: theme)
            StatusBar(hints: [("q", "quit")], message: "m").render(in: area, into: &buffer, theme: theme)
            TabBar(title: "t", tabs: ["a"], selected: 0).render(in: area, into: &buffer, theme: theme)
            HelpOverlay(title: "t", keys: [], paragraph: "p").render(in: area, into: &buffer, theme: theme)
            #expect(buffer == Buffer(width: 10, height: 4), "\(area)")
        }
        var empty = Buffer(width: 0, height: 0)
        LineChartView(LineChart(title: "", xAxis: Axis(label: "x", range: 0 ... 1), yAxis: Axis(label: "y", range: 0 ... 1)))
            .render(in: empty.area, into: &empty, theme: theme)
        #expect(empty.lines().isEmpty)
    }

    /// Every `Widget` (LineChartView's conformance comes with its replacement) draws inside
    /// its area and nowhere else.
    @Test func everyWidgetDrawsOnlyInsideItsArea() {
        let widgets: [any Widget] = [
            BarPairsView(rows: [BarPair(label: "a", first: 1, second: 0.5)], firstColor: .red, secondColor: .blue, maximum: 1),
            TableView(header: ["a", "b"], rows: [["1", "2"], ["3", "4"]]),
            StatusBar(hints: [("q", "quit")], message: "a long message"),
            TabBar(title: "t", tabs: ["a", "b"], selected: 1, trailing: " ? help "),
            HelpOverlay(title: "t", keys: [("k", "a key")], paragraph: "some text to wrap"),
            HalfBlockImage(width: 30, height: 20) { x, y in Pixel(color: .indexed(UInt8(16 + (x + y) % 200)), level: 0.5) },
        ]
        let area = Rect(x: 3, y: 2, width: 14, height: 5)
        for widget in widgets {
            var buffer = Buffer(width: 20, height: 10)
            buffer.fill(buffer.area, with: Cell("·"))
            widget.render(in: area, into: &buffer, theme: .standard)
            var drewInside = false
            for y in 0 ..< 10 {
                for x in 0 ..< 20 {
                    if area.contains(x: x, y: y) { drewInside = drewInside || buffer[x, y] != Cell("·") }
                    else { #expect(buffer[x, y] == Cell("·"), "\(type(of: widget)) drew at (\(x), \(y))") }
                }
            }
            #expect(drewInside, "\(type(of: widget)) drew nothing")
        }
    }

    @Test func colorsAndASCIIFallbacks() {
        #expect(TerminalColor.rgb(0xFF0000) == .indexed(196))
        #expect(TerminalColor.rgb(0x808080) == .indexed(244))
        #expect(TerminalColor.indexed(196).nearestBasic == .indexed(9))
        #expect(TerminalColor.indexed(3).nearestBasic == .indexed(3))
        #expect(asciiStandIn("p̂") == "p" && asciiStandIn("λ") == "L" && asciiStandIn("─") == "-" && asciiStandIn("₁") == "1")
        #expect(asciiStandIn("⣿") == "." && asciiStandIn("▀") == "\"")
        var buffer = Buffer(width: 8, height: 1)
        buffer.write("ŷ₁ = −1…", x: 0, y: 0)
        #expect(buffer.asciiOnly().lines() == ["y1 = -1."])
    }

    @Test func wrappingAndPadding() {
        #expect(wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(truncate("abcdef", width: 4) == "abc…")
        #expect(padLeft("1", 3) == "  1" && padRight("1", 3) == "1  ")
    }
}
