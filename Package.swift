// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "marginal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "marginal", targets: ["marginal"]),
        .library(name: "MarginalCore", targets: ["MarginalCore"]),
        .library(name: "MarginalFigure", targets: ["MarginalFigure"]),
        .library(name: "MarginalPlot", targets: ["MarginalPlot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The runtime only: the TensorBoard messages' Swift is generated once and committed
        // (Scripts/generate-protos.sh), so the build never runs protoc or its plugin.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "MarginalCore"),
        // The figure model (scales, ticks, series, rules, legend, colour roles, markers): Foundation
        // only, drawn by the file renderers (MarginalPlot) and the terminal's (TerminalUI).
        .target(name: "MarginalFigure"),
        .target(name: "MarginalPlot", dependencies: ["MarginalFigure", "MarginalCore", "CCairo"]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The arrows read top-down: Core ← Datasets, Core ← Datasets ← Runs, and the Engine (tensors,
        // layers, UNet-S, optimizers, and the Trainer that ties them to a dataset and a run folder).
        // Seeded synthetic sets, Fashion-MNIST, folders of PNGs; PNG and gzip reading.
        .target(name: "MarginalDatasets", dependencies: ["MarginalCore", "CPNG", "CZlib"]),
        // Everything about run folders: the format, lock, watcher, history, comparison and run
        // control; TensorBoard event files written and read (TensorBoard/).
        .target(name: "MarginalRuns", dependencies: ["MarginalCore", "MarginalDatasets",
                                                     .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "MarginalEngine", dependencies: ["MarginalCore", "MarginalDatasets", "MarginalRuns", "COpenBLAS"]),
        // Cells, buffers and widgets: no curses, so every screen is testable without a terminal.
        .target(name: "TerminalUI", dependencies: ["MarginalFigure"]),
        // The only code that touches ncurses.
        .target(name: "CursesTerminal", dependencies: ["TerminalUI", "CNcurses"]),
        .target(name: "MarginalApp", dependencies: ["MarginalCore", "MarginalFigure", "MarginalPlot", "MarginalDatasets", "MarginalRuns", "TerminalUI"]),
        .executableTarget(
            name: "marginal",
            dependencies: [
                "MarginalCore",
                "MarginalFigure",
                "MarginalPlot",
                "MarginalDatasets",
                "MarginalRuns",
                "MarginalEngine",
                "MarginalApp",
                "TerminalUI",
                "CursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["MarginalCore", "MarginalRuns"], path: "Tests/TestSupport"),
        .testTarget(name: "MarginalCoreTests", dependencies: ["MarginalCore", "TestSupport"]),
        .testTarget(name: "MarginalDatasetsTests", dependencies: ["MarginalDatasets", "MarginalCore", "TestSupport"]),
        .testTarget(name: "MarginalRunsTests", dependencies: ["MarginalRuns", "MarginalDatasets", "MarginalCore", "TestSupport"]),
        .testTarget(name: "MarginalEngineTests", dependencies: ["MarginalEngine", "MarginalDatasets", "MarginalRuns", "MarginalCore", "TestSupport"]),
        .testTarget(name: "MarginalPlotTests", dependencies: ["MarginalPlot", "MarginalFigure", "MarginalCore", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "MarginalFigure", "TestSupport"]),
        // Screens/ holds the expected screens, read by path from the source tree.
        .testTarget(name: "MarginalAppTests", dependencies: ["MarginalApp", "MarginalFigure", "MarginalPlot", "TerminalUI", "MarginalCore", "MarginalDatasets", "MarginalRuns", "TestSupport"], exclude: ["Screens", "Recorded"]),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: ["marginal", "MarginalCore", "MarginalRuns", "TestSupport"]),
    ]
)
