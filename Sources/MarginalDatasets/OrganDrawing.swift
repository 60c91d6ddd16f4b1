import Foundation
import MarginalCore

/// `organ`: background, a large organ (15–25 % of the pixels, drawn per image) and a small tumour
/// inside it (0.5–2 %), like a liver or pancreas tumour on a CT slice.
///
/// - organ: a wobbly ellipse; parenchyma texture = fine stripes (period 4–6 px, random angle,
///   amplitude 0.35) over a mean of +0.45;
/// - tumour: 1–3 blobs inside the organ, mean +0.5 (within 0.05 of the organ's) with a coarse
///   blotchy texture (blotches ≈ 3 px, amplitude 0.6) and no stripes: told apart by texture;
/// - background: soft tissue (slow variations, deviation 0.45) holding 1–2 unlabelled structures
///   as bright as the organ (mean +0.45) but smooth;
/// - white noise of deviation 0.3 on everything.
enum OrganDrawing {
    static func draw(size: Int, using random: inout SeededRandom) -> (image: [Double], mask: [UInt8]) {
        let s = Double(size)
        var canvas = MaskCanvas(size: size)
        let wobble = 0.12
        // Radii for the drawn area: a wobbly ellipse covers π·a·b·(1 + wobble²/2).
        let area = random.uniform(0.15, 0.25) * s * s / (1 + wobble * wobble / 2)
        let aspect = random.uniform(1.0, 1.5)
        let along = (area * aspect / Double.pi).squareRoot(), across = (area / aspect / Double.pi).squareRoot()
        let (organRow, organColumn) = (s * random.uniform(0.42, 0.58), s * random.uniform(0.42, 0.58))
        let organAngle = random.uniform(0, .pi)
        canvas.fillBlob(1, row: organRow, column: organColumn, radii: (along, across), angle: organAngle, wobble: wobble,
                        lobes: Double(Int(random.uniform(2, 5))), phase: random.uniform(0, 2 * .pi))
        // Unlabelled bright structures in the background, away from the organ.
        var structures = MaskCanvas(size: size)
        for _ in 0 ..< Int(random.uniform(1, 2.99)) {
            let angle = random.uniform(0, 2 * .pi), distance = random.uniform(1.05, 1.3) * along + s * 0.1
            let radius = s * random.uniform(0.06, 0.11)
            structures.fillBlob(1, row: organRow + distance * sin(angle), column: organColumn + distance * cos(angle),
                                radii: (radius * random.uniform(1, 1.6), radius), angle: random.uniform(0, .pi), wobble: 0.1,
                                lobes: 3, phase: random.uniform(0, 2 * .pi))
        }
        // Tumour blobs inside the organ until they cover the share drawn for this image.
        let goal = max(1, Int((random.uniform(0.005, 0.02) * s * s).rounded()))
        var painted = 0, attempts = 0
        let organPixels = canvas.labels.indices.filter { canvas.labels[$0] == 1 }
        while painted < goal && attempts < 200 && !organPixels.isEmpty {
            attempts += 1
            let centre = organPixels[Int(random.next() % UInt64(organPixels.count))]
            let radius = s * random.uniform(0.035, 0.065)
            painted += canvas.fillBlob(2, row: Double(centre / size) + 0.5, column: Double(centre % size) + 0.5,
                                       radii: (radius * random.uniform(0.9, 1.3), radius), angle: random.uniform(0, .pi), wobble: 0.2,
                                       lobes: Double(Int(random.uniform(2, 5))), phase: random.uniform(0, 2 * .pi), limit: goal - painted,
                                       onto: { $0 == 1 })
        }

        let tissue = TextureField.smooth(size: size, radius: max(2, size / 12), using: &random)
        let blotches = TextureField.smooth(size: size, radius: 1, using: &random)
        let period = random.uniform(4, 6), angle = random.uniform(0, .pi), phase = random.uniform(0, 2 * .pi)
        var image = [Double](repeating: 0, count: size * size)
        for r in 0 ..< size {
            for c in 0 ..< size {
                let i = r * size + c
                switch canvas.labels[i] {
                case 1: image[i] = 0.45 + 0.35 * TextureField.stripes(row: r, column: c, period: period, angle: angle, phase: phase)
                    + 0.15 * tissue[i]
                case 2: image[i] = 0.5 + 0.6 * blotches[i] + 0.15 * tissue[i]
                default: image[i] = (structures.labels[i] == 1 ? 0.45 : 0) + 0.45 * tissue[i]
                }
                image[i] += 0.3 * random.normal()
            }
        }
        return (image, canvas.labels)
    }
}
