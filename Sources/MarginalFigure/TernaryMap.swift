/// A point of the three-class simplex in barycentric coordinates (p₁, p₂, p₃), for the figure
/// model (which does not depend on MarginalCore; MarginalPlot converts its `BarycentricPoint`).
public struct BarycentricPoint: Sendable, Equatable, Hashable {
    public var x: Double
    public var y: Double
    public var z: Double
    public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
}

/// A marked point on a ternary map.
public struct TernaryMarker: Sendable, Equatable {
    public var point: BarycentricPoint
    public var shape: MarkerShape
    public var size: Double
    public var fill: Color
    public var stroke: Color
    public var label: String
    public init(point: BarycentricPoint, shape: MarkerShape, size: Double = 6, fill: Color, stroke: Color, label: String) {
        self.point = point; self.shape = shape; self.size = size; self.fill = fill; self.stroke = stroke; self.label = label
    }
}

/// A heat map of a function over the three-class simplex, drawn as an equilateral triangle
/// (vertex 1 bottom left, vertex 2 bottom right, vertex 3 on top) with a colour bar.
public struct TernaryMap: Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    /// The labels of vertices 1, 2 and 3.
    public var vertexLabels: [String]
    /// Divisions per edge, n: `values` follows `simplexGrid(resolution: n)`.
    public var resolution: Int
    /// One value per grid point; `+∞` is drawn in the colour bar's top colour, under a `+∞` cap.
    public var values: [Double]
    public var colorbarLabel: String
    public var colormap: Colormap
    /// Listed in this order in the legend, and drawn so that the first is on top.
    public var markers: [TernaryMarker]
    /// Contour lines at the colour bar's ticks.
    public var contours: Bool
    public var width: Double
    public var height: Double

    public init(title: String, subtitle: String? = nil, vertexLabels: [String], resolution: Int, values: [Double],
                colorbarLabel: String, colormap: Colormap = .viridis, markers: [TernaryMarker] = [],
                contours: Bool = true, width: Double = 640, height: Double = 520) {
        precondition(vertexLabels.count == 3, "three vertex labels")
        precondition(values.count == (resolution + 1) * (resolution + 2) / 2, "one value per grid point")
        self.title = title; self.subtitle = subtitle; self.vertexLabels = vertexLabels
        self.resolution = resolution; self.values = values; self.colorbarLabel = colorbarLabel
        self.colormap = colormap; self.markers = markers; self.contours = contours
        self.width = width; self.height = height
    }

    /// The value at grid point `(i, j, n − i − j) / n`.
    public func value(i: Int, j: Int) -> Double {
        let n = resolution
        return values[i * (n + 1) - i * (i - 1) / 2 + j]
    }

    /// The value at any simplex point, interpolated linearly inside the grid's small triangle
    /// that holds it; `+∞` if a corner of that triangle is infinite.
    public func interpolatedValue(at p: BarycentricPoint) -> Double {
        let n = Double(resolution)
        let u = min(max(p.x, 0), 1) * n, v = min(max(p.y, 0), 1) * n
        var i = Int(u.rounded(.down)), j = Int(v.rounded(.down))
        if i + j >= resolution {
            // On the far edge (p₃ = 0) or past it by rounding: use the last triangle of the row.
            if i >= resolution { return value(i: resolution, j: 0) }
            j = max(0, resolution - i - 1)
        }
        i = min(i, resolution - 1)
        let fu = u - Double(i), fv = v - Double(j)
        let corners: [(weight: Double, value: Double)] = fu + fv <= 1
            ? [(1 - fu - fv, value(i: i, j: j)), (fu, value(i: i + 1, j: j)), (fv, value(i: i, j: j + 1))]
            : [(fu + fv - 1, value(i: i + 1, j: j + 1)), (1 - fv, value(i: i + 1, j: j)), (1 - fu, value(i: i, j: j + 1))]
        // A corner with no weight (up to rounding) does not count, so a finite grid point next to
        // an infinite one keeps its value.
        var total = 0.0
        for corner in corners where corner.weight > 1e-9 {
            guard corner.value.isFinite else { return .infinity }
            total += corner.weight * corner.value
        }
        return total
    }

    /// The smallest and largest finite values (nil if none).
    public var finiteRange: ClosedRange<Double>? {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low ... high
    }
}
