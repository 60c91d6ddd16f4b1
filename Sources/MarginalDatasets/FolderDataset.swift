import Foundation
import MarginalCore

/// `folder:PATH` — a dataset read from PNG files: `PATH/images/*.png` and `PATH/masks/*.png`,
/// paired by stem (the file name without `.png`).
///
/// - Images: 8-bit gray or colour PNGs (16-bit scaled to 8, palettes expanded, alpha dropped), all
///   of one size. If any image is in colour the dataset has 3 channels (R, G, B; gray images
///   repeated into all three), otherwise 1. Each channel is standardised per image.
/// - Masks: one class id a pixel, read as stored — a palette PNG's indices (not its colours) or
///   a gray PNG's values; 255 = ignore. Colour (RGB) masks are refused.
/// - K: the class count given, or the largest label in any mask (255 aside) + 1.
/// - Splits: the sorted stems shuffled by the seed, then 15 % test, 15 % validation (at least one
///   each) and the rest training; each split lists its stems in sorted order.
/// - `PATH/dataset.json` (`DatasetManifest`, written by `marginal dataset export`), when present,
///   gives the class names (K = their count) and the splits' stems instead; a pair it does not
///   list is in no split, and a stem it lists without its pair is refused.
/// - Hidden files and files not ending in `.png` are skipped.
///
/// Every problem is one line naming the file: a missing images/ or masks/ folder, a folder with no
/// PNG, an image without a mask or a mask without an image, a file that is not a PNG, an image and
/// mask of different sizes, images of different sizes, a label that is neither a class nor 255
/// (or 254 when the classes are counted from the masks: K would be 255).
public enum FolderDataset {
    /// The dataset in the folder at `path`.
    public static func load(path: String, classes: Int? = nil, seed: UInt64) throws(MarginalError) -> SegmentationDataset {
        if let classes, !(2 ... 254).contains(classes) {
            throw MarginalError("classes \(classes): a dataset has 2 to 254 classes (255 is the ignore index)")
        }
        let root = URL(fileURLWithPath: path)
        guard isFolder(root.path) else { throw MarginalError("\(path): no such folder") }
        let manifest = try DatasetManifest.read(folder: root)
        if let manifest, let classes, classes != manifest.classes.count {
            throw MarginalError("classes \(classes): \(root.appendingPathComponent(DatasetManifest.fileName).path) names \(manifest.classes.count) classes")
        }
        let classes = classes ?? manifest?.classes.count
        let imageFolder = root.appendingPathComponent("images"), maskFolder = root.appendingPathComponent("masks")
        for folder in [imageFolder, maskFolder] where !isFolder(folder.path) {
            throw MarginalError("\(path): no \(folder.lastPathComponent)/ folder (a folder dataset holds images/*.png and masks/*.png, paired by name)")
        }
        let imageFiles = try pngFiles(in: imageFolder), maskFiles = try pngFiles(in: maskFolder)
        for (stem, file) in imageFiles.sorted(by: { $0.key < $1.key }) where maskFiles[stem] == nil {
            throw MarginalError("\(file.path): no mask \(maskFolder.appendingPathComponent(stem + ".png").path) for this image")
        }
        for (stem, file) in maskFiles.sorted(by: { $0.key < $1.key }) where imageFiles[stem] == nil {
            throw MarginalError("\(file.path): no image \(imageFolder.appendingPathComponent(stem + ".png").path) for this mask")
        }
        let stems = imageFiles.keys.sorted()
        guard stems.count >= 3 else {
            throw MarginalError("\(path): \(stems.count) image/mask pair\(stems.count == 1 ? "" : "s"); a folder dataset needs at least 3 (one per split)")
        }

        var items: [Item] = []
        var first: (path: String, width: Int, height: Int)?
        var largest = -1
        for stem in stems {
            let imagePath = imageFiles[stem]!.path, maskPath = maskFiles[stem]!.path
            let image = try PNGImage.read(contentsOf: imagePath, as: .picture)
            let mask = try PNGImage.read(contentsOf: maskPath, as: .labels)
            guard mask.width == image.width, mask.height == image.height else {
                throw MarginalError("\(maskPath): \(mask.width) x \(mask.height), but its image \(imagePath) is \(image.width) x \(image.height)")
            }
            if let first, first.width != image.width || first.height != image.height {
                throw MarginalError("\(imagePath): \(image.width) x \(image.height), but \(first.path) is \(first.width) x \(first.height); a folder dataset's images share one size")
            }
            first = first ?? (imagePath, image.width, image.height)
            for (index, label) in mask.pixels.enumerated() where label != 255 {
                if let classes, Int(label) >= classes {
                    throw MarginalError("\(maskPath): label \(label) at row \(index / mask.width), column \(index % mask.width) is neither a class (K = \(classes)) nor the ignore index 255")
                }
                if label == 254, classes == nil {
                    // Classes are counted from the largest label; 254 would make K = 255, the ignore index.
                    throw MarginalError("\(maskPath): label 254 at row \(index / mask.width), column \(index % mask.width) would make 255 classes; class ids run from 0 to 253 (255 is the ignore index)")
                }
                largest = max(largest, Int(label))
            }
            items.append(Item(stem: stem, pixels: image.pixels, colour: image.channels == 3, mask: mask.pixels))
        }
        let k = classes ?? largest + 1
        guard k >= 2 else {
            let held = largest < 0 ? "no class id, only the ignore index 255" : "only class 0"
            throw MarginalError("\(maskFolder.path): the masks hold \(held); a dataset needs at least 2 classes")
        }

        let (width, height) = (first!.width, first!.height)
        let channels = items.contains(where: \.colour) ? 3 : 1
        var order = stems.indices.map { $0 }
        var random = SeededRandom(seed: sampleSeed(seed, salt: 0x464F_4C44, split: .train, index: 0))
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        let held = max(1, Int((0.15 * Double(stems.count)).rounded()))
        var splits: [DatasetSplit: [Int]] = [
            .test: order[0 ..< held].sorted(),
            .validation: order[held ..< 2 * held].sorted(),
            .train: order[(2 * held)...].sorted(),
        ]
        if let manifest {
            let position = Dictionary(uniqueKeysWithValues: stems.enumerated().map { ($1, $0) })
            for split in DatasetSplit.allCases {
                splits[split] = try manifest.splits[split].map { stem throws(MarginalError) in
                    guard let index = position[stem] else {
                        throw MarginalError("\(root.appendingPathComponent(DatasetManifest.fileName).path): lists \(stem), but there is no images/\(stem).png with masks/\(stem).png")
                    }
                    return index
                }
            }
        }
        let shared = items
        func samples(_ split: DatasetSplit) -> DatasetSamples {
            let members = splits[split]!
            return DatasetSamples(split: split, count: members.count, channels: channels, height: height, width: width,
                                  names: members.map { stems[$0] }) { index in
                shared[members[index]].sample(channels: channels, pixels: width * height)
            }
        }
        return SegmentationDataset(name: "folder:\(path)", classNames: manifest?.classes ?? (0 ..< k).map { "class \($0)" }, channels: channels,
                                   height: height, width: width, train: samples(.train), validation: samples(.validation),
                                   test: samples(.test), provenance: "PNG files in \(path): masks as given (class id per pixel, 255 ignored)")
    }

    /// One decoded image/mask pair, kept as bytes (4 times smaller than the floats it becomes).
    private struct Item: Sendable {
        let stem: String
        /// `height × width × (3 if colour else 1)`, interleaved as in the file.
        let pixels: [UInt8]
        let colour: Bool
        let mask: [UInt8]

        func sample(channels: Int, pixels count: Int) -> SegmentationSample {
            var planes = [Double](repeating: 0, count: channels * count)
            for channel in 0 ..< channels {
                for i in 0 ..< count {
                    planes[channel * count + i] = Double(colour ? pixels[3 * i + channel] : pixels[i])
                }
            }
            return SegmentationSample(image: standardisedChannels(planes, channels: channels), mask: mask)
        }
    }

    private static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    /// The visible `.png` files of `folder` by stem.
    private static func pngFiles(in folder: URL) throws(MarginalError) -> [String: URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw MarginalError("\(folder.path): cannot list the folder")
        }
        var files: [String: URL] = [:]
        var others: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard url.pathExtension.lowercased() == "png" else {
                others.append(name)
                continue
            }
            let stem = url.deletingPathExtension().lastPathComponent
            if let clash = files[stem] {
                throw MarginalError("\(url.path): same name as \(clash.lastPathComponent); stems pair images with masks and must be unique")
            }
            files[stem] = url
        }
        guard !files.isEmpty else {
            let found = others.isEmpty ? "" : " (\(others.count) other file\(others.count == 1 ? "" : "s"), e.g. \(others[0]); only .png is read)"
            throw MarginalError("\(folder.path): no .png files\(found)")
        }
        return files
    }
}
