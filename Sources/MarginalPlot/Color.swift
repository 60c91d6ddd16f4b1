/// A colour in sRGB with straight (not premultiplied) alpha, components in [0, 1].
public struct Color: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// `Color(hex: 0x0072B2)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255,
            alpha: alpha
        )
    }

    public func withAlpha(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    /// `#rrggbb`, for SVG (alpha goes to a separate opacity attribute).
    public var hexString: String {
        func byte(_ v: Double) -> Int { Int((min(max(v, 0), 1) * 255).rounded()) }
        let value = (byte(red) << 16) | (byte(green) << 8) | byte(blue)
        let digits = String(value, radix: 16)
        return "#" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Linear interpolation between two colours, t ∈ [0, 1].
    public static func mix(_ a: Color, _ b: Color, _ t: Double) -> Color {
        Color(
            red: a.red + (b.red - a.red) * t,
            green: a.green + (b.green - a.green) * t,
            blue: a.blue + (b.blue - a.blue) * t,
            alpha: a.alpha + (b.alpha - a.alpha) * t
        )
    }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)
    /// Text and axis lines: a soft black.
    public static let ink = Color(hex: 0x222222)
    /// Secondary text (tick labels).
    public static let secondaryInk = Color(hex: 0x555555)
    /// Axis frame.
    public static let frame = Color(hex: 0x888888)
    /// Grid lines behind the data.
    public static let grid = Color(hex: 0xE8E8E8)
}

/// Okabe & Ito's eight colours, distinguishable with every common colour-vision deficiency.
public enum Palette {
    public static let blue = Color(hex: 0x0072B2)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let green = Color(hex: 0x009E73)
    public static let orange = Color(hex: 0xE69F00)
    public static let purple = Color(hex: 0xCC79A7)
    public static let skyBlue = Color(hex: 0x56B4E9)
    public static let yellow = Color(hex: 0xF0E442)
    public static let black = Color(hex: 0x000000)

    /// The order in which unnamed series take colours.
    public static let cycle: [Color] = [blue, vermillion, green, orange, purple, skyBlue, black, yellow]

    /// The `index`-th colour of the cycle, wrapping around.
    public static func color(_ index: Int) -> Color { cycle[((index % cycle.count) + cycle.count) % cycle.count] }
}

/// A perceptually uniform colour map for heat maps.
public struct Colormap: Sendable, Equatable {
    public let name: String
    /// Evenly spaced anchor colours from the low end to the high end.
    public let anchors: [Color]

    public init(name: String, anchors: [Color]) {
        precondition(anchors.count >= 2, "a colour map needs two anchors")
        self.name = name
        self.anchors = anchors
    }

    /// The colour at t ∈ [0, 1] (clamped), interpolated linearly between anchors.
    public func color(at t: Double) -> Color {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = clamped * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        return Color.mix(anchors[index], anchors[index + 1], position - Double(index))
    }

    /// matplotlib's viridis (van der Walt & Smith), sampled at 17 evenly spaced points.
    public static let viridis = Colormap(name: "viridis", anchors: [
        0x440154, 0x481A6C, 0x472F7D, 0x414487, 0x39568C, 0x32658E, 0x2C728E, 0x27808E, 0x21918C,
        0x1FA088, 0x28AE80, 0x3FBC73, 0x5EC962, 0x84D44B, 0xADDC30, 0xD8E219, 0xFDE725,
    ].map { Color(hex: $0) })
}
