import Foundation
import MarginalCore

/// A sample: one image (`channels × size × size`, standardised to mean 0 and deviation 1) and
/// its mask (`size × size`, class ids, 255 = ignored).
public struct Sample: Sendable {
    public let image: [Float]
    public let mask: [UInt8]
}

public enum Split: String, CaseIterable, Sendable, Codable {
    case train, validation, test
}

/// The seeded synthetic datasets: the same (name, seed, size) gives the same bytes. Classes
/// overlap in intensity and differ in texture and shape, so no threshold on intensity separates
/// them and the losses' biases show. Measured class proportions (`DatasetTests`, seed 1, 64 × 64,
/// training split): see `intendedProportion`.
public enum SyntheticDataset: String, CaseIterable, Sendable {
    /// Binary: small blobs (≈ 1–3 %) on textured, noisy background with unlabelled bright
    /// distractors (like retinal lesions).
    case lesions
    /// Background, a large organ (≈ 15–25 %) and a small tumour inside it (≈ 0.5–2 %) that differs
    /// from the organ more by texture than by brightness (like liver and pancreas tumours).
    case organ
    /// 8 street classes from ≈ 30 % (road) down to ≈ 0.3 % (sign), like Cityscapes.
    case street

    public var classNames: [String] {
        switch self {
        case .lesions: ["background", "lesion"]
        case .organ: ["background", "organ", "tumour"]
        case .street: ["road", "building", "vegetation", "sky", "car", "person", "pole", "sign"]
        }
    }

    public var classes: Int { classNames.count }

    /// What the layouts aim at; each drawn mask varies around it.
    public var intendedProportion: [Double] {
        switch self {
        case .lesions: [0.98, 0.02]
        case .organ: [0.79, 0.2, 0.012]
        case .street: [0.32, 0.25, 0.15, 0.12, 0.1, 0.035, 0.015, 0.003]
        }
    }

    public static func sizes(_ split: Split) -> Int {
        switch split {
        case .train: 512
        case .validation: 64
        case .test: 64
        }
    }

    /// Sample `index` of `split`; each sample has its own seed, so any one can be made alone
    /// (and on any thread).
    public func sample(_ split: Split, _ index: Int, seed: UInt64, size: Int) -> Sample {
        let splitCode: UInt64 = split == .train ? 1 : (split == .validation ? 2 : 3)
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ splitCode << 40 &+ UInt64(index))
        let mask = drawMask(size: size, using: &random)
        return Sample(image: drawImage(mask: mask, size: size, using: &random), mask: mask)
    }

    private func drawMask(size: Int, using random: inout SeededRandom) -> [UInt8] {
        var canvas = LabelCanvas(height: size, width: size)
        let s = Double(size)
        switch self {
        case .lesions:
            canvas.scatterBlobs(label: 1, onto: 0, share: random.uniform(0.01, 0.03), radius: s * 0.04, using: &random)
        case .organ:
            let area = random.uniform(0.15, 0.25) * s * s
            let a = (area / (Double.pi * 1.25)).squareRoot()
            canvas.fillEllipse(label: 1, center: (s * random.uniform(0.4, 0.6), s * random.uniform(0.4, 0.6)), radii: (a, 1.25 * a),
                               wobble: 0.1, using: &random)
            canvas.scatterBlobs(label: 2, onto: 1, share: random.uniform(0.005, 0.02), radius: a * 0.2, using: &random)
        case .street:
            canvas.fill(label: 0)
            canvas.fillBand(label: 3, fromRow: 0, share: 0.12 + 0.25 + 0.15, jitter: 2, using: &random)
            canvas.fillBand(label: 1, fromRow: Int(s * 0.12), share: 0.25 + 0.15, jitter: 3, using: &random)
            canvas.scatterBlobs(label: 2, onto: 1, share: 0.15, radius: s * 0.08, using: &random)
            canvas.scatterBoxes(label: 4, onto: 0, share: 0.1, size: (s * 0.1, s * 0.2), using: &random)
            canvas.scatterBoxes(label: 5, onto: 0, share: 0.035, size: (s * 0.14, s * 0.04), using: &random)
            canvas.scatterBoxes(label: 6, onto: 1, share: 0.015, size: (s * 0.3, s * 0.02), using: &random)
            canvas.scatterBoxes(label: 7, onto: 1, share: 0.003, size: (s * 0.04, s * 0.04), using: &random)
        }
        return canvas.labels
    }

    /// Per class: mean brightness, and the amplitude of its own texture (stripes of a class's own
    /// orientation and period, or speckle). Means differ by less than the noise, so intensity
    /// alone does not tell the classes apart.
    private var looks: [(mean: Double, stripes: Double, period: Double, angle: Double, speckle: Double)] {
        switch self {
        case .lesions: [(0, 0, 1, 0, 0.2), (0.7, 0, 1, 0, 0.9)]
        case .organ: [(0, 0, 1, 0, 0.3), (0.5, 0.5, 5, 0.6, 0.2), (0.65, 0, 1, 0, 0.9)]
        case .street: [(-0.3, 0.2, 7, 0, 0.2), (0.2, 0.6, 4, 1.57, 0.1), (0.0, 0, 1, 0, 0.8), (0.6, 0, 1, 0, 0.1),
                       (-0.1, 0.5, 3, 0, 0.3), (0.3, 0.4, 2.5, 1.0, 0.5), (0.4, 0.6, 2, 1.57, 0.2), (0.5, 0.7, 2, 0.78, 0.6)]
        }
    }

    private func drawImage(mask: [UInt8], size: Int, using random: inout SeededRandom) -> [Float] {
        let looks = self.looks
        let smooth = smoothField(size: size, using: &random)
        let phase = random.uniform(0, 2 * Double.pi)
        var image = [Double](repeating: 0, count: size * size)
        for row in 0 ..< size {
            for column in 0 ..< size {
                let i = row * size + column, look = looks[Int(mask[i])]
                let along = Double(column) * cos(look.angle) + Double(row) * sin(look.angle)
                image[i] = look.mean + look.stripes * sin(2 * Double.pi * along / look.period + phase)
                    + look.speckle * random.normal() + 0.6 * smooth[i] + 0.25 * random.normal()
            }
        }
        if self == .lesions {
            // Unlabelled bright spots: a threshold on brightness finds these as well as lesions.
            for _ in 0 ..< 4 {
                let (cy, cx, r) = (random.uniform(0, Double(size)), random.uniform(0, Double(size)), random.uniform(1.5, 3.5))
                for row in 0 ..< size {
                    for column in 0 ..< size where mask[row * size + column] == 0 {
                        let d = (Double(row) - cy) * (Double(row) - cy) + (Double(column) - cx) * (Double(column) - cx)
                        if d <= r * r { image[row * size + column] += 0.8 }
                    }
                }
            }
        }
        let mean = image.reduce(0, +) / Double(image.count)
        let deviation = max((image.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(image.count)).squareRoot(), 1e-6)
        return image.map { Float(($0 - mean) / deviation) }
    }

    /// Low-frequency noise: white noise blurred twice by a 7 × 7 box, scaled to deviation 1.
    private func smoothField(size: Int, using random: inout SeededRandom) -> [Double] {
        var field = (0 ..< size * size).map { _ in random.normal() }
        for _ in 0 ..< 2 {
            var blurred = field
            for row in 0 ..< size {
                for column in 0 ..< size {
                    var sum = 0.0, count = 0.0
                    for r in max(0, row - 3) ... min(size - 1, row + 3) {
                        for c in max(0, column - 3) ... min(size - 1, column + 3) { sum += field[r * size + c]; count += 1 }
                    }
                    blurred[row * size + column] = sum / count
                }
            }
            field = blurred
        }
        let deviation = max((field.reduce(0) { $0 + $1 * $1 } / Double(field.count)).squareRoot(), 1e-12)
        return field.map { $0 / deviation }
    }
}
