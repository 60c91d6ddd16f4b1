import Foundation
import MarginalCore

/// `lesions`: small compact bright-ish blobs (1–3 % of the pixels, drawn per image) on a textured,
/// noisy background, like exudates or microaneurysms on a retinal photograph.
///
/// What tells a lesion apart is its shape and local texture, not its brightness:
/// - lesions: compact blobs 1.6–3.5 px in radius at 64 px (scaled with the size), a dome
///   (brighter centre) over +0.55 with a fine granular speckle;
/// - unlabelled background structure as bright as lesions: thin curved fibres (+1.1, like
///   vessels), wide diffuse glows (+0.9, like the optic disc or reflections), slow illumination
///   changes (deviation 0.55);
/// - white noise of deviation 0.35 on everything.
enum LesionsDrawing {
    static func draw(size: Int, using random: inout SeededRandom) -> (image: [Double], mask: [UInt8]) {
        let s = Double(size)
        var canvas = MaskCanvas(size: size)
        // Lesions, until they cover the share drawn for this image; the last one trimmed to it.
        let goal = Int((random.uniform(0.01, 0.03) * s * s).rounded())
        var lesions: [(row: Double, column: Double, radius: Double)] = []
        var painted = 0, attempts = 0
        while painted < goal && attempts < 1000 {
            attempts += 1
            let radius = s * random.uniform(0.025, 0.055)
            let row = random.uniform(radius + 1, s - radius - 1), column = random.uniform(radius + 1, s - radius - 1)
            // Apart from the others, so that each stays one compact blob.
            guard lesions.allSatisfy({ hypot($0.row - row, $0.column - column) > $0.radius + radius + 1.5 }) else { continue }
            let aspect = random.uniform(0.75, 1.33)
            painted += canvas.fillBlob(1, row: row, column: column, radii: (radius * aspect.squareRoot(), radius / aspect.squareRoot()),
                                       angle: random.uniform(0, .pi), wobble: 0.15, lobes: Double(Int(random.uniform(2, 5))),
                                       phase: random.uniform(0, 2 * .pi), limit: goal - painted)
            lesions.append((row, column, radius))
        }

        var image = TextureField.smooth(size: size, radius: max(2, size / 10), using: &random).map { 0.55 * $0 }
        // Fibres: random walks of a smoothly turning heading, 1 px (sometimes 2 px) wide.
        let fibres = Int((6 * s * s / 4096).rounded(.up))
        for _ in 0 ..< fibres {
            var row = random.uniform(0, s), column = random.uniform(0, s), heading = random.uniform(0, 2 * .pi)
            let length = Int(s * random.uniform(0.3, 0.7)), wide = random.uniform(0, 1) < 0.3
            let strength = random.uniform(0.8, 1.4)
            for _ in 0 ..< length {
                heading += random.uniform(-0.25, 0.25)
                row += sin(heading)
                column += cos(heading)
                let (r, c) = (Int(row), Int(column))
                for (dr, dc) in wide ? [(0, 0), (0, 1), (1, 0)] : [(0, 0)] where (0 ..< size).contains(r + dr) && (0 ..< size).contains(c + dc) {
                    image[(r + dr) * size + c + dc] = max(image[(r + dr) * size + c + dc], strength + 0.3 * image[(r + dr) * size + c + dc])
                }
            }
        }
        // Diffuse glows: Gaussian bumps 4–7 px wide at 64 px.
        for _ in 0 ..< Int(random.uniform(1, 3.99)) {
            let row = random.uniform(0, s), column = random.uniform(0, s), sigma = s * random.uniform(0.06, 0.11)
            let height = random.uniform(0.7, 1.1)
            for r in 0 ..< size {
                for c in 0 ..< size {
                    let d2 = (Double(r) - row) * (Double(r) - row) + (Double(c) - column) * (Double(c) - column)
                    image[r * size + c] += height * exp(-d2 / (2 * sigma * sigma))
                }
            }
        }
        // Lesion texture: a dome and a granular speckle, added to the background beneath.
        let grain = TextureField.smooth(size: size, radius: 1, using: &random)
        for lesion in lesions {
            let reach = Int(lesion.radius * 1.6) + 1
            for r in max(0, Int(lesion.row) - reach) ... min(size - 1, Int(lesion.row) + reach) {
                for c in max(0, Int(lesion.column) - reach) ... min(size - 1, Int(lesion.column) + reach) where canvas.labels[r * size + c] == 1 {
                    let d = hypot(Double(r) + 0.5 - lesion.row, Double(c) + 0.5 - lesion.column) / (lesion.radius * 1.3)
                    image[r * size + c] += 0.55 + 0.5 * max(0, 1 - d * d) + 0.45 * grain[r * size + c]
                }
            }
        }
        for i in image.indices { image[i] += 0.35 * random.normal() }
        return (image, canvas.labels)
    }
}
