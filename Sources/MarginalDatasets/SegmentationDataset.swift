import Foundation
import MarginalCore

/// One image and its mask.
///
/// `image` is `channels × height × width` (C order), each channel standardised to mean 0 and
/// deviation 1 over the image; `mask` is `height × width` class ids, 255 = ignored.
public struct SegmentationSample: Sendable, Equatable {
    public let image: [Float]
    public let mask: [UInt8]
    public init(image: [Float], mask: [UInt8]) {
        self.image = image
        self.mask = mask
    }
}

public enum DatasetSplit: String, CaseIterable, Sendable, Codable {
    case train, validation, test

    /// A number per split for seeding (train 1, validation 2, test 3).
    var code: UInt64 {
        switch self {
        case .train: 1
        case .validation: 2
        case .test: 3
        }
    }
}

/// How many samples the generated datasets (synthetic and `fashion`) draw per split.
public struct SplitSizes: Sendable, Equatable {
    public var train: Int, validation: Int, test: Int
    public init(train: Int, validation: Int, test: Int) {
        self.train = train
        self.validation = validation
        self.test = test
    }
    /// 512 / 64 / 64: what the training runs use.
    public static let standard = SplitSizes(train: 512, validation: 64, test: 64)

    public subscript(split: DatasetSplit) -> Int {
        switch split {
        case .train: train
        case .validation: validation
        case .test: test
        }
    }
}

/// The samples of one split: an indexable collection whose elements are made on demand (each from
/// its own seed for the generated sets, from decoded files for a folder), so any one can be made
/// alone, on any thread, in any order, and is the same every time.
public struct DatasetSamples: RandomAccessCollection, Sendable {
    public let split: DatasetSplit
    public let channels: Int
    public let height: Int
    public let width: Int
    public let startIndex = 0
    public let endIndex: Int
    /// Where each sample comes from, for a dataset read from files (the file stems); nil for the
    /// generated sets.
    public let names: [String]?
    private let make: @Sendable (Int) -> SegmentationSample

    public init(split: DatasetSplit, count: Int, channels: Int, height: Int, width: Int, names: [String]? = nil,
                make: @escaping @Sendable (Int) -> SegmentationSample) {
        precondition(count >= 0 && channels > 0 && height > 0 && width > 0, "a split needs a shape")
        precondition(names == nil || names!.count == count, "one name a sample")
        self.split = split
        self.names = names
        endIndex = count
        self.channels = channels
        self.height = height
        self.width = width
        self.make = make
    }

    public subscript(position: Int) -> SegmentationSample {
        precondition(indices.contains(position), "sample \(position) of \(split.rawValue) is outside 0..<\(endIndex)")
        return make(position)
    }

    /// Samples `indices`, stacked: the batch the trainer consumes.
    public func batch(_ indices: [Int]) -> SampleBatch {
        var images: [Float] = []
        var masks: [UInt8] = []
        images.reserveCapacity(indices.count * channels * height * width)
        masks.reserveCapacity(indices.count * height * width)
        for index in indices {
            let sample = self[index]
            images += sample.image
            masks += sample.mask
        }
        return SampleBatch(indices: indices, images: images, masks: masks, channels: channels, height: height, width: width)
    }
}

/// A segmentation dataset: its classes, its image shape and its three splits.
///
/// Made by `makeDataset(named:seed:size:…)`. The generated sets (`lesions`, `organ`, `street`,
/// `fashion`) are the same bytes for the same seed and size on every machine.
public struct SegmentationDataset: Sendable {
    /// The name it was made from (`lesions`, `folder:PATH`, …).
    public let name: String
    /// One per class, index = class id.
    public let classNames: [String]
    public let channels: Int
    public let height: Int
    public let width: Int
    public let train: DatasetSamples
    public let validation: DatasetSamples
    public let test: DatasetSamples
    /// Where the images and masks come from, in a sentence (shown with the dataset).
    public let provenance: String

    /// K, the number of classes.
    public var classes: Int { classNames.count }

    public init(name: String, classNames: [String], channels: Int, height: Int, width: Int,
                train: DatasetSamples, validation: DatasetSamples, test: DatasetSamples, provenance: String) {
        for samples in [train, validation, test] {
            precondition(samples.channels == channels && samples.height == height && samples.width == width, "splits share one shape")
        }
        self.name = name
        self.classNames = classNames
        self.channels = channels
        self.height = height
        self.width = width
        self.train = train
        self.validation = validation
        self.test = test
        self.provenance = provenance
    }

    public subscript(split: DatasetSplit) -> DatasetSamples {
        switch split {
        case .train: train
        case .validation: validation
        case .test: test
        }
    }
}

/// Standardises each channel of a `channels × pixels` image to mean 0 and deviation 1; a flat
/// channel (deviation below 1e-6 of the unit, e.g. an empty canvas) becomes all 0 rather than
/// being divided by ~0.
func standardisedChannels(_ values: [Double], channels: Int) -> [Float] {
    let pixels = values.count / channels
    var out = [Float](repeating: 0, count: values.count)
    for channel in 0 ..< channels {
        let range = channel * pixels ..< (channel + 1) * pixels
        var sum = 0.0
        for i in range { sum += values[i] }
        let mean = sum / Double(pixels)
        var squares = 0.0
        for i in range { squares += (values[i] - mean) * (values[i] - mean) }
        let deviation = (squares / Double(pixels)).squareRoot()
        guard deviation > 1e-6 else { continue }
        for i in range { out[i] = Float((values[i] - mean) / deviation) }
    }
    return out
}

/// A seed for sample `index` of `split` of dataset `salt`: the four numbers mixed by SplitMix64's
/// finaliser, so that neighbouring indices, splits and seeds give unrelated streams.
func sampleSeed(_ seed: UInt64, salt: UInt64, split: DatasetSplit, index: Int) -> UInt64 {
    func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    return mix(mix(mix(mix(seed) ^ salt) ^ split.code) ^ UInt64(index))
}
