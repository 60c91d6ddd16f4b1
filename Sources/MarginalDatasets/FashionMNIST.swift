import Foundation
import MarginalCore

/// `fashion` — real Fashion-MNIST garments (Xiao, Rasul & Vollgraf 2017; 28 × 28 gray, 10
/// classes) composited 1–3 per canvas at random places; 11 classes: background + the 10 garments.
///
/// The files come from Debian's `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist/`,
/// IDX format, gzip-compressed). Fashion-MNIST has no masks: **the masks are derived, not
/// hand-annotated** — a garment's pixels at least `maskThreshold` bright (of 255), plus the dark
/// holes they enclose, take the garment's class. A later garment covers an earlier one (it is
/// placed where it overlaps earlier ones by at most 30 % when one of 10 tries allows).
///
/// Garments never cross splits: training composites draw from the first 50 000 training images,
/// validation from the last 10 000, test from the 10 000 test images.
///
/// Class proportions over the training split (512 composites, seed 1, 64 × 64), measured by
/// `swift test --filter SegmentationDatasetTests/fashionComposites`, which prints this row and
/// asserts `documentedProportions`:
///
/// | background | T-shirt/top | trouser | pullover | dress | coat | sandal | shirt | sneaker | bag | ankle boot |
/// |---|---|---|---|---|---|---|---|---|---|---|
/// | 82.25 % | 2.12 % | 1.35 % | 2.50 % | 1.64 % | 2.15 % | 0.98 % | 2.28 % | 1.02 % | 1.95 % | 1.77 % |
public enum FashionMNIST {
    public static let defaultFolder = "/usr/share/datasets/fashion-mnist"
    public static let debianPackage = "dataset-fashion-mnist"
    /// The set in one line, for help texts.
    public static let summary = "real Fashion-MNIST garments from the Debian package \(debianPackage), 1–3 per canvas, 11 classes, masks derived by a brightness threshold"
    public static let garmentNames = ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]
    public static let classNames = ["background"] + garmentNames
    /// Brightness (0…255) from which a garment pixel belongs to its mask.
    public static let maskThreshold: UInt8 = 16
    /// The garments' side in pixels.
    public static let side = 28
    /// The ranges the class shares of the training split lie in (checked by the tests at 64 × 64):
    /// background, then every garment class.
    public static let documentedProportions: [ClosedRange<Double>] = [0.78 ... 0.86, 0.006 ... 0.032]

    /// The composited dataset on `size × size` canvases (at least 28).
    public static func dataset(seed: UInt64, size: Int = 64, splitSizes: SplitSizes = .standard,
                               folder: String = defaultFolder) throws(MarginalError) -> SegmentationDataset {
        guard size >= side, size <= 4096 else {
            throw MarginalError("size \(size): fashion composites 28 x 28 garments on canvases of 28 to 4096 pixels a side")
        }
        let garments = try load(folder: folder)
        func samples(_ split: DatasetSplit) -> DatasetSamples {
            DatasetSamples(split: split, count: splitSizes[split], channels: 1, height: size, width: size) { index in
                composite(split, index, seed: seed, size: size, garments: garments)
            }
        }
        return SegmentationDataset(name: "fashion", classNames: classNames, channels: 1, height: size, width: size,
                                   train: samples(.train), validation: samples(.validation), test: samples(.test),
                                   provenance: "Fashion-MNIST garments composited on a canvas; masks derived from a brightness threshold, not hand-annotated")
    }

    /// Fashion-MNIST's images and labels: the training file's 60 000 and the test file's 10 000.
    struct Garments: Sendable {
        /// `count × 28 × 28` bytes.
        let trainImages: [UInt8], trainLabels: [UInt8]
        let testImages: [UInt8], testLabels: [UInt8]

        /// Where split `split` draws its garments from: (images, labels, range of indices).
        func pool(_ split: DatasetSplit) -> (images: [UInt8], labels: [UInt8], range: Range<Int>) {
            switch split {
            case .train: (trainImages, trainLabels, 0 ..< 50_000)
            case .validation: (trainImages, trainLabels, 50_000 ..< trainLabels.count)
            case .test: (testImages, testLabels, 0 ..< testLabels.count)
            }
        }
    }

    /// The decoded files of `folder`, read once per process.
    static func load(folder: String) throws(MarginalError) -> Garments {
        if let cached = cache.value(folder) { return cached }
        func file(_ name: String) throws(MarginalError) -> Data {
            let base = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            for path in [base + ".gz", base] where FileManager.default.fileExists(atPath: path) {
                return try readGzipOrPlainFile(path)
            }
            throw MarginalError("fashion: \(base).gz not found; install the Debian package \(debianPackage) (apt-get install \(debianPackage))")
        }
        let trainPath = "\(folder)/train-images-idx3-ubyte", testPath = "\(folder)/t10k-images-idx3-ubyte"
        let trainImages = try idx(file("train-images-idx3-ubyte"), path: trainPath, dimensions: [60_000, 28, 28])
        let trainLabels = try idx(file("train-labels-idx1-ubyte"), path: "\(folder)/train-labels-idx1-ubyte", dimensions: [60_000])
        let testImages = try idx(file("t10k-images-idx3-ubyte"), path: testPath, dimensions: [10_000, 28, 28])
        let testLabels = try idx(file("t10k-labels-idx1-ubyte"), path: "\(folder)/t10k-labels-idx1-ubyte", dimensions: [10_000])
        for (labels, path) in [(trainLabels, "\(folder)/train-labels-idx1-ubyte"), (testLabels, "\(folder)/t10k-labels-idx1-ubyte")] {
            if let bad = labels.firstIndex(where: { $0 >= 10 }) {
                throw MarginalError("\(path): label \(labels[bad]) of item \(bad) is not one of the 10 garment classes")
            }
        }
        let garments = Garments(trainImages: trainImages, trainLabels: trainLabels, testImages: testImages, testLabels: testLabels)
        cache.store(garments, for: folder)
        return garments
    }

    /// The unsigned-byte payload of an IDX file (LeCun's MNIST format): two zero bytes, type 0x08,
    /// the number of dimensions, each dimension as a big-endian UInt32, then the bytes.
    static func idx(_ data: Data, path: String, dimensions expected: [Int]) throws(MarginalError) -> [UInt8] {
        let bytes = [UInt8](data)
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08 else {
            throw MarginalError("\(path): not an IDX file of unsigned bytes (bad magic number)")
        }
        let rank = Int(bytes[3])
        guard rank == expected.count, bytes.count >= 4 + 4 * rank else {
            throw MarginalError("\(path): IDX file of \(rank) dimensions, expected \(expected.count)")
        }
        let dimensions = (0 ..< rank).map { d in bytes[4 + 4 * d ..< 8 + 4 * d].reduce(0) { $0 << 8 | Int($1) } }
        guard dimensions.dropFirst() == expected.dropFirst(), dimensions[0] > 0 else {
            throw MarginalError("\(path): IDX dimensions \(dimensions), expected \(expected)")
        }
        let count = dimensions.reduce(1, *), start = 4 + 4 * rank
        guard bytes.count == start + count else {
            throw MarginalError("\(path): \(bytes.count - start) bytes of data, the header announces \(count) (truncated?)")
        }
        return Array(bytes[start...])
    }

    /// Garment `index` of `images` as a 28 × 28 mask: pixels at least `maskThreshold` bright, and
    /// the darker pixels they enclose (those not reached from the border through dark pixels).
    static func garmentMask(_ images: [UInt8], index: Int) -> [Bool] {
        let n = side, base = index * n * n
        var outside = [Bool](repeating: false, count: n * n)
        var stack: [Int] = []
        for i in 0 ..< n {
            for p in [i, (n - 1) * n + i, i * n, i * n + n - 1] where !outside[p] && images[base + p] < maskThreshold {
                outside[p] = true
                stack.append(p)
            }
        }
        while let p = stack.popLast() {
            let (r, c) = (p / n, p % n)
            for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                let (rr, cc) = (r + dr, c + dc)
                guard (0 ..< n).contains(rr), (0 ..< n).contains(cc) else { continue }
                let q = rr * n + cc
                if !outside[q] && images[base + q] < maskThreshold {
                    outside[q] = true
                    stack.append(q)
                }
            }
        }
        return outside.map { !$0 }
    }

    /// Composite `index` of `split`: 1–3 garments of the split's pool at seeded places.
    static func composite(_ split: DatasetSplit, _ index: Int, seed: UInt64, size: Int, garments: Garments) -> SegmentationSample {
        var random = SeededRandom(seed: sampleSeed(seed, salt: 0x4641_5348, split: split, index: index))
        let pool = garments.pool(split)
        var image = [Double](repeating: 0, count: size * size)
        var mask = [UInt8](repeating: 0, count: size * size)
        let count = 1 + Int(random.next() % 3)
        for _ in 0 ..< count {
            let garment = pool.range.lowerBound + Int(random.next() % UInt64(pool.range.count))
            let shape = garmentMask(pool.images, index: garment)
            let area = max(1, shape.reduce(0) { $0 + ($1 ? 1 : 0) })
            var place = (0, 0)
            for attempt in 0 ..< 10 {
                place = (Int(random.next() % UInt64(size - side + 1)), Int(random.next() % UInt64(size - side + 1)))
                var overlap = 0
                for p in 0 ..< side * side where shape[p] && mask[(place.0 + p / side) * size + place.1 + p % side] != 0 { overlap += 1 }
                if 10 * overlap <= 3 * area || attempt == 9 { break }
            }
            let label = UInt8(pool.labels[garment]) + 1
            for p in 0 ..< side * side where shape[p] {
                let i = (place.0 + p / side) * size + place.1 + p % side
                image[i] = Double(pool.images[garment * side * side + p]) / 255
                mask[i] = label
            }
        }
        return SegmentationSample(image: standardisedChannels(image, channels: 1), mask: mask)
    }

    private static let cache = GarmentCache()
}

/// Decoded Fashion-MNIST files by folder, shared by every dataset made in this process.
private final class GarmentCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: FashionMNIST.Garments] = [:]

    func value(_ folder: String) -> FashionMNIST.Garments? {
        lock.lock()
        defer { lock.unlock() }
        return entries[folder]
    }

    func store(_ garments: FashionMNIST.Garments, for folder: String) {
        lock.lock()
        defer { lock.unlock() }
        entries[folder] = garments
    }
}
