import ArgumentParser
import Foundation
import MarginalCore
import MarginalEngine

struct TrainStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "Milliseconds per UNet-S training step (B = 8, 1 x 64 x 64, K = 3, w = 16, Adam, ce_l1).",
        discussion: "The same step as shared/bench/unet_s_torch.py: forward, CE + L1 label-marginal term (τ = 10, λ = 1), backward, Adam (lr 1e-3); 5 warm-up steps, then the mean of --repeats. Also prints the peak resident memory of the process."
    )

    @Option(help: "Threads for OpenBLAS and marginal's own loops (the yardstick's default is 2).")
    var threads = 2

    @Option(help: "Timed steps after 5 warm-up ones.")
    var repeats = 30

    @Option(help: ArgumentHelp("Python with torch installed: also run the PyTorch yardstick and print the ratio.", valueName: "PATH"))
    var python: String?

    @Option(help: ArgumentHelp("The yardstick script.", valueName: "PATH"))
    var yardstick = "../shared/bench/unet_s_torch.py"

    func run() throws {
        try reportingFailures("bench train-step") {
            guard threads >= 1 else { throw MarginalError("--threads \(threads): must be at least 1") }
            guard repeats >= 1 else { throw MarginalError("--repeats \(repeats): must be at least 1") }
            let (b, h, k) = (8, 64, 3)
            var random = SeededRandom(seed: 0)
            let images = Tensor<Float>(shape: [b, 1, h, h], values: (0 ..< b * h * h).map { _ in Float(random.normal()) })
            let labels = (0 ..< b * h * h).map { _ in UInt8(random.next() % UInt64(k)) }
            let training = FloatTrainingStep(model: UNetS<Float>(inputChannels: 1, classes: k, width: 16, seed: 0),
                                             optimizer: Adam<Float>(learningRate: 1e-3), loss: .ceL1, lambda: 1,
                                             settings: LossSettings(temperature: 10), threads: threads)
            func step() throws(MarginalError) -> Double { try training.run(images: images, labels: labels).loss }
            for _ in 0 ..< 5 { _ = try step() }
            let start = DispatchTime.now().uptimeNanoseconds
            var last = 0.0
            for _ in 0 ..< repeats { last = try step() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repeats)
            guard last.isFinite else { throw MarginalError("the loss came out non-finite; the benchmark is invalid") }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            print(String(format: "marginal unet-s B=%d %dx%d K=%d, %d threads: %.1f ms/step, %.1f img/s, peak memory %.0f MiB",
                         b, h, h, k, threads, seconds * 1000, Double(b) / seconds, Double(usage.ru_maxrss) / 1024))
            guard let python else {
                print("(no --python given: the PyTorch yardstick was not run)")
                return
            }
            let line = try runYardstick(python: python, script: yardstick, arguments: [String(threads)])
            print("yardstick: " + line)
            guard let range = line.range(of: " ms/step"), let theirs = Double(line[..<range.lowerBound].split(separator: " ").last ?? "") else {
                throw MarginalError("\(yardstick): could not read 'ms/step' from its output")
            }
            print(String(format: "ratio: marginal's step takes %.2fx PyTorch's time", seconds * 1000 / theirs))
        }
    }
}
