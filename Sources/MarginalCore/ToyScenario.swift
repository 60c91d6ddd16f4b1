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

