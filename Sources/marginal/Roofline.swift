import Foundation
import MarginalCore
import MarginalEngine

// The second half of each benchmark's report: how close to the machine's limit marginal runs,
// with the limit measured in the same run (a benchmark quotes ratios, never absolute times).

/// The step against the matrix-product limit: its FLOP (from the network's shapes) over the
/// `cblas_sgemm` rate at the step's largest product and at 1024³, both on `threads` workers of
/// one OpenBLAS thread each, as the step's own products run; then a table of where the step's
/// time goes, layer by layer, from `profiledSteps` steps with the network's clock attached.
func printStepRoofline(_ step: FloatTrainingStep, images: Tensor<Float>, labels: [UInt8], secondsPerStep: Double,
                       threads: Int, profiledSteps: Int = 10) throws(MarginalError) {
    let (batch, height, width) = (images.batch, images.height, images.width)
    let model = step.model
    let shapes = model.convolutionShapes(height: height, width: width)
    let flop = model.stepFLOP(batch: batch, height: height, width: width)
    let largest = shapes.max { $0.forwardFLOP(batch: 1) < $1.forwardFLOP(batch: 1) }!.product
    let atLargest = measureMatrixProductRate(m: largest.m, n: largest.n, k: largest.k, workers: threads)
    let atSquare = measureMatrixProductRate(m: 1024, n: 1024, k: 1024, workers: threads)
    let limit = (flop.forward + flop.backward) / max(atLargest, atSquare)
    print(String(format: "limit: %.2f GFLOP a step in the convolutions' products (forward %.2f, backward %.2f)",
                 (flop.forward + flop.backward) / 1e9, flop.forward / 1e9, flop.backward / 1e9))
    print(String(format: "  sgemm on %d worker%@ of 1 thread: %.0f GFLOP/s at the largest product (%d x %d · %d), %.0f at 1024 x 1024 · 1024",
                 threads, threads == 1 ? "" : "s", atLargest / 1e9, largest.m, largest.n, largest.k, atSquare / 1e9))
    print(String(format: "  at the faster rate the step would take %.1f ms: marginal's %.1f ms is %.2fx that limit (%.0f %% of the rate)",
                 limit * 1000, secondsPerStep * 1000, secondsPerStep / limit, 100 * limit / secondsPerStep))

    let times = LayerTimes()
    model.layerTimes = times
    defer { model.layerTimes = nil }
    for _ in 0 ..< profiledSteps { _ = try step.run(images: images, labels: labels) }
    let byName = Dictionary(uniqueKeysWithValues: shapes.map { ($0.name, $0) })
    let total = times.names.reduce(0.0) { $0 + Double(times.forward[$1]! + times.backward[$1]!) }
    print("where a step's layer time goes (\(profiledSteps) steps with a clock on every layer; the loss and the optimizer are the rest):")
    print("  layer  shape (I→O, H x W)      forward ms  backward ms  share  GFLOP/s")
    for (index, name) in times.names.enumerated() {
        let forward = Double(times.forward[name]!) / Double(profiledSteps) / 1e6
        let backward = Double(times.backward[name]!) / Double(profiledSteps) / 1e6
        let share = 100 * Double(times.forward[name]! + times.backward[name]!) / total
        var shape = "", rate = ""
        if let convolution = byName[name] {
            shape = "\(convolution.inputChannels)→\(convolution.outputChannels), \(convolution.height) x \(convolution.width)"
            let work = convolution.forwardFLOP(batch: batch) + convolution.backwardFLOP(batch: batch, wantsInputGradient: index > 0)
            rate = String(format: "%.0f", work / ((forward + backward) / 1000) / 1e9)
        }
        print("  " + name.padding(toLength: 6, withPad: " ", startingAt: 0) + " " + shape.padding(toLength: 22, withPad: " ", startingAt: 0)
              + String(format: " %10.2f  %11.2f  %4.1f %%  %7@", forward, backward, share, rate))
    }
    print(String(format: "  layers in all: %.1f ms of the %.1f ms step", total / Double(profiledSteps) / 1e6, secondsPerStep * 1000))
}

/// The loss against the memory limit: the bytes it must move (the logits read twice, the
/// gradient written once, the labels read twice) over the rate of a copy of the logits' size on
/// `threads` threads (bytes read plus written).
func printLossRoofline(logits: Int, pixels: Int, secondsPerEvaluation: Double, threads: Int) {
    let bytes = Double(3 * logits * MemoryLayout<Float>.size + 2 * pixels)
    let rate = measureCopyRate(bytes: logits * MemoryLayout<Float>.size, workers: threads)
    let limit = bytes / rate
    print(String(format: "limit: %.0f MB moved an evaluation (logits read twice, gradient written once, labels read twice); a copy on %d thread%@ moves %.1f GB/s",
                 bytes / 1e6, threads, threads == 1 ? "" : "s", rate / 1e9))
    print(String(format: "  at that rate an evaluation would take %.1f ms: marginal's %.1f ms is %.2fx that limit (%.0f %% of the rate)",
                 limit * 1000, secondsPerEvaluation * 1000, secondsPerEvaluation / limit, 100 * limit / secondsPerEvaluation))
}
