import Foundation
import MarginalCore

/// The procedurally generated datasets: single-channel images whose classes overlap in intensity
/// and differ in texture and shape, so that no threshold on intensity separates them and the
/// losses' label-marginal biases show. The same (seed, size, split, index) gives the same bytes
/// on a platform (another C library may round `sin`, `cos`, `exp` or `log` differently).
///
/// Class proportions over the training split at 64 × 64 (seed 1: 512 images; seed 2: 256),
/// measured by `swift test --filter SegmentationDatasetTests/documentedProportions`, which prints
/// these rows and asserts `documentedProportions`:
///
/// | set | seed | proportions |
/// |---|---|---|
/// | lesions | 1 | background 98.00 % · lesion 2.00 % |
/// | lesions | 2 | background 98.03 % · lesion 1.97 % |
/// | organ | 1 | background 80.15 % · organ 18.59 % · tumour 1.26 % |
/// | organ | 2 | background 79.63 % · organ 19.16 % · tumour 1.21 % |
/// | street | 1 | road 32.87 % · building 24.76 % · vegetation 13.08 % · sky 16.97 % · car 7.46 % · person 3.19 % · pole 1.45 % · sign 0.23 % |
/// | street | 2 | road 32.91 % · building 24.86 % · vegetation 13.06 % · sky 17.03 % · car 7.34 % · person 3.19 % · pole 1.38 % · sign 0.23 % |
///
/// Shapes scale with the size, so the shares hardly move with it (128 images, seed 1: at 32 × 32
/// street's person 2.07 %, sign 0.43 %; at 128 × 128 person 2.83 %, sign 0.24 %; every other
/// share within 1.5 points of the table). Each image draws its own shares around these (lesions
/// 1–3 %, organ 15–25 %, tumour 0.5–2 %), and a street image may have no sign.
public enum SyntheticSet: String, CaseIterable, Sendable {
    /// See `LesionsDrawing`.
    case lesions
    /// See `OrganDrawing`.
    case organ
    /// See `StreetDrawing`.
    case street

    /// Everything about one set, registered once: adding a set is a case here, its recipe below
    /// and its drawing (`LesionsDrawing` is an example).
    public struct Recipe: Sendable {
        public let classNames: [String]
        /// Per class, the range its share of the training split's pixels lies in at 64 × 64
        /// (asserted for seeds 1 and 2; the table above has the measured values).
        public let documentedProportions: [ClosedRange<Double>]
        /// Distinguishes the sets' random streams for the same seed.
        let salt: UInt64
        /// What the set is, in one line, for help texts.
        public let summary: String
        let draw: @Sendable (Int, inout SeededRandom) -> (image: [Double], mask: [UInt8])
    }

    public var recipe: Recipe {
        switch self {
        case .lesions:
            Recipe(classNames: ["background", "lesion"], documentedProportions: [0.975 ... 0.985, 0.015 ... 0.025],
                   salt: 0x4C45_5349, summary: "binary, ≈ 2 % foreground",
                   draw: { LesionsDrawing.draw(size: $0, using: &$1) })
        case .organ:
            Recipe(classNames: ["background", "organ", "tumour"], documentedProportions: [0.76 ... 0.84, 0.16 ... 0.22, 0.008 ... 0.017],
                   salt: 0x4F52_4741, summary: "background, organ ≈ 19 %, tumour ≈ 1.3 %",
                   draw: { OrganDrawing.draw(size: $0, using: &$1) })
        case .street:
            Recipe(classNames: StreetDrawing.classNames,
                   documentedProportions: [0.29 ... 0.37, 0.21 ... 0.29, 0.10 ... 0.16, 0.14 ... 0.20, 0.06 ... 0.09, 0.025 ... 0.04,
                                           0.011 ... 0.018, 0.0015 ... 0.0032],
                   salt: 0x5354_5245, summary: "8 classes, 33 % down to 0.2 %",
                   draw: { StreetDrawing.draw(size: $0, using: &$1) })
        }
    }

    public var classNames: [String] { recipe.classNames }
    public var documentedProportions: [ClosedRange<Double>] { recipe.documentedProportions }
    var salt: UInt64 { recipe.salt }

    /// Sample `index` of `split`, made from its own seed.
    public func sample(_ split: DatasetSplit, _ index: Int, seed: UInt64, size: Int) -> SegmentationSample {
        var random = SeededRandom(seed: sampleSeed(seed, salt: salt, split: split, index: index))
        let (image, mask) = recipe.draw(size, &random)
        return SegmentationSample(image: standardisedChannels(image, channels: 1), mask: mask)
    }

    /// The smallest side the layouts are drawn at.
    public static let minimumSize = 16

    /// The dataset, `size × size`, with `splitSizes` samples per split.
    public func dataset(seed: UInt64, size: Int, splitSizes: SplitSizes = .standard) throws(MarginalError) -> SegmentationDataset {
        guard size >= Self.minimumSize, size <= 4096 else {
            throw MarginalError("size \(size): the \(rawValue) dataset is drawn at \(Self.minimumSize) to 4096 pixels a side")
        }
        func samples(_ split: DatasetSplit) -> DatasetSamples {
            DatasetSamples(split: split, count: splitSizes[split], channels: 1, height: size, width: size) { index in
                self.sample(split, index, seed: seed, size: size)
            }
        }
        return SegmentationDataset(name: rawValue, classNames: classNames, channels: 1, height: size, width: size,
                                   train: samples(.train), validation: samples(.validation), test: samples(.test),
                                   provenance: "synthetic, seed \(seed): procedurally drawn images and their exact masks")
    }
}
