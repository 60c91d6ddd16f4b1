/// A colour in sRGB with straight (not premultiplied) alpha, components in [0, 1], as it shows on
/// white paper (the figure files); `onDark` says how it shows on a dark background (a terminal),
/// where some colours of the paper are too dark to read.
public struct Color: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double
    /// The colour on a dark background as `0xRRGGBB`; nil: the same as on paper.
    public var onDark: UInt32?

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1, onDark: UInt32? = nil) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha; self.onDark = onDark
    }

    /// `Color(hex: 0x0072B2, onDark: 0x56B4E9)`.
    public init(hex: UInt32, onDark: UInt32? = nil, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255,
            alpha: alpha,
            onDark: onDark
        )
    }

    /// The colour on paper as `0xRRGGBB` (alpha left out).
    public var hex: UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32((min(max(v, 0), 1) * 255).rounded()) }
        return byte(red) << 16 | byte(green) << 8 | byte(blue)
    }

    /// The colour on a dark background as `0xRRGGBB`: `onDark`, else the paper colour; a
    /// translucent colour is mixed with the dark background (at least 40 % of it shows).
    public var hexOnDark: UInt32 {
        let base = onDark ?? hex
        guard alpha < 1 else { return base }
        let weight = 0.4 + 0.6 * max(0, alpha)
        func part(_ shift: UInt32) -> UInt32 { UInt32((Double((base >> shift) & 0xFF) * weight).rounded()) }
        return part(16) << 16 | part(8) << 8 | part(0)
    }

    public func withAlpha(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha, onDark: onDark) }

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

/// Every colour the product names, in one place: Okabe & Ito's eight (distinguishable with every
/// common colour-vision deficiency), the class colours in one order, grey, the cursor and the
/// accent. Each knows how it shows on paper and on a dark terminal (`Color.onDark`): the figure
/// files draw the first, the terminal the second.
public enum Palette {
    public static let blue = Color(hex: 0x0072B2, onDark: 0x56B4E9)
    public static let vermillion = Color(hex: 0xD55E00, onDark: 0xE0601A)
    public static let green = Color(hex: 0x009E73, onDark: 0x19B98A)
    public static let orange = Color(hex: 0xE69F00)
    public static let purple = Color(hex: 0xCC79A7)
    public static let skyBlue = Color(hex: 0x56B4E9, onDark: 0x87D7FF)
    public static let yellow = Color(hex: 0xF0E442)
    /// Black on paper, a light grey on a dark terminal (where black would not show).
    public static let black = Color(hex: 0x000000, onDark: 0xD0D0D0)

    /// Reference lines and the background class: mid grey, on paper and on a terminal.
    public static let grey = Color(hex: 0x777777)
    /// The cursor of a screen (a rule at the read-out point): near black on paper, near white
    /// on a terminal (xterm 252).
    public static let cursor = Color(hex: 0x222222, onDark: 0xD0D0D0)
    /// What the user chose or is changing (the current τ): amber (xterm 214 on a terminal).
    public static let accent = Color(hex: 0xE69F00, onDark: 0xFFAF00)
    /// A neutral for legend samples that stand for several colours (markers of every curve).
    public static let neutral = Color(hex: 0x555555, onDark: 0x9E9E9E)

    /// A label map's background pixels (an image is mostly background: near black) and its
    /// ignored ones (255: near white).
    public static let backgroundPixel = Color(hex: 0x3A3A3A)
    public static let ignoredPixel = Color(hex: 0xEEEEEE)

    /// The order in which unnamed series (runs, temperatures) take colours.
    public static let cycle: [Color] = [blue, vermillion, green, orange, purple, skyBlue, black, yellow]

    /// The `index`-th colour of the cycle, wrapping around.
    public static func color(_ index: Int) -> Color { cycle[((index % cycle.count) + cycle.count) % cycle.count] }

    /// The classes after the background, in order: vermillion first (where the small foreground
    /// class of a binary dataset stands out most), then blue, green, yellow, purple, orange and
    /// four more hues (light on a terminal, darker on paper).
    public static let classHues: [Color] = [
        vermillion, blue, green, yellow, purple, orange,
        Color(hex: 0x3399CC, onDark: 0x5FD7FF), Color(hex: 0xAA3377, onDark: 0xFF87FF),
        Color(hex: 0x66AA55, onDark: 0xAFD787), Color(hex: 0x996633, onDark: 0xFFD7AF),
    ]

    /// One colour a class, the same in every figure and on every screen that draws classes (the
    /// toy, a run's monitor, preview and exports): the background (class 0) grey, so that its
    /// curve shows on a chart without taking a hue from a class that matters.
    public static func classColor(_ k: Int) -> Color {
        k <= 0 ? grey : classHues[(k - 1) % classHues.count]
    }
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
