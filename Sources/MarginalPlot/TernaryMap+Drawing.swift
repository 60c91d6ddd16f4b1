import Foundation
import MarginalCore
import MarginalFigure

/// Where everything of a ternary map goes, in figure units.
public struct TernaryLayout: Sendable {
    /// Vertices 1 (bottom left), 2 (bottom right) and 3 (top).
    public var vertices: [Point]
    public var colorbar: Rect
    public var legendBox: Rect?
    public var legendEntries: [LegendEntry]
    public var titleBaseline: Double
    public var subtitleBaseline: Double?

    /// The figure position of a simplex point: `p₁·v₁ + p₂·v₂ + p₃·v₃`.
    public func position(_ p: BarycentricPoint) -> Point {
        Point(p.x * vertices[0].x + p.y * vertices[1].x + p.z * vertices[2].x,
              p.x * vertices[0].y + p.y * vertices[1].y + p.z * vertices[2].y)
    }

    /// The barycentric coordinates of a figure position (negative outside the triangle).
    public func barycentric(_ q: Point) -> SimplexPoint {
        let (a, b, c) = (vertices[0], vertices[1], vertices[2])
        let det = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y)
        let l1 = ((b.y - c.y) * (q.x - c.x) + (c.x - b.x) * (q.y - c.y)) / det
        let l2 = ((c.y - a.y) * (q.x - c.x) + (a.x - c.x) * (q.y - c.y)) / det
        return SimplexPoint(l1, l2, 1 - l1 - l2)
    }

    var triangle: Path { Path(polygon: vertices) }
}

extension TernaryMap {
    static let padding = 14.0
    static let colorbarWidth = 16.0
    /// Raster pixels per figure unit for the heat map (2: sharp in a PNG at scale 2).
    static let rasterDensity = 2.0

    /// The colour bar's interval and ticks; a constant map gets a unit interval around its value.
    func colorRange() -> (range: ClosedRange<Double>, ticks: [Tick]) {
        guard let finite = finiteRange else { return (0 ... 1, linearTicks(0 ... 1, count: 5)) }
        let range = finite.lowerBound < finite.upperBound ? finite : (finite.lowerBound - 0.5) ... (finite.upperBound + 0.5)
        return (range, linearTicks(range, count: 6))
    }

    func legendEntries() -> [LegendEntry] {
        markers.map { LegendEntry(sample: .marker(shape: $0.shape, fill: $0.fill, stroke: $0.stroke), label: $0.label) }
    }

    /// Places every part of the map.
    public func layout() -> TernaryLayout {
        let titleBaseline = Self.padding + TextMetrics.capHeight(.title)
        var top = titleBaseline + TextMetrics.descent(.title)
        var subtitleBaseline: Double?
        if let subtitle, !subtitle.isEmpty {
            subtitleBaseline = top + 4 + TextMetrics.capHeight(.subtitle)
            top = subtitleBaseline! + TextMetrics.descent(.subtitle)
        }
        top += 12

        let ticks = colorRange().ticks
        let tickWidth = ticks.map { TextMetrics.width($0.label, font: .tickLabel) }.max() ?? 0
        let colorbarX = width - Self.padding - Font.axisLabel.size - 10 - tickWidth - 8 - Self.colorbarWidth
        let labelRoom = TextMetrics.capHeight(.axisLabel) + TextMetrics.descent(.axisLabel) + Self.vertexLabelGap
        // Vertex labels sit centred under (and over) the vertices: keep half of each inside.
        let labelWidths = vertexLabels.map { TextMetrics.width($0, font: .axisLabel) }
        let areaLeft = Self.padding + labelWidths[0] / 2
        let areaRight = colorbarX - 24 - labelWidths[1] / 2
        let areaBottom = height - Self.padding - labelRoom

        let entries = legendEntries()
        let legendSize: (width: Double, height: Double)? = entries.isEmpty ? nil : (
            LegendMetrics.padding * 2 + LegendMetrics.sampleWidth + LegendMetrics.gap
                + (entries.map { TextMetrics.width($0.label, font: .legend) }.max() ?? 0),
            LegendMetrics.padding * 2 + Double(entries.count) * LegendMetrics.rowHeight - 4
        )

        func triangle(top areaTop: Double) -> [Point] {
            let available = (width: areaRight - areaLeft, height: areaBottom - areaTop)
            let side = max(min(available.width, available.height / (3.0.squareRoot() / 2)), 10)
            let h = side * 3.0.squareRoot() / 2
            let cx = (areaLeft + areaRight) / 2
            // Sit on the bottom: when the width limits the side, the room left is above, where
            // the corners beside vertex 3 can take the legend.
            let bottom = areaBottom
            return [Point(cx - side / 2, bottom), Point(cx + side / 2, bottom), Point(cx, bottom - h)]
        }

        var vertices = triangle(top: top + labelRoom)
        var legendBox: Rect?
        if let legendSize {
            // The empty corner left of edge v₁–v₃: the legend fits if its lower right corner does.
            let box = Rect(x: Self.padding, y: top, width: legendSize.width, height: legendSize.height)
            let (v1, v3) = (vertices[0], vertices[2])
            let t = (box.maxY + 6 - v3.y) / (v1.y - v3.y)
            var limit = v3.x + max(t, 0) * (v1.x - v3.x)
            if box.maxY + 4 > v3.y - labelRoom { limit = min(limit, v3.x - labelWidths[2] / 2) }
            if box.maxX + 8 <= limit {
                legendBox = box
            } else {
                vertices = triangle(top: top + legendSize.height + 8 + labelRoom)
                legendBox = Rect(x: Self.padding, y: top,
                                 width: legendSize.width, height: legendSize.height)
            }
        }
        let barTop = vertices[2].y
        let colorbar = Rect(x: colorbarX, y: barTop + 14, width: Self.colorbarWidth,
                            height: max(vertices[0].y - barTop - 14, 10))
        return TernaryLayout(vertices: vertices, colorbar: colorbar, legendBox: legendBox, legendEntries: entries,
                             titleBaseline: titleBaseline, subtitleBaseline: subtitleBaseline)
    }

    /// Draws the map.
    public func draw(on canvas: Canvas) {
        let layout = layout()
        let (range, ticks) = colorRange()
        let color = { (v: Double) -> Color in
            v.isFinite ? colormap.color(at: (v - range.lowerBound) / (range.upperBound - range.lowerBound))
                : colormap.color(at: v > 0 ? 1 : 0)
        }
        canvas.fill(Path(rect: Rect(x: 0, y: 0, width: width, height: height)), color: .white)
        canvas.text(title, at: Point(Self.padding, layout.titleBaseline), font: .title)
        if let subtitle, let baseline = layout.subtitleBaseline {
            canvas.text(subtitle, at: Point(Self.padding, baseline), font: .subtitle, color: .secondaryInk)
        }

        // The heat map: a raster over the triangle's bounding box, clipped to the triangle.
        let v = layout.vertices
        let box = Rect(x: v[0].x, y: v[2].y, width: v[1].x - v[0].x, height: v[0].y - v[2].y)
        let columns = max(Int((box.width * Self.rasterDensity).rounded(.up)), 1)
        let rows = max(Int((box.height * Self.rasterDensity).rounded(.up)), 1)
        var pixels = [UInt32](repeating: 0, count: columns * rows)
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                let q = Point(box.x + (Double(column) + 0.5) * box.width / Double(columns),
                              box.y + (Double(row) + 0.5) * box.height / Double(rows))
                var b = layout.barycentric(q)
                // Pixels just outside (cut by the clip's antialiasing) take the nearest edge's colour.
                b = SimplexPoint(max(b.x, 0), max(b.y, 0), max(b.z, 0))
                b /= b.x + b.y + b.z
                pixels[row * columns + column] = Raster.pixel(color(interpolatedValue(at: b)))
            }
        }
        canvas.beginGroup("heatmap")
        canvas.image(Raster(width: columns, height: rows, pixels: pixels), in: box, clip: layout.triangle)
        canvas.endGroup()

        if contours {
            canvas.beginGroup("contours")
            let levels = ticks.map(\.value).filter { $0 > range.lowerBound && $0 < range.upperBound }
            for level in levels {
                canvas.stroke(contourPath(level: level, layout: layout),
                              style: StrokeStyle(color: Color.white.withAlpha(0.6), width: 0.7))
            }
            canvas.endGroup()
        }

        canvas.beginGroup("frame")
        canvas.stroke(layout.triangle, style: StrokeStyle(color: Color(hex: 0x444444), width: 1))
        let capHeight = TextMetrics.capHeight(.axisLabel)
        canvas.text(vertexLabels[0], at: Point(v[0].x, v[0].y + capHeight + Self.vertexLabelGap), font: .axisLabel,
                    color: .ink, anchor: .middle, angle: 0)
        canvas.text(vertexLabels[1], at: Point(v[1].x, v[1].y + capHeight + Self.vertexLabelGap), font: .axisLabel,
                    color: .ink, anchor: .middle, angle: 0)
        canvas.text(vertexLabels[2], at: Point(v[2].x, v[2].y - Self.vertexLabelGap), font: .axisLabel, color: .ink, anchor: .middle, angle: 0)
        canvas.endGroup()

        canvas.beginGroup("markers")
        for m in markers.reversed() {
            drawMarker(m.shape, at: layout.position(m.point), size: m.size, fill: m.fill, stroke: m.stroke, on: canvas)
        }
        canvas.endGroup()

        drawColorbar(layout.colorbar, range: range, ticks: ticks, color: color, on: canvas)
        if let legendBox = layout.legendBox { drawLegend(layout.legendEntries, in: legendBox, on: canvas) }
    }

    /// The colour bar: a gradient, ticks and labels on its right, the label along it, and a
    /// `+∞` cap on top when some value is infinite.
    private func drawColorbar(_ bar: Rect, range: ClosedRange<Double>, ticks: [Tick], color: (Double) -> Color,
                              on canvas: Canvas) {
        canvas.beginGroup("colorbar")
        let steps = 256
        let gradient = (0 ..< steps).map { k in
            Raster.pixel(colormap.color(at: 1 - (Double(k) + 0.5) / Double(steps)))
        }
        canvas.image(Raster(width: 1, height: steps, pixels: gradient), in: bar, clip: Path(rect: bar))
        let hasInfinity = values.contains { $0 == .infinity }
        if hasInfinity {
            let cap = Path(polygon: [Point(bar.minX, bar.minY - 1), Point(bar.maxX, bar.minY - 1), Point(bar.midX, bar.minY - 12)])
            canvas.fill(cap, color: color(.infinity))
            canvas.text("+∞", at: Point(bar.maxX + 4 + Self.tickLength, bar.minY - 5), font: .tickLabel,
                        color: .secondaryInk, anchor: .start, angle: 0)
        }
        canvas.stroke(Path(rect: bar), style: StrokeStyle(color: Color(hex: 0x666666), width: 0.6))
        let scale = Scale(domain: range, start: bar.maxY, end: bar.minY)
        var marks = Path()
        for tick in ticks {
            let y = scale.map(tick.value)
            marks.move(to: Point(bar.maxX, y)); marks.line(to: Point(bar.maxX + Self.tickLength, y))
            canvas.text(tick.label, at: Point(bar.maxX + Self.tickLength + 4, y + TextMetrics.capHeight(.tickLabel) / 2),
                        font: .tickLabel, color: .secondaryInk, anchor: .start, angle: 0)
        }
        canvas.stroke(marks, style: StrokeStyle(color: Color(hex: 0x666666), width: 0.8))
        canvas.text(colorbarLabel, at: Point(width - Self.padding - TextMetrics.descent(.axisLabel), bar.midY),
                    font: .axisLabel, color: .ink, anchor: .middle, angle: .pi / 2)
        canvas.endGroup()
    }

    static let tickLength = 4.0
    /// Space between a vertex and its label: room for a marker sitting on the vertex.
    static let vertexLabelGap = 11.0

    /// The contour at `level`, by marching triangles over the grid (finite corners only).
    func contourPath(level: Double, layout: TernaryLayout) -> Path {
        let n = resolution
        let scale = Double(n)
        func corner(_ i: Int, _ j: Int) -> (Point, Double) {
            (layout.position(BarycentricPoint(Double(i) / scale, Double(j) / scale, Double(n - i - j) / scale)), value(i: i, j: j))
        }
        var path = Path()
        func march(_ a: (Point, Double), _ b: (Point, Double), _ c: (Point, Double)) {
            guard a.1.isFinite, b.1.isFinite, c.1.isFinite else { return }
            var crossings: [Point] = []
            for (p, q) in [(a, b), (b, c), (c, a)] where (p.1 < level) != (q.1 < level) {
                let t = (level - p.1) / (q.1 - p.1)
                crossings.append(Point(p.0.x + t * (q.0.x - p.0.x), p.0.y + t * (q.0.y - p.0.y)))
            }
            if crossings.count == 2 {
                path.move(to: crossings[0])
                path.line(to: crossings[1])
            }
        }
        for i in 0 ..< n {
            for j in 0 ..< (n - i) {
                march(corner(i, j), corner(i + 1, j), corner(i, j + 1))
                if i + j <= n - 2 { march(corner(i + 1, j), corner(i, j + 1), corner(i + 1, j + 1)) }
            }
        }
        return path
    }
}

extension BarycentricPoint {
    /// The figure model's point for MarginalCore's simplex point.
    public init(_ p: SimplexPoint) { self.init(p.x, p.y, p.z) }
}

extension TernaryLayout {
    /// The figure position of MarginalCore's simplex point.
    public func position(_ p: SimplexPoint) -> Point { position(BarycentricPoint(p)) }
}

extension TernaryMap {
    /// The value at MarginalCore's simplex point (see `interpolatedValue(at:)`).
    public func interpolatedValue(at p: SimplexPoint) -> Double { interpolatedValue(at: BarycentricPoint(p)) }
}

extension TernaryMarker {
    /// A marker at MarginalCore's simplex point.
    public init(point: SimplexPoint, shape: MarkerShape, size: Double = 6, fill: Color, stroke: Color, label: String) {
        self.init(point: BarycentricPoint(point), shape: shape, size: size, fill: fill, stroke: stroke, label: label)
    }
}
