import Foundation
import MarginalCore

/// A square map of class ids being drawn, with the shapes the synthetic datasets are made of.
struct MaskCanvas {
    let size: Int
    var labels: [UInt8]

    init(size: Int, fill: UInt8 = 0) {
        self.size = size
        labels = [UInt8](repeating: fill, count: size * size)
    }

    func count(_ label: UInt8) -> Int { labels.reduce(0) { $0 + ($1 == label ? 1 : 0) } }

    /// Paints `label` on the pixels whose centres lie in an ellipse (radii along and across
    /// `angle`) whose radius wobbles by ±`wobble` with `lobes` bumps around it, where `onto`
    /// allows, at most `limit` pixels (row by row); returns how many it painted.
    @discardableResult
    mutating func fillBlob(_ label: UInt8, row: Double, column: Double, radii: (along: Double, across: Double), angle: Double = 0,
                           wobble: Double = 0, lobes: Double = 3, phase: Double = 0, limit: Int = .max,
                           onto: (UInt8) -> Bool = { _ in true }) -> Int {
        let reach = max(radii.along, radii.across) * (1 + abs(wobble)) + 1
        let (cosine, sine) = (cos(angle), sin(angle))
        var painted = 0
        for r in max(0, Int(row - reach)) ... min(size - 1, Int(row + reach)) {
            for c in max(0, Int(column - reach)) ... min(size - 1, Int(column + reach)) {
                let dy = Double(r) + 0.5 - row, dx = Double(c) + 0.5 - column
                let u = (dx * cosine + dy * sine) / radii.along, v = (-dx * sine + dy * cosine) / radii.across
                let bound = 1 + wobble * sin(lobes * atan2(v, u) + phase)
                guard u * u + v * v <= bound * bound, painted < limit, onto(labels[r * size + c]) else { continue }
                if labels[r * size + c] != label { painted += 1 }
                labels[r * size + c] = label
            }
        }
        return painted
    }

    /// Paints `label` on the rectangle rows `top ..< top + height`, columns `left ..< left + width`
    /// (clipped to the canvas) where `onto` allows; returns how many pixels it painted.
    @discardableResult
    mutating func fillRect(_ label: UInt8, top: Int, left: Int, height: Int, width: Int, onto: (UInt8) -> Bool = { _ in true }) -> Int {
        var painted = 0
        for r in max(0, top) ..< min(size, top + height) {
            for c in max(0, left) ..< min(size, left + width) where onto(labels[r * size + c]) {
                if labels[r * size + c] != label { painted += 1 }
                labels[r * size + c] = label
            }
        }
        return painted
    }
}

/// Random fields the synthetic images are textured with; all `size × size`, row-major.
enum TextureField {
    /// Independent standard normal values.
    static func white(size: Int, using random: inout SeededRandom) -> [Double] {
        (0 ..< size * size).map { _ in random.normal() }
    }

    /// White noise blurred twice by a (2·radius + 1)² box (about a Gaussian of σ ≈ 0.8·radius),
    /// rescaled to deviation 1: blotches about `2·radius` pixels across.
    static func smooth(size: Int, radius: Int, using random: inout SeededRandom) -> [Double] {
        var field = white(size: size, using: &random)
        guard radius > 0 else { return field }
        for _ in 0 ..< 2 {
            field = boxBlur(field, size: size, radius: radius, alongRows: true)
            field = boxBlur(field, size: size, radius: radius, alongRows: false)
        }
        let mean = field.reduce(0, +) / Double(field.count)
        let deviation = max((field.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(field.count)).squareRoot(), 1e-12)
        return field.map { ($0 - mean) / deviation }
    }

    /// Mean over a window of `2·radius + 1` along rows or columns, the window clipped at the edges.
    private static func boxBlur(_ field: [Double], size: Int, radius: Int, alongRows: Bool) -> [Double] {
        var out = field
        for line in 0 ..< size {
            func at(_ i: Int) -> Int { alongRows ? line * size + i : i * size + line }
            var sum = 0.0
            for i in 0 ... min(radius, size - 1) { sum += field[at(i)] }
            for i in 0 ..< size {
                let low = i - radius, high = i + radius
                out[at(i)] = sum / Double(min(high, size - 1) - max(low, 0) + 1)
                if high + 1 < size { sum += field[at(high + 1)] }
                if low >= 0 { sum -= field[at(low)] }
            }
        }
        return out
    }

    /// A sinusoid of `period` pixels across stripes at `angle` (0 = vertical stripes).
    @inline(__always)
    static func stripes(row: Int, column: Int, period: Double, angle: Double, phase: Double) -> Double {
        sin(2 * Double.pi * (Double(column) * cos(angle) + Double(row) * sin(angle)) / period + phase)
    }
}
