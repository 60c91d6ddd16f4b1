import MarginalFigure

/// Where a chart's parts land in a given area, and how data maps to dots there.
public struct ChartLayout: Sendable, Equatable {
    /// The cells the curves are drawn in.
    public let plot: Rect
    /// Data x → dot column (0 at the plot's left edge), data y → dot row (0 at its top).
    public let xScale: Scale
    public let yScale: Scale
    /// The y axis's ticks, found once: their widest label sets the plot's left edge.
    let yTicks: [Tick]

    /// The cell of a data point, nil if it is outside the plot.
    public func cell(x: Double, y: Double) -> (column: Int, row: Int)? {
        guard xScale.canPlace(x), yScale.canPlace(y) else { return nil }
        let dx = xScale.map(x).nearestInteger, dy = yScale.map(y).nearestInteger
        guard dx >= 0, dy >= 0, dx < plot.width * 2, dy < plot.height * 4 else { return nil }
        return (plot.x + dx / 2, plot.y + dy / 4)
    }

    /// The data x under a column of the screen (clamped to the plot).
    public func dataX(column: Int) -> Double {
        let dot = Double(min(max(column - plot.x, 0), plot.width - 1)) * 2 + 0.5
        return xScale.invert(dot)
    }
}

/// The terminal renderer of the figure model's line chart: axes with the chart's scales (linear
/// or logarithmic) and their 1-2-5 ticks, braille curves, reference lines as rules, the chart's
/// markers as symbols, shape markers along each curve (so series stay apart without colour), and
/// a legend in the emptiest corner. The chart is the value a screen's export writes to a file;
/// what only a terminal needs (marker spacing, ASCII, colours on a dark background, the short
/// labels) is decided here, from the model.
public struct LineChartView: Sendable, Equatable {
    public var chart: LineChart
    /// Cells between shape markers along a curve; 0 for none.
    public var markerSpacing: Int

    public init(_ chart: LineChart, markerSpacing: Int = 14) {
        self.chart = chart
        self.markerSpacing = markerSpacing
    }

    /// The smallest area a chart is drawn in; below it only the y label shows.
    public static let minimumSize = (width: 16, height: 6)

    /// A figure colour as the terminal shows it: its dark-background variant, at the nearest
    /// entry of the 256-colour palette.
    public static func terminalColor(_ color: Color) -> TerminalColor { .rgb(color.hexOnDark) }

    /// The symbol of a marker shape.
    public static func symbol(_ shape: MarkerShape, theme: Theme) -> Character {
        guard theme.unicode else {
            return switch shape {
            case .circle, .ring: "o"
            case .square: "#"
            case .diamond: "*"
            case .triangle: "^"
            case .star: "x"
            case .arrowUp: "^"
            case .arrowDown: "v"
            }
        }
        return switch shape {
        case .circle: "●"
        case .square: "■"
        case .diamond: "◆"
        case .triangle: "▲"
        case .star: "★"
        case .ring: "◎"
        case .arrowUp: "↑"
        case .arrowDown: "↓"
        }
    }

    private func yTicks(_ domain: ClosedRange<Double>, rows: Int) -> [Tick] {
        chart.yAxis.scale == .logarithmic ? logarithmicTicks(domain) : linearTicks(domain, count: max(2, rows / 3), unit: chart.yAxis.unit)
    }

    /// The plot rectangle and scales for `area`, nil if the area is too small for axes.
    public func layout(in area: Rect) -> ChartLayout? {
        let domains = chart.domains()
        guard let full = layout(in: area, domains: domains) else { return nil }
        return legendPlacement(full, domains: domains).layout
    }

    /// The legend's rows (the series that have one) and its width in cells.
    private var legendRows: (rows: [Int], width: Int) {
        let rows = chart.series.indices.filter { chart.series[$0].inLegend }
        let width = (rows.map { (chart.series[$0].shortLabel ?? chart.series[$0].label).count }.max() ?? 0) + 4
        return (chart.legend == .hidden ? [] : rows, width)
    }

    /// Where the legend goes for a chart laid out as `full`: a corner of the plot that no curve
    /// crosses, or (every corner crossed, or `.outside`) beside the plot on the right, which then
    /// narrows; the layout to draw with, the legend's box (nil: no legend), and the curves when
    /// they were drawn for that layout to find the box (so that a render draws them once).
    private func legendPlacement(_ full: ChartLayout, domains: (x: ClosedRange<Double>, y: ClosedRange<Double>))
        -> (layout: ChartLayout, box: Rect?, canvas: BrailleCanvas?) {
        let (rows, width) = legendRows
        guard !rows.isEmpty, width >= 5 else { return (full, nil, nil) }
        let height = min(full.plot.height, rows.count)
        var drawn: BrailleCanvas?
        if chart.legend == .automatic, width <= full.plot.width {
            let canvas = curves(full)
            drawn = canvas
            let plot = full.plot
            let corners = [
                Rect(x: plot.maxX - width, y: plot.y, width: width, height: height),
                Rect(x: plot.x, y: plot.y, width: width, height: height),
                Rect(x: plot.maxX - width, y: plot.maxY - height, width: width, height: height),
                Rect(x: plot.x, y: plot.maxY - height, width: width, height: height),
            ]
            if let free = corners.first(where: { canvas.count(in: Rect(x: $0.x - plot.x, y: $0.y - plot.y, width: $0.width, height: $0.height)) == 0 }) {
                return (full, free, canvas)
            }
        }
        // Beside the plot, when the plot keeps room to read; else over the emptiest corner.
        let narrowed = Rect(x: full.plot.x, y: full.plot.y, width: full.plot.width - width - 1, height: full.plot.height)
        guard narrowed.width >= 12 else {
            let canvas = drawn ?? curves(full), plot = full.plot
            let w = min(plot.width, width)
            let corners = [
                Rect(x: plot.maxX - w, y: plot.y, width: w, height: height), Rect(x: plot.x, y: plot.y, width: w, height: height),
                Rect(x: plot.maxX - w, y: plot.maxY - height, width: w, height: height), Rect(x: plot.x, y: plot.maxY - height, width: w, height: height),
            ]
            let box = corners.min { a, b in
                canvas.count(in: Rect(x: a.x - plot.x, y: a.y - plot.y, width: a.width, height: a.height))
                    < canvas.count(in: Rect(x: b.x - plot.x, y: b.y - plot.y, width: b.width, height: b.height))
            }!
            return (full, box, canvas)
        }
        let layout = ChartLayout(plot: narrowed,
                                 xScale: Scale(kind: chart.xAxis.scale, domain: domains.x, start: 0, end: Double(narrowed.width * 2 - 1)),
                                 yScale: full.yScale, yTicks: full.yTicks)
        return (layout, Rect(x: narrowed.maxX + 1, y: narrowed.y, width: width, height: height), nil)
    }

    /// A series' band: in each plot column, the cells from its lower to its upper edge (linear
    /// between samples) shaded in the series' colour where nothing else is drawn yet.
    private func drawBand(_ band: Series.Band, of item: Series, layout: ChartLayout, into buffer: inout Buffer, theme: Theme) {
        let lower = Series(name: "", x: item.x, y: band.lower, style: item.style), upper = Series(name: "", x: item.x, y: band.upper, style: item.style)
        let style = Style(foreground: theme.color(Self.terminalColor(item.style.color)), attributes: .dim)
        let plot = layout.plot
        for column in plot.x ..< plot.maxX {
            let x = layout.dataX(column: column)
            guard let low = lower.value(at: x), let high = upper.value(at: x) else { continue }
            let rows = [low, high].compactMap { y -> Int? in
                guard layout.yScale.canPlace(y) else { return nil }
                return plot.y + min(max(layout.yScale.map(y).nearestInteger, 0), plot.height * 4 - 1) / 4
            }
            guard rows.count == 2 else { continue }
            for row in rows.min()! ... rows.max()! where buffer[column, row].symbol == " " {
                buffer.put(theme.shade(0.25), x: column, y: row, style)
            }
        }
    }

    /// The curves in braille dots for a layout.
    private func curves(_ layout: ChartLayout) -> BrailleCanvas {
        let colors = chart.series.map { Self.terminalColor($0.style.color) }
        var canvas = BrailleCanvas(columns: layout.plot.width, rows: layout.plot.height)
        for (order, item) in chart.series.enumerated() {
            var previous: (x: Double, y: Double)?
            let owner = item.symbol ?? order
            for index in item.drawnIndices(xScale: layout.xScale, columns: layout.plot.width * 2) {
                guard index != Series.lineBreak, let y = item.y[index], y.isFinite, layout.yScale.canPlace(y), layout.xScale.canPlace(item.x[index]) else {
                    previous = nil
                    continue
                }
                let point = (x: layout.xScale.map(item.x[index]), y: layout.yScale.map(y))
                canvas.line(from: previous ?? point, to: point, color: colors[order], owner: owner)
                previous = point
            }
        }
        return canvas
    }

    private func layout(in area: Rect, domains: (x: ClosedRange<Double>, y: ClosedRange<Double>)) -> ChartLayout? {
        guard area.width >= Self.minimumSize.width, area.height >= Self.minimumSize.height else { return nil }
        // Row 0: the y label. Then the plot, the x axis, its tick labels and the x label.
        let plotRows = area.height - 4
        let yTicks = yTicks(domains.y, rows: plotRows)
        let labelWidth = yTicks.map(\.label.count).max() ?? 1
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y + 1, width: area.width - labelWidth - 1, height: plotRows)
        guard plot.width >= 4, plot.height >= 1 else { return nil }
        let xScale = Scale(kind: chart.xAxis.scale, domain: domains.x, start: 0, end: Double(plot.width * 2 - 1))
        let yScale = Scale(kind: chart.yAxis.scale, domain: domains.y, start: Double(plot.height * 4 - 1), end: 0)
        return ChartLayout(plot: plot, xScale: xScale, yScale: yScale, yTicks: yTicks)
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area)
        buffer.write(chart.yAxis.label, in: area.top(1), .dim)
        let domains = chart.domains()
        guard let full = layout(in: area, domains: domains) else { return }
        let (layout, legendBox, placementCanvas) = legendPlacement(full, domains: domains)
        let plot = layout.plot
        let axisColumn = plot.x - 1, axisRow = plot.maxY
        let axisStyle = Style(foreground: theme.color(.gray))
        func color(_ color: Color) -> TerminalColor? { theme.color(Self.terminalColor(color)) }

        // Axes and ticks.
        for row in plot.y ..< plot.maxY { buffer.put(theme.vertical, x: axisColumn, y: row, axisStyle) }
        buffer.put(theme.bottomLeft, x: axisColumn, y: axisRow, axisStyle)
        for column in plot.x ..< plot.maxX { buffer.put(theme.horizontal, x: column, y: axisRow, axisStyle) }
        for tick in layout.yTicks {
            let row = plot.y + Int(layout.yScale.map(tick.value).rounded()) / 4
            guard row >= plot.y, row < plot.maxY else { continue }
            buffer.put(theme.yTick, x: axisColumn, y: row, axisStyle)
            buffer.write(tick.label, x: axisColumn - tick.label.count, y: row)
        }
        var labelEnd = area.x - 1
        let xTicks = chart.xAxis.scale == .logarithmic ? logarithmicTicks(domains.x)
            : linearTicks(domains.x, count: max(2, plot.width / 10), unit: chart.xAxis.unit)
        for tick in xTicks {
            let column = plot.x + Int(layout.xScale.map(tick.value).rounded()) / 2
            guard column >= plot.x, column < plot.maxX else { continue }
            buffer.put(theme.xTick, x: column, y: axisRow, axisStyle)
            let start = min(max(column - tick.label.count / 2, area.x), area.maxX - tick.label.count)
            guard start > labelEnd else { continue }
            buffer.write(tick.label, x: start, y: axisRow + 1)
            labelEnd = start + tick.label.count
        }
        let xLabel = chart.xAxis.label
        let xLabelStart = plot.x + max(0, (plot.width - xLabel.count) / 2)
        buffer.write(xLabel, x: xLabelStart, y: axisRow + 2, .dim, limit: area.maxX - xLabelStart)

        // Reference lines under the curves, as rules.
        for rule in chart.referenceLines {
            let style = Style(foreground: color(rule.style.color))
            switch rule.orientation {
            case .vertical:
                guard layout.xScale.canPlace(rule.value) else { continue }
                let column = plot.x + Int(layout.xScale.map(rule.value).rounded()) / 2
                guard column >= plot.x, column < plot.maxX else { continue }
                for row in plot.y ..< plot.maxY { buffer.put(theme.rule, x: column, y: row, style) }
                let label = rule.shortLabel ?? rule.label ?? ""
                let start = min(column + 1, plot.maxX - label.count)
                buffer.write(label, x: max(plot.x, start), y: plot.y, style)
            case .horizontal:
                guard layout.yScale.canPlace(rule.value) else { continue }
                let row = plot.y + Int(layout.yScale.map(rule.value).rounded()) / 4
                guard row >= plot.y, row < plot.maxY else { continue }
                for column in plot.x ..< plot.maxX where buffer[column, row].symbol == " " {
                    buffer.put(theme.unicode ? "┄" : "-", x: column, y: row, style)
                }
            }
        }

        // Bands (a group's spread about its mean), shaded under the curves, dim, in their colour.
        for item in chart.series { if let band = item.band { drawBand(band, of: item, layout: layout, into: &buffer, theme: theme) } }

        // Curves.
        let colors = chart.series.map { Self.terminalColor($0.style.color) }
        let canvas = placementCanvas ?? curves(layout)
        canvas.draw(into: &buffer, x: plot.x, y: plot.y, theme: theme)

        // Recorded points (a run's evaluations) marked where they are, each series' shape on its
        // samples' cells; where samples crowd closer than three columns, the line alone.
        for (order, item) in chart.series.enumerated() where item.marksSamples {
            var lastColumn = Int.min
            let cells = zip(item.x, item.y).compactMap { x, y in y.flatMap { layout.cell(x: x, y: $0) } }
            let crowded = zip(cells, cells.dropFirst()).contains { $1.column - $0.column < 3 }
            guard !crowded else { continue }
            for cell in cells where cell.column != lastColumn {
                buffer.put(theme.marker(item.symbol ?? order), x: cell.column, y: cell.row, Style(foreground: theme.color(colors[order])))
                lastColumn = cell.column
            }
        }

        // Shapes along each curve that has no recorded points, staggered so that two curves
        // never share a column of them.
        if markerSpacing > 0 && theme.unicode {
            for (order, item) in chart.series.enumerated() where !item.marksSamples {
                var column = plot.x + (markerSpacing / 2 + order * 3) % markerSpacing
                while column < plot.maxX {
                    let x = layout.dataX(column: column)
                    if let y = item.value(at: x), let cell = layout.cell(x: x, y: y) {
                        buffer.put(theme.marker(item.symbol ?? order), x: cell.column, y: cell.row, Style(foreground: theme.color(colors[order])))
                    }
                    column += markerSpacing
                }
            }
        }

        for marker in chart.markers {
            guard let cell = layout.cell(x: marker.x, y: marker.y) else { continue }
            let ink = marker.shape == .ring ? marker.stroke : marker.fill
            buffer.put(Self.symbol(marker.shape, theme: theme), x: cell.column, y: cell.row,
                       Style(foreground: color(ink), attributes: .bold))
        }

        if let legendBox { drawLegend(in: legendBox, colors: colors, into: &buffer, theme: theme) }
    }

    /// The legend box a render draws for `area` (nil: none): over a corner no curve crosses, or
    /// beside the plot.
    public func legendBox(in area: Rect) -> Rect? {
        let domains = chart.domains()
        guard let full = layout(in: area, domains: domains) else { return nil }
        return legendPlacement(full, domains: domains).box
    }

    /// The legend (the series that have a row in it, by their short labels) in its box.
    private func drawLegend(in box: Rect, colors: [TerminalColor], into buffer: inout Buffer, theme: Theme) {
        let rows = legendRows.rows
        func label(_ index: Int) -> String { chart.series[index].shortLabel ?? chart.series[index].label }
        let height = box.height
        buffer.fill(box)
        for (row, index) in rows.prefix(height).enumerated() {
            let item = chart.series[index]
            buffer.put(theme.marker(item.symbol ?? index), x: box.x + 1, y: box.y + row, Style(foreground: theme.color(colors[index])))
            buffer.write(label(index), x: box.x + 3, y: box.y + row, .plain, limit: box.width - 4)
        }
    }
}

extension Series {
    /// Where `drawnIndices` breaks a line (no sample has this index).
    static let lineBreak = -1

    /// The samples worth drawing: all of them when there are fewer than four a dot column;
    /// otherwise, in each dot column, the lowest and the highest (in their order), so that a
    /// long noisy run draws its envelope at the cost of the plot's width, not of its length.
    /// Outside the x domain (a zoomed chart) only the samples next to one inside are kept, the
    /// ends of the lines that leave the plot. Gaps (nil or non-finite y, and the samples left
    /// out) are one `lineBreak` a run of them, so lines still break where the data does.
    func drawnIndices(xScale: Scale, columns: Int) -> [Int] {
        guard x.count > 4 * max(columns, 1) else { return Array(x.indices) }
        var kept: [Int] = []
        kept.reserveCapacity(2 * columns + 16)
        var column = Int.min, low = -1, high = -1
        func flush() {
            guard low >= 0 else { return }
            if low == high { kept.append(low) } else { kept += [min(low, high), max(low, high)] }
            low = -1; high = -1
        }
        let (first, last) = (xScale.domain.lowerBound, xScale.domain.upperBound)
        // Over the arrays' buffers: every sample of a long run is looked at each frame.
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                func inside(_ index: Int) -> Bool { index >= 0 && index < x.count && x[index] >= first && x[index] <= last }
                var lowValue = 0.0, highValue = 0.0
                for index in 0 ..< min(x.count, y.count) {
                    let at = x[index]
                    let outside = !(at >= first && at <= last)
                    guard let value = y[index], value.isFinite, xScale.canPlace(at),
                          !outside || inside(index - 1) || inside(index + 1) else {
                        flush()
                        if column != Int.max { kept.append(Self.lineBreak) }
                        column = Int.max
                        continue
                    }
                    if outside {  // a line's end outside the plot: kept as it is
                        flush()
                        kept.append(index)
                        column = Int.min
                        continue
                    }
                    let dot = xScale.map(x[index]).nearestInteger
                    if dot != column { flush(); column = dot }
                    if low < 0 || value < lowValue { low = index; lowValue = value }
                    if high < 0 || value > highValue { high = index; highValue = value }
                }
            }
        }
        flush()
        return kept
    }

    /// y at `x`, linearly interpolated between the neighbouring samples; nil in a gap.
    public func value(at x: Double) -> Double? {
        guard let first = self.x.first, let last = self.x.last, x >= first, x <= last else { return nil }
        var low = 0, high = self.x.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if self.x[middle] <= x { low = middle } else { high = middle }
        }
        guard let a = y[low], let b = y[high], a.isFinite, b.isFinite else { return nil }
        let span = self.x[high] - self.x[low]
        return span == 0 ? a : a + (b - a) * (x - self.x[low]) / span
    }
}
