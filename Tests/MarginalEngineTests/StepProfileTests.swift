import Testing
import MarginalCore
import MarginalEngine
import TestSupport

/// The roofline's arithmetic and probes: the FLOP a UNet-S step's products take, from its shapes;
/// the per-layer clock (which must not change a single result); and the machine-rate probes.
@Suite struct StepProfileTests {
    /// B 8, 1 × 64 × 64, K 3, w 16: the benchmark's step. Forward, a image, 2·O·I·k²·H·W for
    /// each convolution, written out by hand (the issue's "≈ 228 MFLOP an image for the ten
    /// 3 × 3 convolutions"); backward twice that but for the images' ∂x.
    @Test func stepFLOPFromTheShapes() {
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 16, seed: 0)
        let perImage: [Double] = [
            2 * 16 * 1 * 9 * 4096, 2 * 16 * 16 * 9 * 4096,     // e1a, e1b at 64 × 64
            2 * 32 * 16 * 9 * 1024, 2 * 32 * 32 * 9 * 1024,    // e2a, e2b at 32 × 32
            2 * 64 * 32 * 9 * 256, 2 * 64 * 64 * 9 * 256,      // ba, bb at 16 × 16
            2 * 32 * 96 * 9 * 1024, 2 * 32 * 32 * 9 * 1024,    // d2a, d2b
            2 * 16 * 48 * 9 * 4096, 2 * 16 * 16 * 9 * 4096,    // d1a, d1b
            2 * 3 * 16 * 1 * 4096,                             // head
        ]
        let shapes = model.convolutionShapes(height: 64, width: 64)
        #expect(shapes.map(\.name) == ["e1a", "e1b", "e2a", "e2b", "ba", "bb", "d2a", "d2b", "d1a", "d1b", "head"])
        #expect(model.convolutionNames == shapes.map(\.name))
        #expect(shapes.map { $0.forwardFLOP(batch: 1) } == perImage)
        let threeByThree = perImage.dropLast().reduce(0, +)
        #expect(abs(threeByThree - 227.7e6) < 0.1e6)
        let step = model.stepFLOP(batch: 8, height: 64, width: 64)
        #expect(step.forward == 8 * perImage.reduce(0, +))
        #expect(step.backward == 2 * step.forward - 8 * perImage[0], "no ∂x for the images")
        // The largest product of an image: d1a's 16 × 4096 · 432 (tied with d2a's 32 × 1024 · 864).
        let largest = shapes.max { $0.forwardFLOP(batch: 1) < $1.forwardFLOP(batch: 1) }!
        #expect(largest.name == "d2a" || largest.name == "d1a")
        #expect(shapes[8].product == (m: 16, n: 4096, k: 432))
    }

    /// With the clock attached, every layer's passes are timed (17 each way: 11 convolutions, 2
    /// pools, 2 upsamplings, 2 concatenations) and the logits and gradients are bit for bit the
    /// same as without it.
    @Test func layerTimesChangeNothing() throws {
        let (model, images, labels) = UNetSTests.tinyNetwork(seed: 3)
        func step() throws -> ([Double], [Double]) {
            let logits = model.forward(images)
            let batch = try SegmentationBatch(logits: logits.values, labels: labels, batchSize: 2, classes: 2, height: 8, width: 8)
            let loss = try evaluateLoss(.ceL1, on: batch)
            model.zeroGradients()
            model.backward(Tensor(shape: logits.shape, values: loss.gradient))
            return (logits.values, model.parameters.gradients)
        }
        let plain = try step()
        let times = LayerTimes()
        model.layerTimes = times
        let timed = try step()
        #expect(timed.0 == plain.0 && timed.1 == plain.1)
        #expect(times.steps == 1 && times.names.count == 17)
        #expect(Set(times.forward.keys) == Set(times.names) && Set(times.backward.keys) == Set(times.names))
        #expect(times.names.prefix(3) == ["e1a", "e1b", "pool1"] && times.names.last == "head")
    }

    /// The probes return a positive, finite rate (the machine's numbers themselves are for
    /// the benchmark's report, not for a test).
    @Test func probesMeasureSomething() {
        let product = measureMatrixProductRate(m: 16, n: 256, k: 144, workers: 2, seconds: 0.02)
        let copy = measureCopyRate(bytes: 1 << 20, workers: 2, seconds: 0.02)
        #expect(product.isFinite && product > 1e6, "\(product) FLOP/s")
        #expect(copy.isFinite && copy > 1e6, "\(copy) B/s")
    }
}
