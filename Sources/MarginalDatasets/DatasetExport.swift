import Foundation
import MarginalCore

/// A built-in dataset written as a `folder:PATH` PNG set (docs/DATASETS.md), so that another
/// engine (PyTorch, `python/examples/train_unet.py`) trains on the very images marginal trains on:
///
///     DIR/images/<split>-NNNN.png   gray (RGB for 3 channels): each channel's range mapped onto 0…255
///                                   (`picture`); the reader standardises again, which undoes the map
///     DIR/masks/<split>-NNNN.png    palette PNG of class ids (`PNGImage.labelMap`), 255 = ignore
///     DIR/dataset.json              `DatasetManifest`: name, class names, seed, size, the splits' stems
///
/// `split` is `train`, `val` or `test`. The same dataset, seed and size give the same bytes in
/// every file (libpng's output has no time stamp; the manifest's keys are sorted).
public enum DatasetExport {
    /// The stem of sample `index` of `split`: `train-0000`, `val-0012`, … (sorted order is sample order).
    public static func stem(_ split: DatasetSplit, _ index: Int) -> String {
        let prefix = split == .validation ? "val" : split.rawValue
        return prefix + "-" + String(format: "%04d", index)
    }

    /// The files written for `dataset`: a pair per sample and the manifest.
    public static func fileCount(_ dataset: SegmentationDataset) -> Int {
        2 * DatasetSplit.allCases.reduce(0) { $0 + dataset[$1].count } + 1
    }

    /// Writes `dataset` (made from `seed` at `size`) into `destination`, which must not exist or
    /// be an empty folder, with its parent existing. Everything is written into a hidden sibling
    /// folder first and renamed into place at the end, so that a folder with a `dataset.json` is
    /// always complete (an interrupted export leaves no half set that would be taken for a whole one).
    /// `progress(done, total)` after each file.
    public static func write(_ dataset: SegmentationDataset, exportedName: String, seed: UInt64, size: Int, to destination: URL,
                             progress: (Int, Int) -> Void = { _, _ in }) throws(MarginalError) {
        let parent = destination.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        let images = staging.appendingPathComponent("images"), masks = staging.appendingPathComponent("masks")
        for folder in [staging, images, masks] {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false) } catch {
                throw MarginalError("\(folder.path): cannot create the folder (\((error as NSError).localizedDescription))")
            }
        }
        let total = fileCount(dataset)
        var done = 0
        var stems: [DatasetSplit: [String]] = [:]
        for split in DatasetSplit.allCases {
            let samples = dataset[split]
            for index in samples.indices {
                let sample = samples[index], name = stem(split, index)
                try picture(sample.image, channels: dataset.channels, height: dataset.height, width: dataset.width)
                    .write(to: images.appendingPathComponent(name + ".png").path)
                try PNGImage.labelMap(sample.mask, width: dataset.width, height: dataset.height)
                    .write(to: masks.appendingPathComponent(name + ".png").path)
                stems[split, default: []].append(name)
                done += 2
                progress(done, total)
            }
        }
        let manifest = DatasetManifest(name: exportedName, classes: dataset.classNames, seed: seed, size: size,
                                       splits: .init(train: stems[.train] ?? [], val: stems[.validation] ?? [], test: stems[.test] ?? []))
        try writeAtomically(try manifest.encoded(), to: staging.appendingPathComponent(DatasetManifest.fileName))
        progress(total, total)
        // rename(2) replaces an empty folder, and fails on a non-empty one.
        guard rename(staging.path, destination.path) == 0 else {
            throw MarginalError("\(destination.path): cannot move the export into place (\(String(cString: strerror(errno))))")
        }
    }

    /// A standardised image as 8-bit pixels: each channel's values `v` become
    /// `round(255 (v − min) / (max − min))` (0 for a flat channel). Standardising is blind to an
    /// affine map, so the reader's standardised image is the drawn one up to the rounding, a
    /// 255th of the channel's range (unlike a fixed map, which would clip bright lesions).
    static func picture(_ image: [Float], channels: Int, height: Int, width: Int) throws(MarginalError) -> PNGImage {
        let pixels = height * width
        var bytes = [UInt8](repeating: 0, count: image.count)
        for channel in 0 ..< channels {
            let plane = image[channel * pixels ..< (channel + 1) * pixels]
            let low = plane.min() ?? 0, high = plane.max() ?? 0
            guard high > low else { continue }
            for (i, value) in plane.enumerated() {
                bytes[i * channels + channel] = UInt8((255 * (value - low) / (high - low)).rounded())
            }
        }
        return try PNGImage(width: width, height: height, format: channels == 3 ? .rgb : .gray, pixels: bytes)
    }

    /// Whether `folder` holds a complete export (its manifest is written last, then the folder renamed).
    public static func isComplete(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(DatasetManifest.fileName).path)
    }
}
