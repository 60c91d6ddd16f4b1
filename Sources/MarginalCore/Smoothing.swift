import Foundation

/// TensorBoard's scalar smoothing: an exponential moving average with the start-up bias removed.
///
///     mₙ = w·mₙ₋₁ + (1 − w)·vₙ,  m₀ = 0,    sₙ = mₙ / (1 − wⁿ)
///
/// where n counts the finite values so far. Without the division by 1 − wⁿ the first points
/// would be pulled towards the arbitrary m₀ = 0. A missing or non-finite value passes through
/// unchanged and does not enter the average (as in TensorBoard). `weight` is clamped to
/// [0, 0.999]: w = 1 would never move.
public func debiasedMovingAverage(_ values: [Double?], weight: Double) -> [Double?] {
    let w = min(max(weight.isFinite ? weight : 0, 0), 0.999)
    var average = 0.0, decay = 1.0  // decay = wⁿ, kept as a running product (one multiply, not a pow, a point)
    return values.map { value in
        guard let value, value.isFinite else { return value }
        average = w * average + (1 - w) * value
        decay *= w
        return average / (1 - decay)
    }
}
