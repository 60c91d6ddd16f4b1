import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "List the built-in datasets, or export one as a folder of PNGs that any engine (PyTorch too) can read.",
        subcommands: [ListDatasets.self, ExportDataset.self],
        defaultSubcommand: ListDatasets.self
    )
}

struct ListDatasets: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The built-in datasets: classes, image size and samples per split.")

    func run() {
        let sizes = SplitSizes.standard
        print("Built-in datasets (--dataset NAME; images --size × --size pixels, default 64; \(sizes.train) train / \(sizes.validation) val / \(sizes.test) test samples):")
        for entry in DatasetEntry.all {
            print("  \(entry.name.description.padding(toLength: 9, withPad: " ", startingAt: 0)) K = \(entry.classNames.count)  \(entry.summary)")
            print("            classes: \(entry.classNames.joined(separator: ", "))")
        }
        print("  folder:PATH  your PNGs (PATH/images/*.png, PATH/masks/*.png; docs/DATASETS.md); marginal dataset export writes one")
    }
}

struct ExportDataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a built-in dataset as a folder:PATH PNG set with dataset.json (its classes and splits).",
        discussion: """
        DIR/images/<split>-NNNN.png (gray; each image's range mapped onto 0…255, which the reader's standardisation undoes), DIR/masks/<split>-NNNN.png (palette PNG of class ids, 255 = ignore) and DIR/dataset.json {"name", "classes", "seed", "size", "splits": {"train", "val", "test"}} listing each split's file stems. The same dataset, --seed and --size give the same bytes. marginal train --dataset folder:DIR and python/examples/train_unet.py --dataset folder:DIR train on it with these splits.

        Examples:
          marginal dataset export --dataset lesions --out data/lesions
          marginal train --dataset folder:data/lesions --loss ce_l1 --run lesions-from-png
        """
    )

    @Option(help: ArgumentHelp("The built-in dataset (see marginal dataset list).", valueName: "dataset"))
    var dataset: DatasetName

    @Option(help: ArgumentHelp("The folder to create (its parent must exist; an existing folder must be empty).", valueName: "DIR"))
    var out: String

    @Option(parsing: .unconditional, help: "Seed of the samples (as marginal train --seed).")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Image side in pixels (as marginal train --size).")
    var size = 64

    func run() throws {
        try reportingFailures("dataset export") {
            try checkEmptyOutputFolder(out, option: "--out")
            let bar = ProgressBar(title: "export \(dataset)")
            try exportBuiltIn(dataset, seed: seed, size: size, to: URL(fileURLWithPath: out)) { bar.update(done: $0, total: $1, unit: "files") }
            bar.finish()
            print("\(out): \(dataset) (seed \(seed), \(size) x \(size)) as PNGs and dataset.json; train on it with --dataset folder:\(out)")
        }
    }
}

/// Exports the built-in dataset `name` (made as `marginal train` makes it) to `destination`
/// (`DatasetExport.write`); a folder set is refused, it is one already.
func exportBuiltIn(_ name: DatasetName, seed: UInt64, size: Int, to destination: URL,
                   progress: (Int, Int) -> Void) throws(MarginalError) {
    if case .folder = name { throw MarginalError("dataset \(name): already a folder set; export writes a built-in one (\(DatasetEntry.all.map(\.name.description).joined(separator: ", ")))") }
    guard (8 ... 512).contains(size), size % 4 == 0 else { throw MarginalError("size \(size): must be a multiple of 4 from 8 to 512") }
    let data = try makeDataset(name, seed: seed, size: size)
    try DatasetExport.write(data, exportedName: name.description, seed: seed, size: size, to: destination, progress: progress)
}
