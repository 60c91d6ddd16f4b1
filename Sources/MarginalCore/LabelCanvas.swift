import Foundation

/// A label map being drawn, with the few shape primitives the toys and the synthetic datasets use.
public struct LabelCanvas: Sendable {
    public let height: Int, width: Int
    public var labels: [UInt8]

    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
        labels = [UInt8](repeating: 0, count: height * width)
    }

    public mutating func fill(label: UInt8) { labels = [UInt8](repeating: label, count: height * width) }

    public func count(_ label: UInt8) -> Int { labels.reduce(0) { $0 + ($1 == label ? 1 : 0) } }

    /// Fills an ellipse whose radius wobbles by ±`wobble` with the angle (an organ, not a disc).
    public mutating func fillEllipse(label: UInt8, center: (Double, Double), radii: (Double, Double), wobble: Double,
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
    public mutating func scatterBlobs(label: UInt8, onto: UInt8, share: Double, radius: Double, using generator: inout SeededRandom) {
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
    public mutating func scatterBoxes(label: UInt8, onto: UInt8, share: Double, size: (Double, Double), using generator: inout SeededRandom) {
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
    public mutating func fillBand(label: UInt8, fromRow: Int, share: Double, jitter: Int, using generator: inout SeededRandom) {
        let rows = share * Double(height * width) / Double(width)
        var edge = Double(fromRow) + rows
        for column in 0 ..< width {
            edge += generator.uniform(-Double(jitter), Double(jitter)) * 0.5
            edge = min(max(edge, Double(fromRow) + rows - Double(jitter)), Double(fromRow) + rows + Double(jitter))
            for row in fromRow ..< min(height, Int(edge.rounded())) { labels[row * width + column] = label }
        }
    }
}

