import Foundation
import MarginalFigure

/// Where everything of a line chart goes, in figure units.
public struct LineChartLayout: Sendable {
    public var plot: Rect
    public var xScale: Scale
    public var yScale: Scale
    public var xTicks: [Tick]
    public var yTicks: [Tick]
    public var legendEntries: [LegendEntry]
    /// nil when the legend is hidden or empty.
    public var legendBox: Rect?
    /// The baselines of the title and subtitle.
    public var titleBaseline: Double
    public var subtitleBaseline: Double?
}

enum LegendMetrics {
    static let rowHeight = 18.0
    static let padding = 8.0
    static let sampleWidth = 26.0
    static let gap = 7.0
}

extension LineChart {
    static let padding = 14.0
    static let tickLength = 4.0

    /// Places every part of the chart.
    public func layout() -> LineChartLayout {
        let (xDomain, yDomain) = domains()
        let titleBaseline = Self.padding + TextMetrics.capHeight(.title)
        var top = titleBaseline + TextMetrics.descent(.title)
        var subtitleBaseline: Double?
        if let subtitle, !subtitle.isEmpty {
            subtitleBaseline = top + 4 + TextMetrics.capHeight(.subtitle)
            top = subtitleBaseline! + TextMetrics.descent(.subtitle)
        }
        top += 14

        let entries = legend == .hidden ? [] : legendEntries()
        let legendSize: (width: Double, height: Double)? = entries.isEmpty ? nil : (
            LegendMetrics.padding * 2 + LegendMetrics.sampleWidth + LegendMetrics.gap
                + (entries.map { TextMetrics.width($0.label, font: .legend) }.max() ?? 0),
            LegendMetrics.padding * 2 + Double(entries.count) * LegendMetrics.rowHeight - 4
        )

        let bottom = height - Self.padding - TextMetrics.descent(.axisLabel) - TextMetrics.capHeight(.axisLabel) - 8
            - TextMetrics.capHeight(.tickLabel) - 6 - Self.tickLength

        func place(outside: Bool) -> LineChartLayout {
            let plotHeight = max(bottom - top, 10)
            let yScale0 = Scale(kind: yAxis.scale, domain: yDomain, start: bottom, end: top)
            let yTicks = ticks(for: yScale0, length: plotHeight, spacing: 48, unit: yAxis.unit)
            let labelWidth = yTicks.map { TextMetrics.width($0.label, font: .tickLabel) }.max() ?? 0
            let left = Self.padding + Font.axisLabel.size + 10 + labelWidth + 6 + Self.tickLength
            var right = width - Self.padding - 6
            if outside, let legendSize { right -= legendSize.width + 12 }
            let plot = Rect(x: left, y: top, width: max(right - left, 10), height: plotHeight)
            let xScale = Scale(kind: xAxis.scale, domain: xDomain, start: plot.minX, end: plot.maxX)
            let yScale = Scale(kind: yAxis.scale, domain: yDomain, start: plot.maxY, end: plot.minY)
            let xTicks = ticks(for: xScale, length: plot.width, spacing: 80, unit: xAxis.unit)
            var box: Rect?
            if outside, let legendSize {
                box = Rect(x: plot.maxX + 12, y: plot.minY, width: legendSize.width, height: legendSize.height)
            }
            return LineChartLayout(plot: plot, xScale: xScale, yScale: yScale, xTicks: xTicks, yTicks: yTicks,
                                   legendEntries: entries, legendBox: box, titleBaseline: titleBaseline,
                                   subtitleBaseline: subtitleBaseline)
        }

        guard let legendSize else { return place(outside: false) }
        if legend == .automatic {
            var inside = place(outside: false)
            if let spot = freeSpot(for: legendSize, in: inside) {
                inside.legendBox = spot
                return inside
            }
        }
        return place(outside: true)
    }

    /// The first legend position inside the plot that no curve, marker or reference line
    /// touches: the four corners first, then along the top and bottom edges, then the sides.
    private func freeSpot(for size: (width: Double, height: Double), in layout: LineChartLayout) -> Rect? {
        let plot = layout.plot, inset = 8.0
        guard size.width + 2 * inset <= plot.width, size.height + 2 * inset <= plot.height else { return nil }
        let xs = (left: plot.minX + inset, right: plot.maxX - inset - size.width)
        let ys = (top: plot.minY + inset, bottom: plot.maxY - inset - size.height)
        var candidates = [
            Point(xs.right, ys.top), Point(xs.left, ys.top), Point(xs.right, ys.bottom), Point(xs.left, ys.bottom),
        ]
        let steps = 12
        for y in [ys.top, ys.bottom] {
            for k in 1 ..< steps { candidates.append(Point(xs.right - (xs.right - xs.left) * Double(k) / Double(steps), y)) }
        }
        for k in 1 ..< steps {
            let y = ys.top + (ys.bottom - ys.top) * Double(k) / Double(steps)
            candidates.append(Point(xs.right, y))
            candidates.append(Point(xs.left, y))
        }
        let obstacles = obstacleSegments(layout)
        let markerBoxes = markers.compactMap { m -> Rect? in
            guard layout.xScale.canPlace(m.x), layout.yScale.canPlace(m.y) else { return nil }
            let c = Point(layout.xScale.map(m.x), layout.yScale.map(m.y))
            return Rect(x: c.x - m.size, y: c.y - m.size, width: 2 * m.size, height: 2 * m.size)
        }
        for origin in candidates {
            let box = Rect(x: origin.x, y: origin.y, width: size.width, height: size.height)
            let keepOut = box.insetBy(-4)
            if markerBoxes.contains(where: { $0.intersects(keepOut) }) { continue }
            if obstacles.contains(where: { keepOut.clip($0.0, $0.1) != nil }) { continue }
            return box
        }
        return nil
    }

    /// Every drawn segment of the series and reference lines, in figure units, clipped to the plot.
    private func obstacleSegments(_ layout: LineChartLayout) -> [(Point, Point)] {
        var segments: [(Point, Point)] = []
        for s in series { segments += visibleSegments(s, layout) }
        for r in referenceLines {
            switch r.orientation {
            case .vertical where layout.xScale.canPlace(r.value):
                let x = layout.xScale.map(r.value)
                segments.append((Point(x, layout.plot.minY), Point(x, layout.plot.maxY)))
            case .horizontal where layout.yScale.canPlace(r.value):
                let y = layout.yScale.map(r.value)
                segments.append((Point(layout.plot.minX, y), Point(layout.plot.maxX, y)))
            default: break
            }
        }
        return segments
    }

    /// The series' segments between consecutive placeable samples, clipped to the plot.
    func visibleSegments(_ s: Series, _ layout: LineChartLayout) -> [(Point, Point)] {
        var segments: [(Point, Point)] = []
        var previous: Point?
        for (x, y) in zip(s.x, s.y) {
            guard let y, layout.xScale.canPlace(x), layout.yScale.canPlace(y) else { previous = nil; continue }
            let p = Point(layout.xScale.map(x), layout.yScale.map(y))
            if let q = previous, let clipped = layout.plot.clip(q, p) { segments.append(clipped) }
            previous = p
        }
        return segments
    }

    /// Draws the chart.
    public func draw(on canvas: Canvas) {
        let layout = layout()
        let plot = layout.plot
        canvas.fill(Path(rect: Rect(x: 0, y: 0, width: width, height: height)), color: .white)

        // Title and subtitle.
        canvas.text(title, at: Point(plot.minX, layout.titleBaseline), font: .title)
        if let subtitle, let baseline = layout.subtitleBaseline {
            canvas.text(subtitle, at: Point(plot.minX, baseline), font: .subtitle, color: .secondaryInk)
        }

        // Grid, with the zero line a little darker.
        canvas.beginGroup("grid")
        var grid = Path(), zero = Path()
        for tick in layout.xTicks {
            let x = layout.xScale.map(tick.value)
            var path = Path()
            path.move(to: Point(x, plot.minY)); path.line(to: Point(x, plot.maxY))
            grid.elements += path.elements
        }
        for tick in layout.yTicks {
            let y = layout.yScale.map(tick.value)
            var path = Path()
            path.move(to: Point(plot.minX, y)); path.line(to: Point(plot.maxX, y))
            if tick.value == 0 && yAxis.scale == .linear { zero.elements += path.elements } else { grid.elements += path.elements }
        }
        canvas.stroke(grid, style: StrokeStyle(color: .grid, width: 0.8))
        canvas.stroke(zero, style: StrokeStyle(color: Color(hex: 0xBBBBBB), width: 0.9))
        canvas.endGroup()

        // Reference lines and their labels.
        canvas.beginGroup("reference-lines")
        for r in referenceLines {
            switch r.orientation {
            case .vertical:
                guard layout.xScale.canPlace(r.value) else { continue }
                let x = layout.xScale.map(r.value)
                guard x >= plot.minX - 0.5, x <= plot.maxX + 0.5 else { continue }
                var path = Path()
                path.move(to: Point(x, plot.minY)); path.line(to: Point(x, plot.maxY))
                canvas.stroke(path, style: r.style)
                if let label = r.label {
                    let fits = x + 4 + TextMetrics.width(label, font: .annotation) < plot.maxX
                    canvas.text(label, at: Point(fits ? x + 4 : x - 4, plot.maxY - 6), font: .annotation,
                                color: .secondaryInk, anchor: fits ? .start : .end, angle: 0)
                }
            case .horizontal:
                guard layout.yScale.canPlace(r.value) else { continue }
                let y = layout.yScale.map(r.value)
                guard y >= plot.minY - 0.5, y <= plot.maxY + 0.5 else { continue }
                var path = Path()
                path.move(to: Point(plot.minX, y)); path.line(to: Point(plot.maxX, y))
                canvas.stroke(path, style: r.style)
                if let label = r.label {
                    canvas.text(label, at: Point(plot.maxX - 4, y - 4), font: .annotation, color: .secondaryInk,
                                anchor: .end, angle: 0)
                }
            }
        }
        canvas.endGroup()

        // Series.
        for s in series {
            canvas.beginGroup("series", attributes: [("data-series", s.name)])
            // A band (a group's spread about its mean): the area between its edges, faint, under the line.
            if let band = s.band {
                let placed = s.x.indices.compactMap { i -> (Double, Double, Double)? in
                    guard let low = band.lower[i], let high = band.upper[i], low.isFinite, high.isFinite, layout.xScale.canPlace(s.x[i]),
                          layout.yScale.canPlace(low), layout.yScale.canPlace(high) else { return nil }
                    let x = layout.xScale.map(s.x[i])
                    guard x >= plot.minX - 0.5, x <= plot.maxX + 0.5 else { return nil }
                    func clamped(_ y: Double) -> Double { min(max(layout.yScale.map(y), plot.minY), plot.maxY) }
                    return (x, clamped(low), clamped(high))
                }
                if placed.count >= 2 {
                    var area = Path()
                    area.move(to: Point(placed[0].0, placed[0].2))
                    for p in placed.dropFirst() { area.line(to: Point(p.0, p.2)) }
                    for p in placed.reversed() { area.line(to: Point(p.0, p.1)) }
                    area.close()
                    canvas.fill(area, color: s.style.color.withAlpha(0.18))
                }
            }
            var path = Path()
            var last: Point?
            for (a, b) in visibleSegments(s, layout) {
                if last != a { path.move(to: a) }
                path.line(to: b)
                last = b
            }
            canvas.stroke(path, style: s.style)
            // Recorded points (a run's evaluations) as dots, where they are few enough to tell apart.
            if s.marksSamples, s.x.count <= 200 {
                for (x, y) in zip(s.x, s.y) {
                    guard let y, y.isFinite, layout.xScale.canPlace(x), layout.yScale.canPlace(y) else { continue }
                    let c = Point(layout.xScale.map(x), layout.yScale.map(y))
                    guard plot.insetBy(-1).contains(c) else { continue }
                    drawMarker(.circle, at: c, size: 2.4, fill: s.style.color, stroke: .white, on: canvas)
                }
            }
            canvas.endGroup()
        }

        // Axes: left and bottom spines with ticks and labels.
        canvas.beginGroup("axes")
        var spines = Path()
        spines.move(to: Point(plot.minX, plot.minY)); spines.line(to: Point(plot.minX, plot.maxY))
        spines.line(to: Point(plot.maxX, plot.maxY))
        var tickMarks = Path()
        for tick in layout.xTicks {
            let x = layout.xScale.map(tick.value)
            tickMarks.move(to: Point(x, plot.maxY)); tickMarks.line(to: Point(x, plot.maxY + Self.tickLength))
            canvas.text(tick.label, at: Point(x, plot.maxY + Self.tickLength + 4 + TextMetrics.capHeight(.tickLabel)),
                        font: .tickLabel, color: .secondaryInk, anchor: .middle, angle: 0)
        }
        for tick in layout.yTicks {
            let y = layout.yScale.map(tick.value)
            tickMarks.move(to: Point(plot.minX, y)); tickMarks.line(to: Point(plot.minX - Self.tickLength, y))
            canvas.text(tick.label, at: Point(plot.minX - Self.tickLength - 4, y + TextMetrics.capHeight(.tickLabel) / 2),
                        font: .tickLabel, color: .secondaryInk, anchor: .end, angle: 0)
        }
        canvas.stroke(spines, style: StrokeStyle(color: .frame, width: 1))
        canvas.stroke(tickMarks, style: StrokeStyle(color: .frame, width: 1))
        canvas.text(xAxis.label, at: Point(plot.midX, height - Self.padding - TextMetrics.descent(.axisLabel)),
                    font: .axisLabel, color: .ink, anchor: .middle, angle: 0)
        canvas.text(yAxis.label, at: Point(Self.padding + TextMetrics.capHeight(.axisLabel), plot.midY),
                    font: .axisLabel, color: .ink, anchor: .middle, angle: .pi / 2)
        canvas.endGroup()

        // Markers, above the curves.
        canvas.beginGroup("markers")
        for m in markers where layout.xScale.canPlace(m.x) && layout.yScale.canPlace(m.y) {
            let c = Point(layout.xScale.map(m.x), layout.yScale.map(m.y))
            guard plot.insetBy(-m.size).contains(c) else { continue }
            drawMarker(m.shape, at: c, size: m.size, fill: m.fill, stroke: m.stroke, on: canvas)
        }
        canvas.endGroup()

        if let box = layout.legendBox { drawLegend(layout.legendEntries, in: box, on: canvas) }
    }
}

/// Draws a legend box: white, a light border, one row per entry.
func drawLegend(_ entries: [LegendEntry], in box: Rect, on canvas: Canvas) {
    canvas.beginGroup("legend")
    canvas.fill(Path(rect: box), color: Color.white.withAlpha(0.92))
    canvas.stroke(Path(rect: box), style: StrokeStyle(color: Color(hex: 0xCCCCCC), width: 0.8))
    for (row, entry) in entries.enumerated() {
        let midY = box.minY + LegendMetrics.padding + LegendMetrics.rowHeight * (Double(row) + 0.5) - 2
        let sampleX = box.minX + LegendMetrics.padding
        switch entry.sample {
        case .line(let style):
            var path = Path()
            path.move(to: Point(sampleX, midY)); path.line(to: Point(sampleX + LegendMetrics.sampleWidth, midY))
            canvas.stroke(path, style: StrokeStyle(color: style.color, width: max(style.width, 1.5), dash: style.dash))
        case .marker(let shape, let fill, let stroke):
            drawMarker(shape, at: Point(sampleX + LegendMetrics.sampleWidth / 2, midY), size: 4.5,
                       fill: fill, stroke: stroke, on: canvas)
        }
        let textPoint = Point(sampleX + LegendMetrics.sampleWidth + LegendMetrics.gap,
                              midY + TextMetrics.capHeight(.legend) / 2)
        if let name = entry.seriesName {
            canvas.beginGroup("legend-entry", attributes: [("data-series", name)])
            canvas.text(entry.label, at: textPoint, font: .legend)
            canvas.endGroup()
        } else {
            canvas.text(entry.label, at: textPoint, font: .legend)
        }
    }
    canvas.endGroup()
}

/// Draws a marker centred at `c` with half-width `size`.
func drawMarker(_ shape: MarkerShape, at c: Point, size: Double, fill: Color, stroke: Color, on canvas: Canvas) {
    var path = Path()
    switch shape {
    case .ring:
        path.addCircle(center: c, radius: size)
        canvas.stroke(path, style: StrokeStyle(color: Color.white.withAlpha(0.9), width: 3.6))
        canvas.stroke(path, style: StrokeStyle(color: stroke, width: 1.6))
        return
    case .circle:
        path.addCircle(center: c, radius: size)
    case .square:
        let s = size * 0.9
        path = Path(rect: Rect(x: c.x - s, y: c.y - s, width: 2 * s, height: 2 * s))
    case .diamond:
        let s = size * 1.25
        path = Path(polygon: [Point(c.x, c.y - s), Point(c.x + s, c.y), Point(c.x, c.y + s), Point(c.x - s, c.y)])
    case .triangle:
        let s = size * 1.2
        path = Path(polygon: [Point(c.x, c.y - s), Point(c.x + s * 0.87, c.y + s * 0.5), Point(c.x - s * 0.87, c.y + s * 0.5)])
    case .arrowUp, .arrowDown:
        // An arrowhead pointing out of the plot, its tip on the edge the curve crosses.
        let s = size * 1.3, toward = shape == .arrowUp ? -1.0 : 1.0
        path = Path(polygon: [Point(c.x, c.y), Point(c.x + s * 0.7, c.y - toward * s), Point(c.x - s * 0.7, c.y - toward * s)])
    case .star:
        let outer = size * 1.45, inner = outer * 0.45
        path = Path(polygon: (0 ..< 10).map { k in
            let r = k.isMultiple(of: 2) ? outer : inner
            let a = -Double.pi / 2 + Double(k) * .pi / 5
            return Point(c.x + r * cos(a), c.y + r * sin(a))
        })
    }
    canvas.fill(path, color: fill)
    canvas.stroke(path, style: StrokeStyle(color: stroke, width: 1.3))
}
