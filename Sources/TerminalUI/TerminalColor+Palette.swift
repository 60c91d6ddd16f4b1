import MarginalFigure

extension TerminalColor {
    /// The entry of the 256-colour palette nearest to the sRGB colour `0xRRGGBB`: the best of
    /// the 6×6×6 cube and the grey ramp, by squared distance.
    public static func rgb(_ hex: UInt32) -> TerminalColor {
        let r = Int((hex >> 16) & 0xFF), g = Int((hex >> 8) & 0xFF), b = Int(hex & 0xFF)
        func cubeIndex(_ v: Int) -> Int { v < 48 ? 0 : (v < 115 ? 1 : (v - 35) / 40) }
        let (cr, cg, cb) = (cubeIndex(r), cubeIndex(g), cubeIndex(b))
        let cube = 16 + 36 * cr + 6 * cg + cb
        let grayLevel = min(23, max(0, ((r + g + b) / 3 - 3) / 10))
        let gray = 232 + grayLevel
        let cubeDistance = distance(paletteRGB(cube), (r, g, b))
        let grayDistance = distance(paletteRGB(gray), (r, g, b))
        return .indexed(UInt8(grayDistance < cubeDistance ? gray : cube))
    }

    /// For a 16-colour terminal: the nearest of the 16 basic colours (itself if already basic).
    public var nearestBasic: TerminalColor {
        guard case .indexed(let index) = self, index >= 16 else { return self }
        let target = paletteRGB(Int(index))
        var best = 0, bestDistance = Int.max
        for candidate in 0 ..< 16 {
            let d = distance(paletteRGB(candidate), target)
            if d < bestDistance { best = candidate; bestDistance = d }
        }
        return .indexed(UInt8(best))
    }
}

/// xterm's RGB for palette entry `index`.
func paletteRGB(_ index: Int) -> (Int, Int, Int) {
    let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    if index < 16 { return basic[index] }
    if index < 232 {
        let levels = [0, 95, 135, 175, 215, 255]
        let n = index - 16
        return (levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
    }
    let v = 8 + 10 * (index - 232)
    return (v, v, v)
}

private func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
    let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
    // Weighted towards green, as the eye is.
    return 2 * dr * dr + 4 * dg * dg + 3 * db * db
}

/// A colour as a basic terminal draws it: one of its `count` colour numbers and, for a foreground
/// on 8 colours, bold. Those terminals show a bold foreground in the bright variant of its colour,
/// so a bright hue (numbers 8–15 on 16 colours) becomes its dark number in bold rather than
/// collapsing onto the dark one (yellow took orange's 3, the cycle's eight hues became six).
public struct BasicColor: Sendable, Equatable, Hashable {
    public let number: Int
    public let bold: Bool

    public init(_ number: Int, bold: Bool = false) {
        self.number = number
        self.bold = bold
    }
}

extension TerminalColor {
    /// This colour on a terminal of `count` basic colours (16, or 8 on some terminals); nil for
    /// the default colour. The palette's hues keep distinct colours (`paletteBasics`: blue and
    /// green were both cyan, the greys both light grey); any other colour is the nearest of the
    /// 16. A foreground is never black, which vanishes on a dark background: dark grey (8) is light
    /// grey (7) on 8 colours, where bold black shows black on some terminals.
    public func basicColor(colors count: Int, foreground: Bool) -> BasicColor? {
        guard case .indexed(let index) = self else { return nil }
        let sixteen: Int
        if let assigned = paletteBasics[index] {
            sixteen = assigned
        } else if index < 16, !(foreground && index == 0) {
            sixteen = Int(index)
        } else {
            let target = paletteRGB(Int(index))
            sixteen = ((foreground ? 1 : 0) ..< 16).min { distance(paletteRGB($0), target) < distance(paletteRGB($1), target) }!
        }
        guard count < 16, sixteen >= 8 else { return BasicColor(sixteen) }
        if foreground && sixteen == 8 { return BasicColor(7) }
        return BasicColor(sixteen - 8, bold: foreground)
    }
}

/// The 16-colour numbers of the figure palette's series and class hues (as the terminal shows
/// them on dark), each its own: the cycle's eight hues, the ten class hues after the background
/// (the four light ones on the dark numbers the first six leave free) and the background grey.
private let paletteBasics: [UInt8: Int] = {
    let hues: [(Color, Int)] = [(Palette.blue, 12), (Palette.vermillion, 9), (Palette.green, 10),
                                (Palette.orange, 3), (Palette.purple, 13), (Palette.skyBlue, 14),
                                (Palette.black, 7), (Palette.yellow, 11), (Palette.grey, 8)]
        + zip(Palette.classHues.dropFirst(6), [6, 5, 2, 1]).map { ($0, $1) }
    var table: [UInt8: Int] = [:]
    for (color, sixteen) in hues {
        if case .indexed(let index) = TerminalColor.rgb(color.hexOnDark), table[index] == nil { table[index] = sixteen }
    }
    return table
}()

/// A heat map's colours on a basic terminal, low to high: blue, bright blue, cyan, green, bright
/// green, yellow, bright yellow. Monotone in hue like viridis (the nearest basic colours of
/// viridis ran black, magenta, black, cyan, black, yellow), and still so on 8 colours.
public let basicHeatRamp: [TerminalColor] = [4, 12, 6, 2, 10, 3, 11].map { TerminalColor.indexed($0) }
