import Foundation
import MarginalCore

/// A dataset as a run names it: one of the built-in sets (`DatasetEntry.all`) or a folder of
/// PNGs. Written to `config.json` and given on the command line as its `description`:
/// `lesions`, `organ`, `street`, `fashion` or `folder:PATH`.
public enum DatasetName: Hashable, Sendable, Codable, LosslessStringConvertible {
    /// A seeded, procedurally drawn set (`SyntheticSet`).
    case synthetic(SyntheticSet)
    /// Fashion-MNIST garments composited on a canvas (`FashionMNIST`).
    case fashion
    /// `PATH/images/*.png` and `PATH/masks/*.png` (`FolderDataset`).
    case folder(String)

    static let folderPrefix = "folder:"

    /// `lesions`, `fashion`, `folder:PATH`…; nil for a name that is none of them (`folder:` with
    /// an empty path is a folder, refused when the dataset is made, with its own message).
    public init?(_ description: String) {
        if description.hasPrefix(Self.folderPrefix) {
            self = .folder(String(description.dropFirst(Self.folderPrefix.count)))
        } else if let entry = DatasetEntry.all.first(where: { $0.name.description == description }) {
            self = entry.name
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .synthetic(let set): set.rawValue
        case .fashion: "fashion"
        case .folder(let path): Self.folderPrefix + path
        }
    }

    /// The names shown to a user, generated from the registry: every built-in set, then `folder:PATH`.
    public static var choices: [String] { DatasetEntry.all.map(\.name.description) + [folderPrefix + "PATH"] }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = DatasetName(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown dataset \(text)"))
        }
        self = name
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One built-in dataset, registered once: its name, class names and a line for help texts.
/// Help, `--help` lists, the launch form and name parsing all read `DatasetEntry.all`.
public struct DatasetEntry: Sendable {
    public let name: DatasetName
    public let classNames: [String]
    /// What the set is, for `marginal train --help`.
    public let summary: String

    /// Every built-in dataset: the synthetic sets (each registers in `SyntheticSet.recipe`), then Fashion-MNIST.
    public static let all: [DatasetEntry] =
        SyntheticSet.allCases.map { DatasetEntry(name: .synthetic($0), classNames: $0.classNames, summary: $0.recipe.summary) }
        + [DatasetEntry(name: .fashion, classNames: FashionMNIST.classNames, summary: FashionMNIST.summary)]
}

/// The dataset names `makeDataset(named:…)` accepts, as shown to a user (from the registry).
public var datasetNames: [String] { DatasetName.choices }

/// The dataset called `name` (see `DatasetName`); one line naming the choices for an unknown name.
public func makeDataset(named name: String, seed: UInt64, size: Int = 64, classes: Int? = nil,
                        splitSizes: SplitSizes = .standard,
                        fashionFolder: String = FashionMNIST.defaultFolder) throws(MarginalError) -> SegmentationDataset {
    guard let parsed = DatasetName(name) else {
        throw MarginalError("dataset \(name): unknown; choose one of \(datasetNames.joined(separator: ", "))")
    }
    return try makeDataset(parsed, seed: seed, size: size, classes: classes, splitSizes: splitSizes, fashionFolder: fashionFolder)
}

/// The dataset `name`: `lesions`, `organ`, `street` (synthetic, see `SyntheticSet`),
/// `fashion` (see `FashionMNIST`) or `folder:PATH` (see `FolderDataset`).
///
/// - Parameters:
///   - seed: draws the generated sets' samples and a folder's split; the same seed gives the same
///     bytes.
///   - size: the side of the generated sets' square images; a folder keeps its files' size.
///   - classes: K for a folder (inferred from its masks if nil); the other sets have their own K
///     and refuse another.
///   - splitSizes: samples per split of the generated sets; a folder splits its files 70/15/15.
///   - fashionFolder: where Fashion-MNIST's IDX files are.
public func makeDataset(_ name: DatasetName, seed: UInt64, size: Int = 64, classes: Int? = nil,
                        splitSizes: SplitSizes = .standard,
                        fashionFolder: String = FashionMNIST.defaultFolder) throws(MarginalError) -> SegmentationDataset {
    for count in [splitSizes.train, splitSizes.validation, splitSizes.test] where count < 1 {
        throw MarginalError("split sizes \(splitSizes.train)/\(splitSizes.validation)/\(splitSizes.test): every split needs a sample")
    }
    let dataset: SegmentationDataset
    switch name {
    case .folder(let path):
        guard !path.isEmpty else { throw MarginalError("dataset folder:: give the folder, as folder:PATH") }
        return try FolderDataset.load(path: path, classes: classes, seed: seed)
    case .synthetic(let synthetic):
        dataset = try synthetic.dataset(seed: seed, size: size, splitSizes: splitSizes)
    case .fashion:
        dataset = try FashionMNIST.dataset(seed: seed, size: size, splitSizes: splitSizes, folder: fashionFolder)
    }
    if let classes, classes != dataset.classes {
        throw MarginalError("classes \(classes): the \(name) dataset has \(dataset.classes) classes; a class count is for folder datasets")
    }
    return dataset
}
