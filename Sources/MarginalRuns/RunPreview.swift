import Foundation
import MarginalCore
import MarginalDatasets

/// One validation image's ground truth and the model's prediction at the latest evaluation,
/// written by the trainer as `preview.png`: one palette PNG of class ids, the truth on the left
/// and the prediction on the right (so it is a picture to open, and still holds the ids).
public struct RunPreview: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `height × width` class ids each, row-major; 255 is an ignored pixel.
    public let truth: [UInt8]
    public let prediction: [UInt8]

    public init(width: Int, height: Int, truth: [UInt8], prediction: [UInt8]) throws(MarginalError) {
        guard width > 0, height > 0, truth.count == width * height, prediction.count == width * height else {
            throw MarginalError("a preview of \(width) x \(height) needs \(width * height) labels in each map")
        }
        self.width = width; self.height = height; self.truth = truth; self.prediction = prediction
    }

    /// Reads a preview written by `write(to:)`: a label map twice as wide as it is tall.
    public init(contentsOf url: URL) throws(MarginalError) {
        let image = try PNGImage.read(contentsOf: url.path, as: .labels)
        guard image.width % 2 == 0 else { throw MarginalError("\(url.path): a preview is two label maps side by side") }
        let half = image.width / 2
        var truth: [UInt8] = [], prediction: [UInt8] = []
        truth.reserveCapacity(half * image.height)
        prediction.reserveCapacity(half * image.height)
        for row in 0 ..< image.height {
            let start = row * image.width
            truth += image.pixels[start ..< start + half]
            prediction += image.pixels[start + half ..< start + image.width]
        }
        try self.init(width: half, height: image.height, truth: truth, prediction: prediction)
    }

    /// Writes the two maps side by side, atomically (a reader never sees half a file).
    public func write(to url: URL) throws(MarginalError) {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(2 * width * height)
        for row in 0 ..< height {
            pixels += truth[row * width ..< (row + 1) * width]
            pixels += prediction[row * width ..< (row + 1) * width]
        }
        try writeAtomically(try PNGImage.labelMap(pixels, width: 2 * width, height: height).encoded(), to: url)
    }
}
