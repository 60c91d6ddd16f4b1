/// One pixel of a half-block image: its colour, and its level in [0, 1] for terminals without
/// colour (drawn as a shade).
public struct Pixel: Sendable, Equatable {
    public var color: TerminalColor
    public var level: Double
    public init(color: TerminalColor, level: Double) { self.color = color; self.level = level }
}

/// An image of `width × height` pixels drawn two pixels a cell: "▀" with the upper pixel as
/// foreground and the lower as background. A `nil` pixel is left blank. Without colours each
/// cell shows the shade of its pixels' mean level instead.
public struct HalfBlockImage: Sendable, Equatable {
    public let width: Int
    /// In pixels: twice the rows it takes.
    public let height: Int
    public var pixels: [Pixel?]

    public init(width: Int, height: Int, pixels: [Pixel?]) {
        precondition(pixels.count == max(0, width) * max(0, height), "one pixel per position")
        self.width = max(0, width)
        self.height = max(0, height)
        self.pixels = pixels
    }

    /// Fills each pixel from `pixel(x, y)`.
    public init(width: Int, height: Int, pixel: (Int, Int) -> Pixel?) {
        var pixels: [Pixel?] = []
        pixels.reserveCapacity(max(0, width) * max(0, height))
        for y in 0 ..< max(0, height) {
            for x in 0 ..< max(0, width) { pixels.append(pixel(x, y)) }
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// A label map (`sourceWidth × sourceHeight` values, row-major) shown `width × height` pixels,
    /// nearest neighbour; `pixel` colours each value.
    public init(resampling values: [UInt8], sourceWidth: Int, sourceHeight: Int, width: Int, height: Int,
                pixel: (Int) -> Pixel?) {
        self.init(width: width, height: height) { x, y in
            let sx = min(sourceWidth - 1, x * sourceWidth / max(width, 1))
            let sy = min(sourceHeight - 1, y * sourceHeight / max(height, 1))
            return pixel(Int(values[sy * sourceWidth + sx]))
        }
    }

    public subscript(x: Int, y: Int) -> Pixel? {
        x >= 0 && y >= 0 && x < width && y < height ? pixels[y * width + x] : nil
    }

    /// Draws the image with its top-left pixel at cell (x, y), clipped to `clip`.
    public func draw(into buffer: inout Buffer, x: Int, y: Int, clip: Rect, theme: Theme) {
        let rows = (height + 1) / 2
        for row in 0 ..< rows {
            for column in 0 ..< width {
                let cx = x + column, cy = y + row
                guard clip.contains(x: cx, y: cy) else { continue }
                let top = self[column, 2 * row], bottom = self[column, 2 * row + 1]
                guard top != nil || bottom != nil else { continue }
                guard theme.hasColor else {
                    let levels = [top, bottom].compactMap { $0?.level }
                    buffer.put(theme.shade(levels.reduce(0, +) / Double(levels.count)), x: cx, y: cy, .plain)
                    continue
                }
                switch (top, bottom) {
                case let (top?, bottom?):
                    buffer.put(theme.upperHalf, x: cx, y: cy, Style(foreground: top.color, background: bottom.color))
                case let (top?, nil):
                    buffer.put(theme.upperHalf, x: cx, y: cy, Style(foreground: top.color, background: .default))
                case let (nil, bottom?):
                    buffer.put(theme.lowerHalf, x: cx, y: cy, Style(foreground: bottom.color, background: .default))
                case (nil, nil):
                    break
                }
            }
        }
    }
}

extension HalfBlockImage: Widget {
    /// Draws the image from the top-left corner of `area`, clipped to it.
    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        draw(into: &buffer, x: area.x, y: area.y, clip: area, theme: theme)
    }
}
