import Foundation
import MarginalCore

/// `street`: eight classes in a street-scene layout, from road (≈ 33 %) down to sign (≈ 0.2 %),
/// like Cityscapes: horizontal bands (sky, a skyline of buildings, road below the horizon) with
/// objects on them (trees and hedges, cars, people, poles carrying signs).
///
/// Shapes scale with the image; textures are in pixels. Every class has its own texture and the
/// class means lie within 0.45 of each other, under noise and illumination changes:
///
/// | class | mean | texture |
/// |---|---|---|
/// | road | −0.1 | fine grain (white, 0.35) |
/// | building | +0.1 | window grid (period 4–5 px, ±0.25) |
/// | vegetation | 0.0 | blotches ≈ 3 px (0.6) |
/// | sky | +0.35 | smooth, brighter upwards (+0.25 at the top) |
/// | car | −0.05 | horizontal stripes, period 3 px (0.4) |
/// | person | +0.2 | vertical stripes, period 2 px (±0.4) |
/// | pole | +0.3 | smooth |
/// | sign | +0.35 | checkerboard of 1 px (±0.5) |
///
/// plus slow illumination (deviation 0.25) and white noise (0.25) everywhere.
enum StreetDrawing {
    static let classNames = ["road", "building", "vegetation", "sky", "car", "person", "pole", "sign"]

    static func draw(size: Int, using random: inout SeededRandom) -> (image: [Double], mask: [UInt8]) {
        let (road, building, vegetation, sky, car, person, pole, sign): (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 1, 2, 3, 4, 5, 6, 7)
        let s = Double(size)
        var canvas = MaskCanvas(size: size, fill: sky)
        let horizon = Int(s * random.uniform(0.58, 0.64))
        // Skyline: blocks of buildings, each with its own window grid.
        var windows = [(period: Int, rowShift: Int, columnShift: Int)](repeating: (4, 0, 0), count: size)
        var left = 0
        while left < size {
            let width = max(2, Int(s * random.uniform(0.1, 0.25))), top = Int(s * (random.uniform(0, 1) < 0.25 ? random.uniform(0.3, 0.45) : random.uniform(0.03, 0.22)))
            canvas.fillRect(building, top: top, left: left, height: horizon - top, width: width)
            let grid = (Int(random.uniform(4, 5.99)), Int(random.next() % 6), Int(random.next() % 6))
            for c in left ..< min(size, left + width) { windows[c] = grid }
            left += width
        }
        // Trees (crowns) and a hedge along the horizon.
        for _ in 0 ..< Int(random.uniform(3, 4.99)) {
            let radius = s * random.uniform(0.09, 0.14)
            canvas.fillBlob(vegetation, row: Double(horizon) - s * random.uniform(0.12, 0.22), column: random.uniform(0, s),
                            radii: (radius * random.uniform(1, 1.3), radius), angle: .pi / 2, wobble: 0.2, lobes: 5,
                            phase: random.uniform(0, 2 * .pi))
        }
        let hedge = Int(s * random.uniform(0.07, 0.13))
        canvas.fillRect(vegetation, top: horizon - hedge, left: Int(random.uniform(0, s * 0.6)), height: hedge, width: Int(s * random.uniform(0.3, 0.6)))
        canvas.fillRect(road, top: horizon, left: 0, height: size - horizon, width: size)
        // Objects standing on the road, nearer ones lower.
        for _ in 0 ..< Int(random.uniform(3, 4.99)) {
            let width = Int(s * random.uniform(0.2, 0.32)), height = Int(s * random.uniform(0.1, 0.15))
            let bottom = horizon + Int(s * random.uniform(0.02, 0.2))
            canvas.fillRect(car, top: bottom - height, left: Int(random.uniform(-0.05 * s, s - Double(width) * 0.9)), height: height, width: width)
        }
        for _ in 0 ..< Int(random.uniform(4, 8.99)) {
            let width = max(1, Int((s * 0.04).rounded())), height = Int(s * random.uniform(0.11, 0.16))
            let bottom = horizon + Int(s * random.uniform(-0.02, 0.12))
            canvas.fillRect(person, top: bottom - height, left: Int(random.uniform(0, s - Double(width))), height: height, width: width)
        }
        let signSide = max(2, Int((s * 0.05).rounded()))
        for _ in 0 ..< Int(random.uniform(1, 2.99)) {
            let width = max(1, Int((s * 0.025).rounded())), height = Int(s * random.uniform(0.28, 0.4))
            let bottom = horizon + Int(s * random.uniform(0, 0.05)), column = Int(random.uniform(2, s - 3))
            canvas.fillRect(pole, top: bottom - height, left: column, height: height, width: width)
            guard random.uniform(0, 1) < 0.7 else { continue }
            canvas.fillRect(sign, top: bottom - height - signSide / 2, left: column + width / 2 - signSide / 2, height: signSide, width: signSide)
        }

        let illumination = TextureField.smooth(size: size, radius: max(2, size / 8), using: &random)
        let blotches = TextureField.smooth(size: size, radius: 1, using: &random)
        let stripePhase = random.uniform(0, 2 * .pi)
        var image = [Double](repeating: 0, count: size * size)
        for r in 0 ..< size {
            for c in 0 ..< size {
                let i = r * size + c
                switch canvas.labels[i] {
                case road: image[i] = -0.1 + 0.35 * random.normal()
                case building:
                    let grid = windows[c]
                    let lit = (r + grid.rowShift) % grid.period < grid.period / 2 && (c + grid.columnShift) % grid.period < grid.period / 2
                    image[i] = 0.1 + (lit ? 0.25 : -0.25)
                case vegetation: image[i] = 0.6 * blotches[i]
                case sky: image[i] = 0.35 + 0.25 * (1 - Double(r) / Double(horizon))
                case car: image[i] = -0.05 + 0.4 * TextureField.stripes(row: r, column: c, period: 3, angle: .pi / 2, phase: stripePhase)
                case person: image[i] = 0.2 + (c % 2 == 0 ? 0.4 : -0.4)
                case pole: image[i] = 0.3
                default: image[i] = 0.35 + ((r + c) % 2 == 0 ? 0.5 : -0.5)
                }
                image[i] += 0.25 * illumination[i] + 0.25 * random.normal()
            }
        }
        return (image, canvas.labels)
    }
}
