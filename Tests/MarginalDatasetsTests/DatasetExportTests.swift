import Foundation
import Testing
import MarginalCore
@testable import MarginalDatasets

/// `DatasetExport` writes a built-in set as a folder:PATH set with dataset.json; `FolderDataset`
/// reads it back with the manifest's classes and splits.
@Suite struct DatasetExportTests {
    static let sizes = SplitSizes(train: 7, validation: 3, test: 2)

    func export(_ set: SyntheticSet, seed: UInt64, to destination: URL) throws {
        let data = try set.dataset(seed: seed, size: 16, splitSizes: Self.sizes)
        try DatasetExport.write(data, exportedName: set.rawValue, seed: seed, size: 16, to: destination)
    }

    /// Every file of `folder` by relative path, with its bytes.
    func files(_ folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for sub in ["images", "masks"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path) {
                found["\(sub)/\(name)"] = try Data(contentsOf: folder.appendingPathComponent("\(sub)/\(name)"))
            }
        }
        found[DatasetManifest.fileName] = try Data(contentsOf: folder.appendingPathComponent(DatasetManifest.fileName))
        return found
    }

    @Test func theSameSeedGivesTheSameBytesAndTheReaderTakesTheManifest() throws {
        let scratch = DatasetCheck.temporaryFolder()
        let first = scratch.appendingPathComponent("a"), second = scratch.appendingPathComponent("b"), other = scratch.appendingPathComponent("c")
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)  // an empty folder is replaced
        try export(.organ, seed: 3, to: first)
        try export(.organ, seed: 3, to: second)
        try export(.organ, seed: 4, to: other)
        let a = try files(first), b = try files(second)
        #expect(a.count == 2 * 12 + 1 && a == b, "byte for byte")
        #expect(a != (try files(other)), "another seed, other images")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["a", "b", "c"], "no staging folder left")

        let manifest = try #require(try DatasetManifest.read(folder: first))
        #expect(manifest.name == "organ" && manifest.classes == SyntheticSet.organ.classNames && manifest.seed == 3)
        #expect(manifest.splits.train.count == 7 && manifest.splits.val == ["val-0000", "val-0001", "val-0002"])
        let read = try FolderDataset.load(path: first.path, seed: 99)  // the manifest's split, not the seed's
        #expect(read.classNames == SyntheticSet.organ.classNames)
        #expect(read.train.names == manifest.splits.train && read.validation.names == manifest.splits.val && read.test.names == manifest.splits.test)
        let drawn = try SyntheticSet.organ.dataset(seed: 3, size: 16, splitSizes: Self.sizes)
        for split in DatasetSplit.allCases {
            for index in drawn[split].indices {
                #expect(read[split][index].mask == drawn[split][index].mask, "\(split) \(index): the masks exactly")
            }
        }
        // An image: its range in 8 bits, standardised again: the drawn image up to the rounding,
        // half a 255th of the range, in deviations.
        for index in drawn.train.indices {
            let values = drawn.train[index].image
            let step = ((values.max() ?? 0) - (values.min() ?? 0)) / 255
            let error = zip(read.train[index].image, values).map { abs($0 - $1) }.max() ?? 1
            #expect(error <= step, "image \(index): largest difference \(error), a rounding step \(step)")
        }
    }

    @Test func aManifestListingAMissingPairOrAClassCountOtherThanGivenIsOneLine() throws {
        let scratch = DatasetCheck.temporaryFolder()
        let folder = scratch.appendingPathComponent("set")
        try export(.lesions, seed: 1, to: folder)
        do { _ = try FolderDataset.load(path: folder.path, classes: 3, seed: 1); Issue.record("3 classes taken") } catch {
            #expect(error.description.contains("names 2 classes") && !error.description.contains("\n"), "\(error)")
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("images/val-0001.png"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("masks/val-0001.png"))
        do { _ = try FolderDataset.load(path: folder.path, seed: 1); Issue.record("a missing pair taken") } catch {
            #expect(error.description.hasSuffix("dataset.json: lists val-0001, but there is no images/val-0001.png with masks/val-0001.png"), "\(error)")
        }
        try Data("{\"name\": \"lesions\"}".utf8).write(to: folder.appendingPathComponent(DatasetManifest.fileName))
        do { _ = try FolderDataset.load(path: folder.path, seed: 1); Issue.record("a broken manifest taken") } catch {
            #expect(error.description.contains("not a dataset manifest (no classes)") && !error.description.contains("\n"), "\(error)")
        }
    }
}
