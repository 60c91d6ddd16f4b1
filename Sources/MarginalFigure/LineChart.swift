import Foundation

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
    /// Where a curve leaves the plot at the top or the bottom of a cut y range: it runs on.
    case arrowUp, arrowDown
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
    /// What a legend with little room says (a terminal's, beside the plot); nil: `label`.
    public var shortLabel: String?
    /// Which shape stands for this series where colour cannot tell series apart (a monochrome
    /// terminal's markers along the curve and in the legend); nil: the series' position. Stable
    /// across the series sets of one figure, so a curve keeps its shape when others come and go.
    public var symbol: Int?
    /// Whether every sample is a recorded point that the figure marks (an evaluation of a run),
    /// rather than a sample of a curve drawn as a line only; renderers mark exactly these x.
    public var marksSamples: Bool
    /// A spread drawn shaded behind the line, at the same x (a group of seeds' min…max about
    /// their mean); nil: none.
    public var band: Band?

    /// The lower and upper edges of a series' band, one pair per sample (nil: no spread there).
    public struct Band: Sendable, Equatable {
        public var lower: [Double?]
        public var upper: [Double?]
        /// What the band is, for the legend ("min–max of 3 seeds").
        public var label: String
        public init(lower: [Double?], upper: [Double?], label: String) { self.lower = lower; self.upper = upper; self.label = label }
    }

    public init(name: String, label: String? = nil, shortLabel: String? = nil, x: [Double], y: [Double?], style: StrokeStyle,
                inLegend: Bool = true, symbol: Int? = nil, marksSamples: Bool = false, band: Band? = nil) {
        precondition(x.count == y.count, "a series needs as many y as x values")
        precondition(band.map { $0.lower.count == x.count && $0.upper.count == x.count } ?? true, "a band needs as many edges as x values")
        self.name = name; self.label = label ?? name; self.shortLabel = shortLabel; self.x = x; self.y = y; self.style = style
        self.inLegend = inLegend; self.symbol = symbol; self.marksSamples = marksSamples; self.band = band
    }
}

/// A horizontal or vertical line across the plot at a data value, with an optional label.
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: Sendable, Equatable { case vertical, horizontal }
    public var orientation: Orientation
    public var value: Double
    public var label: String?
    public var style: StrokeStyle
    /// What a renderer with little room writes beside the line (a terminal's); nil: `label`.
    public var shortLabel: String?
    public init(_ orientation: Orientation, at value: Double, label: String? = nil, shortLabel: String? = nil,
                style: StrokeStyle = StrokeStyle(color: Palette.grey, width: 1, dash: [4, 3])) {
        self.orientation = orientation; self.value = value; self.label = label; self.shortLabel = shortLabel; self.style = style
    }
}

/// How an axis's tick labels write its values.
public enum AxisUnit: String, Sendable, Equatable {
    /// As they are.
    case plain
    /// Fractions written in per cent (0.2 → "20"): the data stays a fraction, as in the tables.
    case percent
}

/// An axis: its label, its scale, its unit and, if not automatic, its range.
public struct Axis: Sendable, Equatable {
    public var label: String
    public var scale: ScaleKind
    /// The data interval shown; `nil` to fit the data (with a small margin on y).
    public var range: ClosedRange<Double>?
    public var unit: AxisUnit
    public init(label: String, scale: ScaleKind = .linear, range: ClosedRange<Double>? = nil, unit: AxisUnit = .plain) {
        self.label = label; self.scale = scale; self.range = range; self.unit = unit
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

/// One row of a legend: a line sample or a marker, and its text.
public struct LegendEntry: Sendable, Equatable {
    public enum Sample: Sendable, Equatable {
        case line(StrokeStyle)
        case marker(shape: MarkerShape, fill: Color, stroke: Color)
    }
    public var sample: Sample
    public var label: String
    /// The series' `name`, for the SVG `data-series` attribute; nil for marker entries.
    public var seriesName: String?

    public init(sample: Sample, label: String, seriesName: String? = nil) {
        self.sample = sample; self.label = label; self.seriesName = seriesName
    }
}

extension LineChart {
    /// The x and y data intervals: the axes' ranges, or the data's extent (y with a 5 % margin).
    public func domains() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        func placeable(_ v: Double, _ kind: ScaleKind) -> Bool { v.isFinite && (kind == .linear || v > 0) }
        // The data are looked at only for an axis without a range (a screen redraws often), and
        // only their extent is kept (no array of every value: a long run has tens of thousands).
        let xDomain = xAxis.range ?? {
            var extent = Extent()
            for s in series {
                for (x, y) in zip(s.x, s.y) where placeable(x, xAxis.scale) {
                    if let y, placeable(y, yAxis.scale) { extent.add(x) }
                }
            }
            return padded(extent, kind: xAxis.scale, margin: 0)
        }()
        let yDomain = yAxis.range ?? {
            var extent = Extent()
            for s in series {
                for (x, y) in zip(s.x, s.y) where placeable(x, xAxis.scale) && xDomain.contains(x) {
                    if let y, placeable(y, yAxis.scale) { extent.add(y) }
                }
                // A band's edges are drawn too, so they are inside the range.
                guard let band = s.band else { continue }
                for (index, x) in s.x.enumerated() where placeable(x, xAxis.scale) && xDomain.contains(x) {
                    if let edge = band.lower[index], placeable(edge, yAxis.scale) { extent.add(edge) }
                    if let edge = band.upper[index], placeable(edge, yAxis.scale) { extent.add(edge) }
                }
            }
            for m in markers where xDomain.contains(m.x) && placeable(m.y, yAxis.scale) { extent.add(m.y) }
            for r in referenceLines where r.orientation == .horizontal && placeable(r.value, yAxis.scale) { extent.add(r.value) }
            return padded(extent, kind: yAxis.scale, margin: 0.05)
        }()
        return (xDomain, yDomain)
    }

    /// The smallest and largest of the values added (nil before any).
    private struct Extent {
        var low: Double?, high: Double?
        mutating func add(_ value: Double) {
            if low.map({ value < $0 }) ?? true { low = value }
            if high.map({ value > $0 }) ?? true { high = value }
        }
    }

    /// The extent of the values, widened by `margin` of its span on each side (in log space for a
    /// logarithmic axis); a single value or none gets a unit-sized interval around it.
    private func padded(_ extent: Extent, kind: ScaleKind, margin: Double) -> ClosedRange<Double> {
        guard let low = extent.low, let high = extent.high else { return kind == .linear ? 0 ... 1 : 0.1 ... 1 }
        switch kind {
        case .linear:
            if high == low { return (low - max(abs(low) * 0.5, 0.5)) ... (high + max(abs(high) * 0.5, 0.5)) }
            let pad = (high - low) * margin
            return (low - pad) ... (high + pad)
        case .logarithmic:
            let a = log10(low), b = log10(high)
            if a == b { return pow(10, a - 0.5) ... pow(10, b + 0.5) }
            let pad = (b - a) * margin
            return pow(10, a - pad) ... pow(10, b + pad)
        }
    }

    /// The legend's rows: each series (but those left out of it), then each distinct marker label.
    public func legendEntries() -> [LegendEntry] {
        var entries = series.filter(\.inLegend).map { LegendEntry(sample: .line($0.style), label: $0.label, seriesName: $0.name) }
        var seen = Set<String>()
        for m in markers {
            guard let label = m.label, !seen.contains(label) else { continue }
            seen.insert(label)
            entries.append(LegendEntry(sample: .marker(shape: m.shape, fill: m.fill, stroke: m.stroke), label: label))
        }
        return entries + extraLegendEntries
    }

}
