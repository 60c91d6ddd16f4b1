/// The per-image constants of the gradient's single form (see `FusedPasses`), summed over the
/// terms of a loss: each term adds its share, then pass 2 writes ∂L/∂z from them.
struct GradientCoefficients {
    /// A_bk: the part of ∂L/∂p_ki that does not depend on the pixel's label.
    var softmax: [[Double]]
    /// B_bk: the part of ∂L/∂p_ki added when y_i = k.
    var softmaxAtLabel: [[Double]]
    /// R_bk = (τ / |V_b|) ∂L/∂p̂_bk: the label-marginal terms, chained through p^τ.
    var tempered: [[Double]]
    /// s for a pixel of class k from weighted CE: w_k / Σ_V w_y.
    var crossEntropy: [Double]
    /// 1/|V| times the weight of the focal term; s_i adds it times `focalPixelScale`.
    var focal = 0.0

    init(images: Int, classes: Int) {
        let zeros = [[Double]](repeating: [Double](repeating: 0, count: classes), count: images)
        softmax = zeros
        softmaxAtLabel = zeros
        tempered = zeros
        crossEntropy = [Double](repeating: 0, count: classes)
    }

    var hasTempered: Bool { tempered.contains { $0.contains { $0 != 0 } } }

    func forImage<T: MarginalScalar>(_ image: Int, as _: T.Type) -> ImageCoefficients<T> {
        ImageCoefficients(
            softmax: softmax[image].map { T($0) },
            softmaxAtLabel: softmaxAtLabel[image].map { T($0) },
            tempered: tempered[image].map { T($0) },
            hasTempered: hasTempered,
            crossEntropy: crossEntropy.map { T($0) },
            focal: T(focal)
        )
    }
}

/// One image's coefficients in the logits' own type, for the inner loops.
struct ImageCoefficients<T: MarginalScalar> {
    let softmax: [T]
    let softmaxAtLabel: [T]
    let tempered: [T]
    let hasTempered: Bool
    let crossEntropy: [T]
    let focal: T
}
