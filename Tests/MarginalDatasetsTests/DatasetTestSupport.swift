import Foundation
import MarginalCore
@testable import MarginalDatasets

/// Helpers for the dataset tests.
enum DatasetCheck {
    /// FNV-1a (64 bit) over the bytes of every image and mask: one number per run of samples,
    /// equal exactly when the bytes are.
    static func hash<S: Sequence>(_ samples: S) -> UInt64 where S.Element == SegmentationSample {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        for sample in samples {
            sample.image.withUnsafeBytes { for byte in $0 { add(byte) } }
            for byte in sample.mask { add(byte) }
        }
        return hash
    }

    /// Each class's share of the pixels (255 not counted).
    static func proportions<S: Sequence>(_ samples: S, classes: Int) -> [Double] where S.Element == SegmentationSample {
        var counts = [Double](repeating: 0, count: classes)
        for sample in samples { for label in sample.mask where label != 255 { counts[Int(label)] += 1 } }
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }

    /// The best IoU for class `target` that a single global threshold on intensity reaches over
    /// `samples` (one channel), predicting the class above the threshold or below it, whichever is
    /// better: every threshold between two distinct values is tried (sort, then sweep).
    static func bestThresholdIoU(_ samples: [SegmentationSample], target: UInt8) -> Double {
        var pixels: [(value: Float, hit: Bool)] = []
        for sample in samples { for (value, label) in zip(sample.image, sample.mask) { pixels.append((value, label == target)) } }
        pixels.sort { $0.value < $1.value }
        let positives = pixels.reduce(0) { $0 + ($1.hit ? 1 : 0) }
        guard positives > 0 else { return 0 }
        var best = 0.0
        // Predicting "below the threshold" for the first i pixels, "above" for the rest.
        var hitsBelow = 0
        for i in 0 ... pixels.count {
            if i == 0 || i == pixels.count || pixels[i].value != pixels[i - 1].value {
                let below = Double(hitsBelow) / Double(positives + (i - hitsBelow))
                let hitsAbove = positives - hitsBelow, countAbove = pixels.count - i
                let above = Double(hitsAbove) / Double(positives + (countAbove - hitsAbove))
                best = max(best, below, above)
            }
            if i < pixels.count && pixels[i].hit { hitsBelow += 1 }
        }
        return best
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder(_ name: String = #function) -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("marginal-datasets-\(getpid())-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
