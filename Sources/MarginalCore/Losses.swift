#if canImport(Glibc)
import Glibc
#endif

/// One summand of a loss.
public enum LossTerm: Sendable, Equatable {
    case crossEntropy
    case focal
    case dice(logarithmic: Bool, foregroundOnly: Bool)
    case generalizedDice
    case marginal(MarginalPenalty)

    var isBinaryOnly: Bool {
        switch self {
        case .dice(_, let foregroundOnly): foregroundOnly
        case .marginal(let penalty): penalty.isBinaryOnly
        default: false
        }
    }
}

/// The knobs every loss shares.
public struct LossSettings: Sendable, Equatable {
    /// τ of p̂ (paper Appendix C); CE and Dice always use τ = 1.
    public var temperature: Double
    /// w_k of weighted CE (PyTorch semantics); nil = unweighted.
    public var classWeights: [Double]?
    /// γ of focal.
    public var focalGamma: Double

    public init(temperature: Double = 10, classWeights: [Double]? = nil, focalGamma: Double = 2) {
        self.temperature = temperature
        self.classWeights = classWeights
        self.focalGamma = focalGamma
    }
}

/// A loss's value, and ∂loss/∂z in the logits' shape and type.
public struct LossEvaluation<T: MarginalScalar>: Sendable {
    public let value: Double
    public let gradient: [T]
}

/// Evaluates `Σ weight · term` on a batch: the value, and the gradient with respect to the logits
/// unless `gradient` is false (then `gradient` is empty and pass 2 is skipped).
@_specialize(exported: true, where T == Float)
@_specialize(exported: true, where T == Double)
public func evaluateLoss<T: MarginalScalar>(
    _ terms: [(weight: Double, term: LossTerm)], on batch: SegmentationBatch<T>,
    settings: LossSettings = LossSettings(), gradient wantsGradient: Bool = true, threads: Int = 1
) throws(MarginalError) -> LossEvaluation<T> {
    try validate(terms, settings, classes: batch.classes)
    let needsTemperature = terms.contains { if case .marginal = $0.term { true } else { false } }
    let needsFocal = terms.contains { $0.term == .focal }
    let passes = FusedPasses(batch: batch, temperature: needsTemperature ? T(settings.temperature) : nil,
                             classWeights: settings.classWeights, focalGamma: needsFocal ? settings.focalGamma : nil,
                             threads: threads)
    let pixels = batch.batchSize * batch.pixelsPerImage
    // Pass 1 writes every element of the buffers (p and the pivots for all pixels, s(p_y) for the
    // valid ones, which are the only ones read), so none needs zero-filling first.
    var gradient = wantsGradient ? [T](unsafeUninitializedCapacity: batch.logits.count) { buffer, initialized in
        adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
        initialized = buffer.count
    } : []
    var focalScale = wantsGradient && needsFocal ? [T](repeating: 0, count: pixels) : []
    var pivots = wantsGradient && needsTemperature ? [T](unsafeUninitializedCapacity: pixels) { $1 = $0.count } : []
    let sums = gradient.withUnsafeMutableBufferPointer { gradient in
        focalScale.withUnsafeMutableBufferPointer { focalScale in
            pivots.withUnsafeMutableBufferPointer { pivots in
                // An empty array may still have a base address: pass nil for "not wanted".
                passes.gatherSums(probabilitiesOut: gradient.isEmpty ? nil : gradient.baseAddress,
                                  focalScaleOut: focalScale.isEmpty ? nil : focalScale.baseAddress,
                                  pivotsOut: pivots.isEmpty ? nil : pivots.baseAddress)
            }
        }
    }
    var coefficients = GradientCoefficients(images: batch.batchSize, classes: batch.classes)
    var value = 0.0
    for (weight, term) in terms {
        switch term {
        case .crossEntropy:
            value += try crossEntropyTerm(sums, weight: weight, classWeights: settings.classWeights, into: &coefficients)
        case .focal:
            value += focalTerm(sums, weight: weight, into: &coefficients)
        case .dice(let logarithmic, let foregroundOnly):
            value += diceTerm(sums, weight: weight, logarithmic: logarithmic, foregroundOnly: foregroundOnly, into: &coefficients)
        case .generalizedDice:
            value += generalizedDiceTerm(sums, weight: weight, into: &coefficients)
        case .marginal(let penalty):
            value += marginalPenaltyTerm(penalty, sums, weight: weight, temperature: settings.temperature, into: &coefficients)
        }
    }
    if wantsGradient {
        gradient.withUnsafeMutableBufferPointer { gradient in
            focalScale.withUnsafeBufferPointer { focalScale in
                pivots.withUnsafeBufferPointer { pivots in
                    passes.finishGradient(gradient.baseAddress!, focalScale: focalScale.isEmpty ? nil : focalScale.baseAddress,
                                          pivots: pivots.isEmpty ? nil : pivots.baseAddress, coefficients)
                }
            }
        }
    }
    return LossEvaluation(value: value, gradient: gradient)
}

/// `evaluateLoss` for a named loss; `lambda` nil takes the loss's default λ.
@_specialize(exported: true, where T == Float)
@_specialize(exported: true, where T == Double)
public func evaluateLoss<T: MarginalScalar>(
    _ loss: LossName, on batch: SegmentationBatch<T>, lambda: Double? = nil,
    settings: LossSettings = LossSettings(), gradient: Bool = true, threads: Int = 1
) throws(MarginalError) -> LossEvaluation<T> {
    if loss.isBinaryOnly && batch.classes != 2 {
        throw MarginalError("loss \(loss.rawValue) is binary only (K = 2), but K = \(batch.classes)")
    }
    return try evaluateLoss(loss.terms(lambda: lambda), on: batch, settings: settings, gradient: gradient, threads: threads)
}

private func validate(_ terms: [(weight: Double, term: LossTerm)], _ settings: LossSettings, classes: Int) throws(MarginalError) {
    for (weight, term) in terms {
        guard weight.isFinite else { throw MarginalError("λ = \(weight) is not a finite number") }
        if term.isBinaryOnly && classes != 2 {
            throw MarginalError("a binary-only term (class 1 = foreground) needs K = 2, but K = \(classes)")
        }
    }
    guard settings.temperature.isFinite, settings.temperature > 0 else {
        throw MarginalError("τ = \(settings.temperature); the temperature must be a positive number")
    }
    guard settings.focalGamma.isFinite, settings.focalGamma >= 0 else {
        throw MarginalError("γ = \(settings.focalGamma); the focal exponent must be ≥ 0")
    }
    if let weights = settings.classWeights {
        guard weights.count == classes else {
            throw MarginalError("\(weights.count) class weights given for K = \(classes) classes")
        }
        if let bad = weights.first(where: { !$0.isFinite || $0 < 0 }) {
            throw MarginalError("class weight \(bad) is not a finite number ≥ 0")
        }
    }
}

/// Asks the kernel to back a large buffer not yet touched with transparent huge pages (2 MiB):
/// its first writes then fault once a huge page instead of once every 4 KiB page.
func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    let page = 1 << 21
    guard let base = buffer.baseAddress, buffer.count >= 2 * page else { return }
    let start = (Int(bitPattern: base) + page - 1) / page * page
    let end = (Int(bitPattern: base) + buffer.count) / page * page
    guard end > start else { return }
    #if canImport(Glibc)
    _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
    #endif
}
