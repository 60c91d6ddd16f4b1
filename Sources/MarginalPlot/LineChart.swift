/// The look of a line.
public struct StrokeStyle: Sendable, Equatable {
    public var color: Color
    public var width: Double
    /// Dash and gap lengths in figure units; empty for a solid line.
    public var dash: [Double]
    public init(color: Color, width: Double = 1, dash: [Double] = []) {
        self.color = color; self.width = width; self.dash = dash
    }
}

/// A marker's shape.
public enum MarkerShape: String, Sendable, Equatable {
    case circle, square, diamond, triangle, star
    /// A hollow circle with a white halo, visible on dark and light backgrounds alike; its
    /// `stroke` is the ring's colour and its `fill` is ignored.
    case ring
}

/// A point drawn as a symbol: a minimum, a target, a vertex.
public struct Marker: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var shape: MarkerShape
    /// The marker's radius (half its width) in figure units.
    public var size: Double
    public var fill: Color
    public var stroke: Color
    /// The legend entry this marker stands for; markers with the same label share one entry.
    public var label: String?

    public init(x: Double, y: Double, shape: MarkerShape = .circle, size: Double = 4.5,
                fill: Color, stroke: Color = .white, label: String? = nil) {
        self.x = x; self.y = y; self.shape = shape; self.size = size
        self.fill = fill; self.stroke = stroke; self.label = label
    }
}

/// One named curve: `(x, y)` samples joined by straight segments; a sample whose y is `nil` or
/// not finite (an infinite penalty) is left out and breaks the line.
public struct Series: Sendable, Equatable {
    /// A short identifier (`kl`, `tau=2`): the CSV column and the SVG `data-series` attribute.
    public var name: String
    /// What the legend says.
    public var label: String
    public var x: [Double]
    public var y: [Double?]
    public var style: StrokeStyle
    /// Whether the legend has a row for this series; false for a companion curve that an extra
    /// legend entry explains (the faint raw values behind a smoothed curve, a dashed variant).
    public var inLegend: Bool

    public init(name: String, label: String? = nil, x: [Double], y: [Double?], style: StrokeStyle, inLegend: Bool = true) {
        precondition(x.count == y.count, "a series needs as many y as x values")
        self.name = name; self.label = label ?? name; self.x = x; self.y = y; self.style = style; self.inLegend = inLegend
    }
}

/// A horizontal or vertical line across the plot at a data value, with an optional label.
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable { case vertical, horizontal }
    public var orientation: Orientation
    public var value: Double
    public var label: String?
    public var style: StrokeStyle
    public init(_ orientation: Orientation, at value: Double, label: String? = nil,
                style: StrokeStyle = StrokeStyle(color: Color(hex: 0x777777), width: 1, dash: [4, 3])) {
        self.orientation = orientation; self.value = value; self.label = label; self.style = style
    }
}

/// An axis: its label, its scale and, if not automatic, its range.
public struct Axis: Sendable, Equatable {
    public var label: String
    public var scale: ScaleKind
    /// The data interval shown; `nil` to fit the data (with a small margin on y).
    public var range: ClosedRange<Double>?
    public init(label: String, scale: ScaleKind = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label; self.scale = scale; self.range = range
    }
}

/// Where the legend goes.
public enum LegendPlacement: Sendable, Equatable {
    /// Inside the plot, in the corner or side that no curve, marker or line crosses; outside
    /// on the right if every one is crossed.
    case automatic
    /// Outside the plot, on the right.
    case outside
    case hidden
}

/// A line chart: the plot model behind `marginal curves` and `marginal softmax`, drawn by
/// every renderer (SVG, PNG, PDF) the same way.
public struct LineChart: Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    public var markers: [Marker]
    public var referenceLines: [ReferenceLine]
    public var legend: LegendPlacement
    /// Legend rows that stand for no single series or labelled marker ("● minimum" for many markers).
    public var extraLegendEntries: [LegendEntry]
    /// The figure size in points (PDF) or CSS pixels (SVG); PNG multiplies it by its scale.
    public var width: Double
    public var height: Double

    public init(title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis, series: [Series] = [],
                markers: [Marker] = [], referenceLines: [ReferenceLine] = [], legend: LegendPlacement = .automatic,
                extraLegendEntries: [LegendEntry] = [], width: Double = 720, height: Double = 450) {
        self.title = title; self.subtitle = subtitle; self.xAxis = xAxis; self.yAxis = yAxis
        self.series = series; self.markers = markers; self.referenceLines = referenceLines
        self.legend = legend; self.extraLegendEntries = extraLegendEntries; self.width = width; self.height = height
    }
}
