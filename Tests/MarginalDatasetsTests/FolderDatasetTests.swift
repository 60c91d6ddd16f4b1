import Foundation
import Testing
import MarginalCore
@testable import MarginalDatasets

@Suite struct FolderDatasetTests {
    /// Writes `count` pairs `case0 …` of `size × size`: gray (or RGB) images and palette masks with
    /// labels 0…3 and a corner of 255.
    static func makeFolder(in parent: URL, count: Int = 10, size: Int = 16, rgb: Bool = false, seed: UInt64 = 1) throws -> URL {
        let root = parent.appendingPathComponent(UUID().uuidString)
        for sub in ["images", "masks"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var random = SeededRandom(seed: seed)
        for index in 0 ..< count {
            let pixels = (0 ..< size * size * (rgb ? 3 : 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try PNGImage(width: size, height: size, format: rgb ? .rgb : .gray, pixels: pixels)
                .write(to: root.appendingPathComponent("images/case\(index).png").path)
            try PNGImage.labelMap(labels(index, size: size), width: size, height: size)
                .write(to: root.appendingPathComponent("masks/case\(index).png").path)
        }
        return root
    }

    static func labels(_ index: Int, size: Int) -> [UInt8] {
        (0 ..< size * size).map { i in i == 0 ? 255 : UInt8((i / size + index) % 4) }
    }

    @Test func pairsByStemInfersKAndSplitsDeterministically() throws {
        let scratch = DatasetCheck.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let root = try Self.makeFolder(in: scratch)
        let dataset = try makeDataset(named: "folder:\(root.path)", seed: 5)
        #expect(dataset.classes == 4 && dataset.classNames == ["class 0", "class 1", "class 2", "class 3"])
        #expect(dataset.channels == 1 && dataset.height == 16 && dataset.width == 16)
        // 10 pairs: 15 % rounds to 2 for test and validation, 6 for training.
        #expect(DatasetSplit.allCases.map { dataset[$0].count } == [6, 2, 2] as [Int])
        let names = DatasetSplit.allCases.map { Set(dataset[$0].names!) }
        #expect(names[0].isDisjoint(with: names[1]) && names[0].isDisjoint(with: names[2]) && names[1].isDisjoint(with: names[2]))
        #expect(names[0].union(names[1]).union(names[2]) == Set((0 ..< 10).map { "case\($0)" }))
        // Masks as written; images standardised.
        for split in DatasetSplit.allCases {
            for (index, name) in dataset[split].names!.enumerated() {
                let sample = dataset[split][index]
                #expect(sample.mask == Self.labels(Int(name.dropFirst(4))!, size: 16))
                let mean = sample.image.reduce(0, +) / 256, variance = sample.image.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 256
                #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
            }
        }
        // The same seed, the same split; across seeds the split changes.
        let again = try makeDataset(named: "folder:\(root.path)", seed: 5)
        #expect(again.test.names == dataset.test.names && DatasetCheck.hash(again.train) == DatasetCheck.hash(dataset.train))
        let splits = try (1 ... 8).map { try makeDataset(named: "folder:\(root.path)", seed: $0).test.names! }
        #expect(Set(splits).count > 1)
    }

    @Test func colourImagesGiveThreeChannelsAndKCanBeGiven() throws {
        let scratch = DatasetCheck.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let root = try Self.makeFolder(in: scratch, count: 4, rgb: true)
        let dataset = try makeDataset(named: "folder:\(root.path)", seed: 1, classes: 6)
        #expect(dataset.channels == 3 && dataset.classes == 6)
        #expect(DatasetSplit.allCases.map { dataset[$0].count } == [2, 1, 1] as [Int])
        #expect(dataset.train[0].image.count == 3 * 16 * 16)
        let batch = dataset.train.batch([1, 0])
        #expect(batch.images.count == 2 * 3 * 16 * 16 && batch.masks.count == 2 * 16 * 16)
        // An RGB file's channels become planes: channel c of pixel i is byte 3i + c.
        let path = root.appendingPathComponent("images/\(dataset.train.names![0]).png").path
        let file = try PNGImage.read(contentsOf: path)
        let red = (0 ..< 256).map { Double(file.pixels[3 * $0]) }
        let mean = red.reduce(0, +) / 256
        let deviation = (red.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 256).squareRoot()
        #expect(abs(Double(dataset.train[0].image[5]) - (red[5] - mean) / deviation) < 1e-4)
    }

    /// Every bad folder gives one line naming the file (or folder) and the problem.
    @Test func badFoldersGiveOneLineNamingTheFile() throws {
        let scratch = DatasetCheck.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        func expectError(_ root: URL, classes: Int? = nil, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try makeDataset(named: "folder:\(root.path)", seed: 1, classes: classes)
                Issue.record("no error; expected \(expected)", sourceLocation: sourceLocation)
            } catch {
                #expect(error.description == expected, sourceLocation: sourceLocation)
                #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
            }
        }
        let manager = FileManager.default
        var root = try Self.makeFolder(in: scratch)
        try manager.removeItem(at: root.appendingPathComponent("masks/case3.png"))
        expectError(root, "\(root.path)/images/case3.png: no mask \(root.path)/masks/case3.png for this image")

        root = try Self.makeFolder(in: scratch)
        try manager.copyItem(at: root.appendingPathComponent("masks/case3.png"), to: root.appendingPathComponent("masks/extra.png"))
        expectError(root, "\(root.path)/masks/extra.png: no image \(root.path)/images/extra.png for this mask")

        root = try Self.makeFolder(in: scratch)
        expectError(root, classes: 3, "\(root.path)/masks/case0.png: label 3 at row 3, column 0 is neither a class (K = 3) nor the ignore index 255")

        // Label 254 with the classes counted from the masks: K would be 255; the file is named.
        root = try Self.makeFolder(in: scratch)
        try PNGImage.labelMap([UInt8](repeating: 0, count: 255) + [254], width: 16, height: 16)
            .write(to: root.appendingPathComponent("masks/case2.png").path)
        expectError(root, "\(root.path)/masks/case2.png: label 254 at row 15, column 15 would make 255 classes; class ids run from 0 to 253 (255 is the ignore index)")

        root = try Self.makeFolder(in: scratch)
        try PNGImage.labelMap([UInt8](repeating: 1, count: 64), width: 8, height: 8).write(to: root.appendingPathComponent("masks/case2.png").path)
        expectError(root, "\(root.path)/masks/case2.png: 8 x 8, but its image \(root.path)/images/case2.png is 16 x 16")

        root = try Self.makeFolder(in: scratch)
        try Data("not an image".utf8).write(to: root.appendingPathComponent("images/case4.png"))
        expectError(root, "\(root.path)/images/case4.png: not a PNG file (bad signature)")

        root = try Self.makeFolder(in: scratch)
        try PNGImage(width: 16, height: 16, format: .rgb, pixels: [UInt8](repeating: 1, count: 768))
            .write(to: root.appendingPathComponent("masks/case1.png").path)
        expectError(root, "\(root.path)/masks/case1.png: is a colour (RGB) PNG; a mask must be grayscale or palette-indexed, one class id a pixel")

        root = try Self.makeFolder(in: scratch)
        try PNGImage(width: 8, height: 8, format: .gray, pixels: [UInt8](repeating: 1, count: 64)).write(to: root.appendingPathComponent("images/case5.png").path)
        try PNGImage.labelMap([UInt8](repeating: 1, count: 64), width: 8, height: 8).write(to: root.appendingPathComponent("masks/case5.png").path)
        expectError(root, "\(root.path)/images/case5.png: 8 x 8, but \(root.path)/images/case0.png is 16 x 16; a folder dataset's images share one size")

        root = scratch.appendingPathComponent("empty")
        try manager.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("masks"), withIntermediateDirectories: true)
        expectError(root, "\(root.path)/images: no .png files")
        try Data("x".utf8).write(to: root.appendingPathComponent("images/scan.jpg"))
        expectError(root, "\(root.path)/images: no .png files (1 other file, e.g. scan.jpg; only .png is read)")

        root = try Self.makeFolder(in: scratch)
        try manager.removeItem(at: root.appendingPathComponent("images"))
        expectError(root, "\(root.path): no images/ folder (a folder dataset holds images/*.png and masks/*.png, paired by name)")
        root = try Self.makeFolder(in: scratch)
        try manager.removeItem(at: root.appendingPathComponent("masks"))
        expectError(root, "\(root.path): no masks/ folder (a folder dataset holds images/*.png and masks/*.png, paired by name)")

        expectError(URL(fileURLWithPath: "/no/such/dataset"), "/no/such/dataset: no such folder")

        root = try Self.makeFolder(in: scratch, count: 2)
        expectError(root, "\(root.path): 2 image/mask pairs; a folder dataset needs at least 3 (one per split)")

        root = try Self.makeFolder(in: scratch, count: 3)
        for index in 0 ..< 3 {
            try PNGImage.labelMap([UInt8](repeating: index == 0 ? 255 : 0, count: 256), width: 16, height: 16)
                .write(to: root.appendingPathComponent("masks/case\(index).png").path)
        }
        expectError(root, "\(root.path)/masks: the masks hold only class 0; a dataset needs at least 2 classes")
        expectError(root, classes: 300, "classes 300: a dataset has 2 to 254 classes (255 is the ignore index)")
    }

    /// Gray masks hold class ids as values; hidden and non-PNG files are skipped.
    @Test func grayMasksAndStrayFiles() throws {
        let scratch = DatasetCheck.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let root = try Self.makeFolder(in: scratch, count: 3)
        for index in 0 ..< 3 {
            try PNGImage(width: 16, height: 16, format: .gray, pixels: Self.labels(index, size: 16))
                .write(to: root.appendingPathComponent("masks/case\(index).png").path)
        }
        try Data("notes".utf8).write(to: root.appendingPathComponent("images/README.txt"))
        try Data("x".utf8).write(to: root.appendingPathComponent("masks/.DS_Store"))
        let dataset = try makeDataset(named: "folder:\(root.path)", seed: 1)
        #expect(dataset.classes == 4)
        let name = dataset.train.names![0]
        #expect(dataset.train[0].mask == Self.labels(Int(name.dropFirst(4))!, size: 16))
    }
}
