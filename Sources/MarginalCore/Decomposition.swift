/// The paper's decompositions of Dice and CE (Eqs. 1 and 4), at τ = 1, computed per image over
/// its valid pixels and then averaged over the images that have one (CONVENTIONS.md,
/// "Decomposition"). With p̂¹ the τ = 1 marginal and Ω_k the pixels of class k (n_k of them):
public struct Decomposition: Sendable, Equatable {
    /// df = Σ_{k: n_k>0} −log((1/n_k) Σ_{i∈Ω_k} p_ki): Dice's ground-truth matching term.
    public var df = 0.0
    /// db = Σ_k log(p̂¹_k + ŷ_k + ε): Dice's label-marginal bias (a sum over k, as in Eq. 1).
    public var db = 0.0
    /// H(F|K) ≈ −(1/|V|) Σ_k Σ_{i∈Ω_k} log(p_ki / p̂¹_k): CE's matching term.
    public var entropy = 0.0
    /// KL(ŷ ‖ p̂¹) = Σ_k ŷ_k log(ŷ_k / p̂¹_k): CE's hidden label-marginal bias.
    public var kl = 0.0
    /// H(ŷ) = −Σ_k ŷ_k log ŷ_k
    public var labelEntropy = 0.0
    /// CE = (1/|V|) Σ_{i∈V} −log p_{y_i}; equals entropy + kl + labelEntropy.
    public var crossEntropy = 0.0

    public init() {}
}

/// Computes the decomposition in `Double` whatever the logits' type. Every log of a mean of
/// probabilities is taken as a log-sum-exp of log-probabilities, so that it stays finite (and
/// exact) when the probabilities themselves underflow, as they do for logits of ±100.
public func decompose<T: MarginalScalar>(_ batch: SegmentationBatch<T>) -> Decomposition {
    var mean = DecompositionMean()
    mean.add(batch)
    if let value = mean.value { return value }
    // No valid pixel: every term is 0/0, as a mean over no image.
    var undefined = Decomposition()
    undefined.df = .nan; undefined.db = .nan; undefined.entropy = .nan
    undefined.kl = .nan; undefined.labelEntropy = .nan; undefined.crossEntropy = .nan
    return undefined
}

/// The decomposition's mean over the images of many batches (an evaluation split read in
/// batches): the per-image terms are summed and divided by the number of images with a valid
/// pixel, so the mean over batches B₁, B₂ … equals `decompose` of their concatenation.
public struct DecompositionMean: Sendable, Equatable {
    /// Σ over the images of each image's terms.
    public private(set) var sum = Decomposition()
    /// Images with at least one valid pixel.
    public private(set) var images = 0

    public init() {}

    /// The mean so far; nil before any image with a valid pixel.
    public var value: Decomposition? {
        guard images > 0 else { return nil }
        let n = Double(images)
        var mean = sum
        mean.df /= n; mean.db /= n; mean.entropy /= n; mean.kl /= n; mean.labelEntropy /= n; mean.crossEntropy /= n
        return mean
    }

    public mutating func add<T: MarginalScalar>(_ batch: SegmentationBatch<T>) {
        let classes = batch.classes, pixels = batch.pixelsPerImage
        var logProbability = [Double](repeating: 0, count: classes)
        for image in 0 ..< batch.batchSize {
            // Per class: the log-probabilities of all valid pixels, and of the pixels labelled k.
            var valid: [[Double]] = Array(repeating: [], count: classes)
            var labelled: [[Double]] = Array(repeating: [], count: classes)
            var logAtLabel: [Double] = []
            var labels: [Int] = []
            for i in 0 ..< pixels {
                let label = batch.labels[image * pixels + i]
                guard label != SegmentationBatch<T>.ignoreIndex else { continue }
                var largest = -Double.infinity
                for k in 0 ..< classes {
                    logProbability[k] = Double(batch.logits[(image * classes + k) * pixels + i])
                    largest = max(largest, logProbability[k])
                }
                let logSum = largest + Double.log(logProbability.reduce(0) { $0 + Double.exp($1 - largest) })
                for k in 0 ..< classes {
                    let value = logProbability[k] - logSum
                    valid[k].append(value)
                    if k == Int(label) { labelled[k].append(value) }
                }
                logAtLabel.append(logProbability[Int(label)] - logSum)
                labels.append(Int(label))
            }
            guard !labels.isEmpty else { continue }
            images += 1
            let count = Double(labels.count)
            let logPredicted = valid.map { logSumExp($0) - Double.log(count) }      // log p̂¹_k
            let target = labelled.map { Double($0.count) / count }                  // ŷ_k
            var terms = Decomposition()
            for k in 0 ..< classes {
                terms.db += Double.log(Double.exp(logPredicted[k]) + target[k] + MarginalPenalty.epsilon)
                guard !labelled[k].isEmpty else { continue }
                terms.df += -(logSumExp(labelled[k]) - Double.log(Double(labelled[k].count)))
                terms.kl += target[k] * (Double.log(target[k]) - logPredicted[k])
                terms.labelEntropy += -target[k] * Double.log(target[k])
            }
            for (logP, label) in zip(logAtLabel, labels) {
                terms.entropy += -(logP - logPredicted[label]) / count
                terms.crossEntropy += -logP / count
            }
            sum.df += terms.df; sum.db += terms.db; sum.entropy += terms.entropy
            sum.kl += terms.kl; sum.labelEntropy += terms.labelEntropy; sum.crossEntropy += terms.crossEntropy
        }
    }
}

/// log Σ exp(xᵢ), shifted by the largest term so that nothing overflows or underflows to −∞.
public func logSumExp(_ values: [Double]) -> Double {
    guard let largest = values.max(), largest > -.infinity else { return -.infinity }
    return largest + Double.log(values.reduce(0) { $0 + Double.exp($1 - largest) })
}
