import MarginalPlot

/// One curve of a chart: samples joined by lines; a `nil` or non-finite y breaks the line (an
/// infinite penalty is a gap, never a clamped number).
public struct ChartSeries: Sendable, Equatable {
    public var label: String
    /// Ascending.
    public var x: [Double]
    public var y: [Double?]
    public var color: TerminalColor
    /// Which of the theme's marker shapes stands for this series (legend, and along the curve).
    public var marker: Int

    public init(label: String, x: [Double], y: [Double?], color: TerminalColor, marker: Int) {
        precondition(x.count == y.count, "as many y as x values")
        self.label = label; self.x = x; self.y = y; self.color = color; self.marker = marker
    }
}

/// A marked point: a minimiser, a cursor.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var symbol: Character
    public var color: TerminalColor
    public init(x: Double, y: Double, symbol: Character, color: TerminalColor) {
        self.x = x; self.y = y; self.symbol = symbol; self.color = color
    }
}

/// A dashed line across the plot at a data value, with a short label at its end.
public struct ChartRule: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable { case vertical, horizontal }
    public var orientation: Orientation
    public var value: Double
    public var label: String
    public var color: TerminalColor
    public init(_ orientation: Orientation, at value: Double, label: String = "", color: TerminalColor = .gray) {
        self.orientation = orientation; self.value = value; self.label = label; self.color = color
    }
}

/// Where a chart's parts land in a given area, and how data maps to dots there.
public struct ChartLayout: Sendable, Equatable {
    /// The cells the curves are drawn in.
    public let plot: Rect
    /// Data x → dot column (0 at the plot's left edge), data y → dot row (0 at its top).
    public let xScale: Scale
    public let yScale: Scale

    /// The cell of a data point, nil if it is outside the plot.
    public func cell(x: Double, y: Double) -> (column: Int, row: Int)? {
        guard xScale.canPlace(x), yScale.canPlace(y) else { return nil }
        let dx = Int(xScale.map(x).rounded()), dy = Int(yScale.map(y).rounded())
        guard dx >= 0, dy >= 0, dx < plot.width * 2, dy < plot.height * 4 else { return nil }
        return (plot.x + dx / 2, plot.y + dy / 4)
    }

    /// The data x under a column of the screen (clamped to the plot).
    public func dataX(column: Int) -> Double {
        let dot = Double(min(max(column - plot.x, 0), plot.width - 1)) * 2 + 0.5
        return xScale.invert(dot)
    }
}

/// A line chart: axes with 1-2-5 ticks and their labels, braille curves, reference rules,
/// marked points, shape markers along each curve (so series stay apart without colour), and a
/// legend in the emptiest corner.
public struct LineChartView: Sendable, Equatable {
    public var xLabel: String
    public var yLabel: String
    public var xDomain: ClosedRange<Double>
    public var yDomain: ClosedRange<Double>
    public var series: [ChartSeries]
    public var points: [ChartPoint]
    public var rules: [ChartRule]
    public var showsLegend: Bool
    /// Cells between shape markers along a curve; 0 for none.
    public var markerSpacing: Int
    /// A base-10 logarithmic x axis (the domain must be positive).
    public var xLogarithmic = false

    public init(xLabel: String, yLabel: String, xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>,
                series: [ChartSeries] = [], points: [ChartPoint] = [], rules: [ChartRule] = [],
                showsLegend: Bool = true, markerSpacing: Int = 14) {
        self.xLabel = xLabel; self.yLabel = yLabel; self.xDomain = xDomain; self.yDomain = yDomain
        self.series = series; self.points = points; self.rules = rules
        self.showsLegend = showsLegend; self.markerSpacing = markerSpacing
    }

    /// The smallest area a chart is drawn in; below it only the y label shows.
    public static let minimumSize = (width: 16, height: 6)

    private func yTicks(rows: Int) -> [Tick] { linearTicks(yDomain, count: max(2, rows / 3)) }

    /// The plot rectangle and scales for `area`, nil if the area is too small for axes.
    public func layout(in area: Rect) -> ChartLayout? {
        guard area.width >= Self.minimumSize.width, area.height >= Self.minimumSize.height else { return nil }
        // Row 0: the y label. Then the plot, the x axis, its tick labels and the x label.
        let plotRows = area.height - 4
        let labelWidth = yTicks(rows: plotRows).map(\.label.count).max() ?? 1
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y + 1, width: area.width - labelWidth - 1, height: plotRows)
        guard plot.width >= 4, plot.height >= 1 else { return nil }
        let xScale = Scale(kind: xLogarithmic ? .logarithmic : .linear, domain: xDomain, start: 0, end: Double(plot.width * 2 - 1))
        let yScale = Scale(domain: yDomain, start: Double(plot.height * 4 - 1), end: 0)
        return ChartLayout(plot: plot, xScale: xScale, yScale: yScale)
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area)
        buffer.write(yLabel, in: area.top(1), .dim)
        guard let layout = layout(in: area) else { return }
        let plot = layout.plot
        let axisColumn = plot.x - 1, axisRow = plot.maxY
        let axisStyle = Style(foreground: theme.color(.gray))

        // Axes and ticks.
        for row in plot.y ..< plot.maxY { buffer.put(theme.vertical, x: axisColumn, y: row, axisStyle) }
        buffer.put(theme.bottomLeft, x: axisColumn, y: axisRow, axisStyle)
        for column in plot.x ..< plot.maxX { buffer.put(theme.horizontal, x: column, y: axisRow, axisStyle) }
        for tick in yTicks(rows: plot.height) {
            let row = plot.y + Int(layout.yScale.map(tick.value).rounded()) / 4
            guard row >= plot.y, row < plot.maxY else { continue }
            buffer.put(theme.yTick, x: axisColumn, y: row, axisStyle)
            buffer.write(tick.label, x: axisColumn - tick.label.count, y: row)
        }
        var labelEnd = area.x - 1
        let xTicks = xLogarithmic ? logarithmicTicks(xDomain) : linearTicks(xDomain, count: max(2, plot.width / 10))
        for tick in xTicks {
            let column = plot.x + Int(layout.xScale.map(tick.value).rounded()) / 2
            guard column >= plot.x, column < plot.maxX else { continue }
            buffer.put(theme.xTick, x: column, y: axisRow, axisStyle)
            let start = min(max(column - tick.label.count / 2, area.x), area.maxX - tick.label.count)
            guard start > labelEnd else { continue }
            buffer.write(tick.label, x: start, y: axisRow + 1)
            labelEnd = start + tick.label.count
        }
        let xLabelStart = plot.x + max(0, (plot.width - xLabel.count) / 2)
        buffer.write(xLabel, x: xLabelStart, y: axisRow + 2, .dim, limit: area.maxX - xLabelStart)

        // Reference rules under the curves.
        for rule in rules {
            switch rule.orientation {
            case .vertical:
                guard layout.xScale.canPlace(rule.value) else { continue }
                let column = plot.x + Int(layout.xScale.map(rule.value).rounded()) / 2
                guard column >= plot.x, column < plot.maxX else { continue }
                for row in plot.y ..< plot.maxY { buffer.put(theme.rule, x: column, y: row, Style(foreground: theme.color(rule.color))) }
                let start = min(column + 1, plot.maxX - rule.label.count)
                buffer.write(rule.label, x: max(plot.x, start), y: plot.y, Style(foreground: theme.color(rule.color)))
            case .horizontal:
                guard layout.yScale.canPlace(rule.value) else { continue }
                let row = plot.y + Int(layout.yScale.map(rule.value).rounded()) / 4
                guard row >= plot.y, row < plot.maxY else { continue }
                for column in plot.x ..< plot.maxX where buffer[column, row].symbol == " " {
                    buffer.put(theme.unicode ? "┄" : "-", x: column, y: row, Style(foreground: theme.color(rule.color)))
                }
            }
        }

        // Curves.
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        for item in series {
            var previous: (x: Double, y: Double)?
            for index in item.drawnIndices(xScale: layout.xScale, columns: plot.width * 2) {
                guard let y = item.y[index], y.isFinite, layout.yScale.canPlace(y), layout.xScale.canPlace(item.x[index]) else {
                    previous = nil
                    continue
                }
                let point = (x: layout.xScale.map(item.x[index]), y: layout.yScale.map(y))
                canvas.line(from: previous ?? point, to: point, color: item.color, owner: item.marker)
                previous = point
            }
        }
        canvas.draw(into: &buffer, x: plot.x, y: plot.y, theme: theme)

        // Shapes along each curve, staggered so that two curves never share a column of them.
        if markerSpacing > 0 && theme.unicode {
            for (order, item) in series.enumerated() {
                var column = plot.x + (markerSpacing / 2 + order * 3) % markerSpacing
                while column < plot.maxX {
                    let x = layout.dataX(column: column)
                    if let y = item.value(at: x), let cell = layout.cell(x: x, y: y) {
                        buffer.put(theme.marker(item.marker), x: cell.column, y: cell.row, Style(foreground: theme.color(item.color)))
                    }
                    column += markerSpacing
                }
            }
        }

        for point in points {
            guard let cell = layout.cell(x: point.x, y: point.y) else { continue }
            buffer.put(point.symbol, x: cell.column, y: cell.row, Style(foreground: theme.color(point.color), attributes: .bold))
        }

        if showsLegend { drawLegend(in: plot, canvas: canvas, into: &buffer, theme: theme) }
    }

    /// The legend, in the corner of the plot with the fewest dots under it.
    private func drawLegend(in plot: Rect, canvas: BrailleCanvas, into buffer: inout Buffer, theme: Theme) {
        guard !series.isEmpty else { return }
        let width = min(plot.width, (series.map(\.label.count).max() ?? 0) + 4)
        let height = min(plot.height, series.count)
        guard width >= 5, height >= 1 else { return }
        let corners = [
            Rect(x: plot.maxX - width, y: plot.y, width: width, height: height),
            Rect(x: plot.x, y: plot.y, width: width, height: height),
            Rect(x: plot.maxX - width, y: plot.maxY - height, width: width, height: height),
            Rect(x: plot.x, y: plot.maxY - height, width: width, height: height),
        ]
        let box = corners.min { a, b in
            canvas.count(in: Rect(x: a.x - plot.x, y: a.y - plot.y, width: a.width, height: a.height))
                < canvas.count(in: Rect(x: b.x - plot.x, y: b.y - plot.y, width: b.width, height: b.height))
        }!
        buffer.fill(box)
        for (index, item) in series.prefix(height).enumerated() {
            buffer.put(theme.marker(item.marker), x: box.x + 1, y: box.y + index, Style(foreground: theme.color(item.color)))
            buffer.write(item.label, x: box.x + 3, y: box.y + index, .plain, limit: box.width - 4)
        }
    }
}

extension ChartSeries {
    /// The samples worth drawing: all of them when there are fewer than four a dot column;
    /// otherwise, in each dot column, the lowest and the highest (in their order), so that a
    /// long noisy run draws its envelope at the cost of the plot's width, not of its length.
    /// Gaps (nil or non-finite y) are kept, so lines still break where the data does.
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
        for index in x.indices {
            guard let value = y[index], value.isFinite, xScale.canPlace(x[index]) else {
                flush()
                kept.append(index)
                continue
            }
            let dot = Int(xScale.map(x[index]).rounded())
            if dot != column { flush(); column = dot }
            if low < 0 || value < y[low]! { low = index }
            if high < 0 || value > y[high]! { high = index }
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
