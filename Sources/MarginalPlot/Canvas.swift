import MarginalFigure
/// A font: Cairo's toy text API's "sans-serif" (DejaVu Sans on Debian) at a size and weight.
public struct Font: Sendable, Equatable {
    public var size: Double
    public var bold: Bool
    public init(size: Double, bold: Bool = false) { self.size = size; self.bold = bold }

    public static let title = Font(size: 15, bold: true)
    public static let subtitle = Font(size: 11.5)
    public static let axisLabel = Font(size: 12.5)
    public static let tickLabel = Font(size: 11)
    public static let legend = Font(size: 11.5)
    public static let annotation = Font(size: 10.5)
}

/// Which point of a text's baseline the anchor is.
public enum TextAnchor: String, Sendable, Equatable {
    case start, middle, end
}

/// A bitmap in 32-bit premultiplied ARGB (Cairo's `CAIRO_FORMAT_ARGB32`, native byte order),
/// row by row from the top.
public struct Raster: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt32]
    public init(width: Int, height: Int, pixels: [UInt32]) {
        precondition(pixels.count == width * height, "one pixel per cell")
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// A colour as one premultiplied ARGB pixel.
    public static func pixel(_ c: Color) -> UInt32 {
        let a = min(max(c.alpha, 0), 1)
        func byte(_ v: Double) -> UInt32 { UInt32((min(max(v, 0), 1) * a * 255).rounded()) }
        return (UInt32((a * 255).rounded()) << 24) | (byte(c.red) << 16) | (byte(c.green) << 8) | byte(c.blue)
    }
}

/// What the figure drawers draw on. Coordinates are in figure units, y downwards; the SVG
/// writer and the Cairo surfaces (PNG, PDF) implement it, so all three files show the same
/// figure.
public protocol Canvas: AnyObject {
    func fill(_ path: Path, color: Color)
    func stroke(_ path: Path, style: StrokeStyle)
    /// Draws `text` with its baseline's `anchor` point at `point`, turned by `angle` radians
    /// (counter-clockwise on the page, so π/2 reads upwards) around that point.
    func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, angle: Double)
    /// Paints `raster` stretched over `rect`, clipped to `clip`.
    func image(_ raster: Raster, in rect: Rect, clip: Path?)
    /// Starts a named group (an SVG `<g class="…">`; nothing for Cairo). Attributes go on the group.
    func beginGroup(_ name: String, attributes: [(String, String)])
    func endGroup()
}

extension Canvas {
    func text(_ text: String, at point: Point, font: Font, color: Color = .ink, anchor: TextAnchor = .start) {
        self.text(text, at: point, font: font, color: color, anchor: anchor, angle: 0)
    }
    func beginGroup(_ name: String) { beginGroup(name, attributes: []) }
}
