import Testing
import MarginalCore
import TestSupport

/// The paper's identities (CONVENTIONS.md, "Decomposition") on random inputs.
@Suite struct DecompositionTests {
    /// Eq. 4: CE = H(F|K) + KL(ŷ ‖ p̂¹) + H(ŷ), per image and so in the mean; and the decomposition's
    /// CE is the loss's CE when every image has the same number of valid pixels... in general the
    /// per-image mean, checked here on a batch of one image.
    @Test(arguments: 1 ... 10)
    func crossEntropyIsEntropyPlusKLPlusLabelEntropy(_ seed: Int) throws {
        let batch = randomBatch(batchSize: 3, classes: 5, height: 4, width: 4, seed: UInt64(seed))
        let d = decompose(batch)
        #expect(isClose(d.crossEntropy, d.entropy + d.kl + d.labelEntropy, relative: 1e-12))
        let single = randomBatch(batchSize: 1, classes: 5, height: 4, width: 4, seed: UInt64(seed))
        #expect(isClose(decompose(single).crossEntropy, try evaluateLoss(.ce, on: single).value, relative: 1e-12))
    }

    /// Eq. 1: when every class occurs in image b, Σ_k −log Dice_bk = df + db − K log 2 − Σ_k log ŷ_k
    /// (per-image Dice at τ = 1, no smoothing). db carries ε = 1e-10, hence the 1e-9 tolerance.
    @Test(arguments: 1 ... 10)
    func logDiceIdentity(_ seed: Int) throws {
        let batch = randomBatch(batchSize: 1, classes: 3, height: 6, width: 6, ignoreEvery: 5, absentInFirstImage: [], seed: UInt64(seed))
        let target = labelMarginals(batch, temperature: 1).target[0]!
        try #require(target.allSatisfy { $0 > 0 })
        let d = decompose(batch)
        // Σ_k −log Dice_k from its definition, Dice_k = 2 Σ_{Ω_k} p_k / (Σ_V p_k + |Ω_k|).
        var sumLogDice = 0.0
        let pixels = batch.pixelsPerImage
        for k in 0 ..< 3 {
            var intersection = 0.0, total = 0.0, count = 0.0
            for i in 0 ..< pixels where batch.labels[i] != 255 {
                let z = (0 ..< 3).map { batch.logits[$0 * pixels + i] }
                let p = Double.exp(z[k]) / z.map { Double.exp($0) }.reduce(0, +)
                total += p
                if batch.labels[i] == UInt8(k) { intersection += p; count += 1 }
            }
            sumLogDice += -Double.log(2 * intersection / (total + count))
        }
        let rightSide = d.df + d.db - 3 * Double.log(2) - target.map { Double.log($0) }.reduce(0, +)
        #expect(isClose(sumLogDice, rightSide, relative: 1e-9))
    }

    /// Jensen: df ≤ the paper's region-weighted CE, Σ_k (1/n_k) Σ_{Ω_k} −log p_k.
    @Test(arguments: 1 ... 10)
    func matchingTermIsBelowRegionWeightedCrossEntropy(_ seed: Int) throws {
        let batch = randomBatch(batchSize: 1, classes: 4, height: 5, width: 5, seed: UInt64(seed))
        let pixels = batch.pixelsPerImage
        var perClass = [Double](repeating: 0, count: 4), counts = [Double](repeating: 0, count: 4)
        for i in 0 ..< pixels where batch.labels[i] != 255 {
            let k = Int(batch.labels[i])
            let z = (0 ..< 4).map { batch.logits[$0 * pixels + i] }
            perClass[k] += -(z[k] - Double.log(z.map { Double.exp($0) }.reduce(0, +)))
            counts[k] += 1
        }
        let regionWeighted = zip(perClass, counts).filter { $0.1 > 0 }.map { $0.0 / $0.1 }.reduce(0, +)
        #expect(decompose(batch).df <= regionWeighted)
    }
}
