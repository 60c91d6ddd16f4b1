import Foundation
import MarginalCore

/// `dataset.json` in a `folder:PATH` set: the set's name, class names, seed and its splits as
/// lists of file stems. `marginal dataset export` writes it; `FolderDataset` takes the class names
/// and the splits from it when present (so that every engine reading the folder, marginal's or
/// PyTorch's, trains and validates on the same images), instead of counting classes from the
/// masks and shuffling the stems by the seed.
///
///     {"classes": ["background", "lesion"], "name": "lesions", "seed": 1, "size": 64,
///      "splits": {"test": [...], "train": ["train-0000", ...], "val": [...]}}
public struct DatasetManifest: Codable, Sendable, Equatable {
    public static let fileName = "dataset.json"

    /// The built-in set exported (`lesions`, …).
    public var name: String
    /// One name a class, index = class id.
    public var classes: [String]
    public var seed: UInt64
    /// The images' side in pixels.
    public var size: Int?
    public var splits: Splits

    public struct Splits: Codable, Sendable, Equatable {
        public var train: [String]
        public var val: [String]
        public var test: [String]

        public init(train: [String], val: [String], test: [String]) {
            self.train = train; self.val = val; self.test = test
        }

        public subscript(split: DatasetSplit) -> [String] {
            switch split {
            case .train: train
            case .validation: val
            case .test: test
            }
        }
    }

    public init(name: String, classes: [String], seed: UInt64, size: Int?, splits: Splits) {
        self.name = name; self.classes = classes; self.seed = seed; self.size = size; self.splits = splits
    }

    /// The file's bytes: sorted keys, pretty-printed, so that the same set gives the same bytes.
    public func encoded() throws(MarginalError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(self) + Data("\n".utf8) } catch {
            throw MarginalError("dataset.json: cannot encode (\(error.localizedDescription))")
        }
    }

    /// The manifest of the folder at `root`, nil when it has none; one line naming the file for
    /// one that does not read as a manifest.
    public static func read(folder root: URL) throws(MarginalError) -> DatasetManifest? {
        let url = root.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw MarginalError("\(url.path): unreadable") }
        let manifest: DatasetManifest
        do { manifest = try JSONDecoder().decode(DatasetManifest.self, from: data) } catch {
            throw MarginalError("\(url.path): not a dataset manifest (\(Self.reason(error))); it needs name, classes, seed and splits {train, val, test}")
        }
        guard (2 ... 254).contains(manifest.classes.count) else {
            throw MarginalError("\(url.path): \(manifest.classes.count) classes; a dataset has 2 to 254")
        }
        for split in DatasetSplit.allCases where manifest.splits[split].isEmpty {
            throw MarginalError("\(url.path): the \(split == .validation ? "val" : split.rawValue) split is empty; every split needs an image")
        }
        return manifest
    }

    private static func reason(_ error: Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "no \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
        default: "not JSON"
        }
    }
}
