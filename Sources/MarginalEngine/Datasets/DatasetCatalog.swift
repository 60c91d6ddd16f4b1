import Foundation
import MarginalCore

/// The dataset names `makeDataset(named:…)` accepts, as shown to a user.
public let datasetNames = ["lesions", "organ", "street", "fashion", "folder:PATH"]

/// The dataset called `name`: `lesions`, `organ`, `street` (synthetic, see `SyntheticSet`),
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
public func makeDataset(named name: String, seed: UInt64, size: Int = 64, classes: Int? = nil,
                        splitSizes: SplitSizes = .standard,
                        fashionFolder: String = FashionMNIST.defaultFolder) throws(MarginalError) -> SegmentationDataset {
    for count in [splitSizes.train, splitSizes.validation, splitSizes.test] where count < 1 {
        throw MarginalError("split sizes \(splitSizes.train)/\(splitSizes.validation)/\(splitSizes.test): every split needs a sample")
    }
    if name.hasPrefix("folder:") {
        let path = String(name.dropFirst("folder:".count))
        guard !path.isEmpty else { throw MarginalError("dataset folder:: give the folder, as folder:PATH") }
        return try FolderDataset.load(path: path, classes: classes, seed: seed)
    }
    let dataset: SegmentationDataset
    if let synthetic = SyntheticSet(rawValue: name) {
        dataset = try synthetic.dataset(seed: seed, size: size, splitSizes: splitSizes)
    } else if name == "fashion" {
        dataset = try FashionMNIST.dataset(seed: seed, size: size, splitSizes: splitSizes, folder: fashionFolder)
    } else {
        throw MarginalError("dataset \(name): unknown; choose one of \(datasetNames.joined(separator: ", "))")
    }
    if let classes, classes != dataset.classes {
        throw MarginalError("classes \(classes): the \(name) dataset has \(dataset.classes) classes; a class count is for folder datasets")
    }
    return dataset
}

/// The datasets that need no path, with their class names (without making them), for the TUI's
/// launch form.
public let builtInDatasets: [(name: String, classNames: [String])] =
    SyntheticSet.allCases.map { ($0.rawValue, $0.classNames) } + [("fashion", FashionMNIST.classNames)]
