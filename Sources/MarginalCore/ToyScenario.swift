import Foundation

/// The toy segmentations: small label maps whose classes have chosen proportions ŷ and shapes,
/// small enough to train a per-pixel model on in milliseconds and to watch step by step.
public enum ToyScenario: String, CaseIterable, Sendable {
    /// Binary, a few small blobs covering ≈ 2 % of the image (retinal lesions).
    case smallLesion = "small-lesion"
    /// Binary, blobs covering ≈ 10 %.
    case mediumLesion = "medium-lesion"
    /// Binary, blobs covering ≈ 30 %.
    case largeLesion = "large-lesion"
    /// 3 classes: background, a large organ (≈ 20 %), a small tumour inside it (≈ 2 %).
    case organTumour = "organ-tumour"
    /// 6 classes from 40 % down to 1 %: sky, building, road, vegetation, car, sign.
    case street

    public var classNames: [String] {
        switch self {
        case .smallLesion, .mediumLesion, .largeLesion: ["background", "lesion"]
        case .organTumour: ["background", "organ", "tumour"]
        case .street: ["road", "building", "sky", "vegetation", "car", "sign"]
        }
    }

    public var classes: Int { classNames.count }

    /// The proportions the layout aims at (the drawn map's own ŷ is within a few tenths of a
    /// percent of these; `ToyImage.targetProportion` is the exact one).
    public var intendedProportion: [Double] {
        switch self {
        case .smallLesion: [0.98, 0.02]
        case .mediumLesion: [0.9, 0.1]
        case .largeLesion: [0.7, 0.3]
        case .organTumour: [0.78, 0.2, 0.02]
        case .street: [0.40, 0.25, 0.15, 0.12, 0.07, 0.01]
        }
    }

    /// The label map, `height × width`, row-major; deterministic for a seed.
    func drawLabels(height: Int, width: Int, using generator: inout SeededRandom) -> [UInt8] {
        var canvas = LabelCanvas(height: height, width: width)
        switch self {
        case .smallLesion, .mediumLesion, .largeLesion:
            let share = intendedProportion[1]
            let radius = Double(min(height, width)) * (self == .smallLesion ? 0.045 : (self == .mediumLesion ? 0.08 : 0.14))
            canvas.scatterBlobs(label: 1, onto: 0, share: share, radius: radius, using: &generator)
        case .organTumour:
            let area = 0.2 * Double(height * width)
            // An ellipse of axes a, b = 1.3 a has area π a b.
            let a = (area / (Double.pi * 1.3)).squareRoot()
            let center = (Double(height) * generator.uniform(0.4, 0.6), Double(width) * generator.uniform(0.4, 0.6))
            canvas.fillEllipse(label: 1, center: center, radii: (a, 1.3 * a), wobble: 0.08, using: &generator)
            canvas.scatterBlobs(label: 2, onto: 1, share: 0.02, radius: a * 0.28, using: &generator)
        case .street:
            // Sky on top, buildings below it, road at the bottom: horizontal bands with jagged edges.
            canvas.fill(label: 0)
            canvas.fillBand(label: 2, fromRow: 0, share: 0.15 + 0.12 + 0.25, jitter: 2, using: &generator)
            canvas.fillBand(label: 1, fromRow: Int(Double(height) * 0.15), share: 0.25 + 0.12, jitter: 3, using: &generator)
            canvas.scatterBlobs(label: 3, onto: 1, share: 0.12, radius: Double(height) * 0.09, using: &generator)
            canvas.scatterBoxes(label: 4, onto: 0, share: 0.07, size: (Double(height) * 0.08, Double(width) * 0.16), using: &generator)
            canvas.scatterBoxes(label: 5, onto: 1, share: 0.01, size: (Double(height) * 0.06, Double(width) * 0.03), using: &generator)
        }
        return canvas.labels
    }
}

/// A label map being drawn, with the few shape primitives the scenarios use.
struct LabelCanvas {
    let height: Int, width: Int
    var labels: [UInt8]

    init(height: Int, width: Int) {
        self.height = height
        self.width = width
        labels = [UInt8](repeating: 0, count: height * width)
    }

    mutating func fill(label: UInt8) { labels = [UInt8](repeating: label, count: height * width) }

    func count(_ label: UInt8) -> Int { labels.reduce(0) { $0 + ($1 == label ? 1 : 0) } }

    /// Fills an ellipse whose radius wobbles by ±`wobble` with the angle (an organ, not a disc).
    mutating func fillEllipse(label: UInt8, center: (Double, Double), radii: (Double, Double), wobble: Double,
                              onto: UInt8? = nil, using generator: inout SeededRandom) {
        let phase = generator.uniform(0, 2 * Double.pi), lobes = Double(Int(generator.uniform(2, 5)))
        for row in 0 ..< height {
            for column in 0 ..< width {
                let dy = (Double(row) + 0.5 - center.0) / radii.0, dx = (Double(column) + 0.5 - center.1) / radii.1
                let angle = atan2(dy, dx)
                let limit = 1 + wobble * sin(lobes * angle + phase)
                if dy * dy + dx * dx <= limit * limit, onto == nil || labels[row * width + column] == onto! {
                    labels[row * width + column] = label
                }
            }
        }
    }

    /// Blobs of `label` at random places on pixels labelled `onto`, until they cover `share` of
    /// the image (the last blob may overshoot by part of one blob).
    mutating func scatterBlobs(label: UInt8, onto: UInt8, share: Double, radius: Double, using generator: inout SeededRandom) {
        let goal = Int((share * Double(height * width)).rounded())
        var attempts = 0
        while count(label) < goal && attempts < 10_000 {
            attempts += 1
            let row = Int(generator.uniform(0, Double(height))), column = Int(generator.uniform(0, Double(width)))
            guard labels[row * width + column] == onto else { continue }
            let r = radius * generator.uniform(0.6, 1.3)
            // Shrink the last blob so the proportion lands close to the goal.
            let remaining = Double(goal - count(label))
            let scaled = min(r, (remaining / Double.pi).squareRoot() + 0.5)
            fillEllipse(label: label, center: (Double(row) + 0.5, Double(column) + 0.5), radii: (scaled, scaled * generator.uniform(0.8, 1.25)),
                        wobble: 0.15, onto: onto, using: &generator)
        }
    }

    /// Axis-aligned boxes (cars, signs) on pixels labelled `onto`, until they cover `share`.
    mutating func scatterBoxes(label: UInt8, onto: UInt8, share: Double, size: (Double, Double), using generator: inout SeededRandom) {
        let goal = Int((share * Double(height * width)).rounded())
        var attempts = 0
        while count(label) < goal && attempts < 10_000 {
            attempts += 1
            let row = Int(generator.uniform(0, Double(height))), column = Int(generator.uniform(0, Double(width)))
            guard labels[row * width + column] == onto else { continue }
            let h = max(1, Int(size.0 * generator.uniform(0.7, 1.3))), w = max(1, Int(size.1 * generator.uniform(0.7, 1.3)))
            var placed = 0
            for r in row ..< min(height, row + h) {
                for c in column ..< min(width, column + w) where labels[r * width + c] == onto && count(label) + placed < goal {
                    labels[r * width + c] = label
                    placed += 1
                }
            }
        }
    }

    /// Rows from `fromRow` down filled with `label` until it covers `share` of the image, the
    /// lower edge jagged by ±`jitter` rows column to column.
    mutating func fillBand(label: UInt8, fromRow: Int, share: Double, jitter: Int, using generator: inout SeededRandom) {
        let rows = share * Double(height * width) / Double(width)
        var edge = Double(fromRow) + rows
        for column in 0 ..< width {
            edge += generator.uniform(-Double(jitter), Double(jitter)) * 0.5
            edge = min(max(edge, Double(fromRow) + rows - Double(jitter)), Double(fromRow) + rows + Double(jitter))
            for row in fromRow ..< min(height, Int(edge.rounded())) { labels[row * width + column] = label }
        }
    }
}

