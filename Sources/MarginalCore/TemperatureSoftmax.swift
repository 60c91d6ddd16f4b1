import Foundation

/// The first component of a two-class soft-max with temperature τ, as a function of the logit
/// difference z = z₁ − z₂ (the paper's Fig. 5).
/// `s(τz)₁ = e^{τz₁} / (e^{τz₁} + e^{τz₂}) = 1 / (1 + e^{−τz})`
/// Paper Eq. 22 (Appendix C); larger τ pushes the prediction towards a vertex (0 or 1).
/// Evaluated so that no exponential overflows: `1/(1 + e^{−τz})` for z ≥ 0, `e^{τz}/(1 + e^{τz})` below.
@inlinable
public func temperedSoftmax(logitDifference z: Double, temperature tau: Double) -> Double {
    let t = tau * z
    if t >= 0 { return 1 / (1 + Foundation.exp(-t)) }
    let e = Foundation.exp(t)
    return e / (1 + e)
}
