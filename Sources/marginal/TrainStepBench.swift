import ArgumentParser
import Foundation
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalRuns

struct TrainStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "Milliseconds per UNet-S training step (B = 8, 1 x 64 x 64, K = 3, w = 16, Adam, ce_l1).",
        discussion: """
        The same step as Scripts/bench/unet_s_torch.py: forward, ce_l1 (τ = 10, λ = 1) and its gradient through MarginalCore's evaluateLoss, backward, Adam (lr 1e-3); --warmup steps, then the mean of --repeats. --threads workers share the images of the batch, each running its OpenBLAS products on one thread (openblas_set_num_threads(1)); the loss uses the same count. Also prints the peak resident memory of the process (getrusage's ru_maxrss). Build in release first:
          swift build -c release
          .build/release/marginal bench train-step --python python3
        """
    )

    @Option(help: "Threads for marginal's layers and loss (the yardstick gets the same number).")
    var threads = 2

    @Option(help: ArgumentHelp("Image side in pixels, a multiple of 4 (two 2 x 2 poolings); the yardstick gets the same.", valueName: "N"))
    var size = 64

    @Option(help: ArgumentHelp("UNet-S width w: the first block's channels (then 2w, 4w); the yardstick gets the same.", valueName: "w"))
    var width = 16

    @Option(help: ArgumentHelp("OpenBLAS threads inside each worker (openblas_set_num_threads). 1 is fastest when --threads workers already share the images; more suits --threads 1.", valueName: "N"))
    var blasThreads = 1

    @Option(help: ArgumentHelp("How the 3 x 3 convolutions form their products: im2col or shifted-taps (default: the faster for the OpenBLAS kernels in use).", valueName: "METHOD"))
    var convolution: String?

    @Option(help: "Untimed steps first.")
    var warmup = 5

    @Option(help: "Timed steps after the warm-up ones.")
    var repeats = 30

    @Option(help: "Steps run with a clock on every layer, for the table of where a step's time goes.")
    var profiledSteps = 10

    @OptionGroup var yardstick: YardstickOptions

    func run() throws {
        try reportingFailures("bench train-step") {
            guard threads >= 1 else { throw MarginalError("--threads \(threads): must be at least 1") }
            guard blasThreads >= 1 else { throw MarginalError("--blas-threads \(blasThreads): must be at least 1") }
            guard warmup >= 0 else { throw MarginalError("--warmup \(warmup): must be at least 0") }
            guard repeats >= 1 else { throw MarginalError("--repeats \(repeats): must be at least 1") }
            guard profiledSteps >= 1 else { throw MarginalError("--profiled-steps \(profiledSteps): must be at least 1") }
            guard size >= 4, size <= 1024, size % 4 == 0 else { throw MarginalError("--size \(size): must be a multiple of 4 from 4 to 1024 (two 2 x 2 poolings)") }
            guard width >= 1, width <= 256 else { throw MarginalError("--width \(width): must be 1 to 256") }
            let resolvedYardstick = try yardstick.resolved(Self.defaultYardstick)
            var method = ConvolutionMethod.preferred
            if let convolution {
                guard let chosen = ConvolutionMethod(rawValue: convolution) else {
                    throw MarginalError("--convolution \(convolution): must be im2col or shifted-taps")
                }
                method = chosen
            }
            let (b, h, k) = (8, size, 3)
            var random = SeededRandom(seed: 0)
            // Standard normal images and uniform labels, as torch.randn and torch.randint.
            let images = Tensor<Float>(shape: [b, 1, h, h], values: (0 ..< b * h * h).map { _ in Float(random.normal()) })
            let labels = (0 ..< b * h * h).map { _ in UInt8(random.next() % UInt64(k)) }
            let model = UNetS<Float>(inputChannels: 1, classes: k, width: width, seed: 0)
            model.convolutionMethod = method
            let step = FloatTrainingStep(model: model, optimizer: Adam<Float>(learningRate: 1e-3), loss: .ceL1, lambda: 1,
                                         settings: LossSettings(temperature: 10), threads: threads)
            setMatrixThreads(blasThreads)
            for _ in 0 ..< warmup { _ = try step.run(images: images, labels: labels) }
            var last = 0.0
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< repeats { last = try step.run(images: images, labels: labels).loss }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repeats)
            guard last.isFinite else { throw MarginalError("the loss came out non-finite; the benchmark is invalid") }
            let blas = blasThreads == 1 ? "" : String(format: " (OpenBLAS %d)", blasThreads)
            print(String(format: "marginal unet-s B=%d %dx%d K=%d w=%d, %d threads%@: %.1f ms/step, %.1f img/s, peak memory %.0f MiB",
                         b, h, h, k, width, threads, blas, seconds * 1000, Double(b) / seconds, peakResidentMebibytes()))
            let pinned = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { ", as OPENBLAS_CORETYPE=\($0) in the environment asks" } ?? ""
            print("OpenBLAS kernels: \(matrixKernelName)\(pinned); 3 x 3 convolutions: \(method.rawValue)")
            try printStepRoofline(step, images: images, labels: labels, secondsPerStep: seconds, threads: threads,
                                  profiledSteps: profiledSteps)
            guard let torch = resolvedYardstick else { return print(Yardstick.notRun) }
            let line = try torch.run(arguments: [String(threads), String(size), String(width)])
            guard let theirs = Self.millisecondsPerStep(in: line) else {
                throw MarginalError("\(torch.script): could not read 'ms/step' from its output")
            }
            let ratio = seconds * 1000 / theirs
            print(String(format: "ratio: marginal's step takes %.2fx PyTorch's time (%@ the target of %.2fx)", ratio,
                         ratio <= Self.targetRatio ? "at or under" : "over", Self.targetRatio))
        }
    }

    /// Issue 17's target for the step's time against PyTorch's.
    static let targetRatio = 0.6

    /// In Scripts/bench (`packagedYardstick`).
    static let defaultYardstick = "unet_s_torch.py"

    /// The number before " ms/step" in the yardstick's line.
    static func millisecondsPerStep(in line: String) -> Double? {
        guard let range = line.range(of: " ms/step") else { return nil }
        return Double(line[..<range.lowerBound].split(separator: " ").last ?? "")
    }

    /// The maximum resident set size of this process so far (getrusage's ru_maxrss, KiB on Linux,
    /// bytes on macOS), in MiB.
    func peakResidentMebibytes() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
