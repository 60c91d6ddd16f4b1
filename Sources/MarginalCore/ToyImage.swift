import Foundation

/// A toy image: a label map and, at each pixel, a feature vector drawn so that the classes
/// overlap: f_i = μ_{y_i} + noise, with the class means μ_k spread on a circle of radius
/// `separation` (in units of the noise's standard deviation) and a spatially smooth noise, so
/// that no threshold separates the classes and a per-pixel model must trade errors between them.
public struct ToyImage: Sendable, Equatable {
    public let scenario: ToyScenario
    public let height: Int
    public let width: Int
    /// y, `height × width`, row-major.
    public let labels: [UInt8]
    /// Features, `featureCount × height × width` (feature-major, like NCHW).
    public let features: [Double]
    public let separation: Double
    public static var featureCount: Int { 2 }

    public var classes: Int { scenario.classes }
    public var pixels: Int { height * width }

    /// ŷ of the drawn map.
    public var targetProportion: [Double] {
        var counts = [Double](repeating: 0, count: classes)
        for label in labels { counts[Int(label)] += 1 }
        return counts.map { $0 / Double(pixels) }
    }

    /// Draws the scenario's label map and features; deterministic for a seed.
    public init(scenario: ToyScenario, seed: UInt64, separation: Double = 1.5, height: Int = 64, width: Int = 64) throws(MarginalError) {
        guard separation.isFinite, separation >= 0 else {
            throw MarginalError("--separation \(separation): must be a number ≥ 0")
        }
        guard (16 ... 512).contains(height), (16 ... 512).contains(width) else {
            throw MarginalError("toy size \(width) x \(height) (width x height): each side must be 16 to 512 pixels")
        }
        var generator = SeededRandom(seed: seed)
        let labels = scenario.drawLabels(height: height, width: width, using: &generator)
        let classes = scenario.classes
        // Class means on a circle; background (class 0) sits opposite the others' mean direction.
        let means: [(Double, Double)] = (0 ..< classes).map { k in
            let angle = 2 * Double.pi * Double(k) / Double(classes)
            return (separation * cos(angle), separation * sin(angle))
        }
        // Noise = a fine part plus a smoothed part (texture), total variance 1 per feature.
        var features = [Double](repeating: 0, count: Self.featureCount * height * width)
        for feature in 0 ..< Self.featureCount {
            let coarse = smoothNoise(height: height, width: width, using: &generator)
            for i in 0 ..< height * width {
                let mean = feature == 0 ? means[Int(labels[i])].0 : means[Int(labels[i])].1
                features[feature * height * width + i] = mean + 0.6 * generator.normal() + 0.8 * coarse[i]
            }
        }
        self.scenario = scenario
        self.height = height
        self.width = width
        self.labels = labels
        self.features = features
        self.separation = separation
    }
}

/// Gaussian noise blurred by a 5 × 5 box twice and rescaled to unit variance: a texture with
/// a correlation length of a few pixels.
private func smoothNoise(height: Int, width: Int, using generator: inout SeededRandom) -> [Double] {
    var field = (0 ..< height * width).map { _ in generator.normal() }
    for _ in 0 ..< 2 {
        var blurred = [Double](repeating: 0, count: field.count)
        for row in 0 ..< height {
            for column in 0 ..< width {
                var sum = 0.0, count = 0.0
                for r in max(0, row - 2) ... min(height - 1, row + 2) {
                    for c in max(0, column - 2) ... min(width - 1, column + 2) { sum += field[r * width + c]; count += 1 }
                }
                blurred[row * width + column] = sum / count
            }
        }
        field = blurred
    }
    let mean = field.reduce(0, +) / Double(field.count)
    let deviation = (field.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(field.count)).squareRoot()
    return field.map { ($0 - mean) / max(deviation, 1e-12) }
}

