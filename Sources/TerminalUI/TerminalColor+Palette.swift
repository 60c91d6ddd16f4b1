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
