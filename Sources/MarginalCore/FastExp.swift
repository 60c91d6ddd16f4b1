/// `exp(x)` for `Float`, branch-free so that a loop of it vectorises (4 lanes with SSE, 8 with
/// AVX2): the softmaxes' exponential (`Float.exponential`).
///
/// exp(x) = 2ⁿ · exp(r), n = round(x / ln 2), r = x − n·ln 2 ∈ [−ln2/2, ln2/2]; exp(r) by the
/// degree-6 minimax polynomial of Cephes' `expf` (relative error below 2 ulp over the range);
/// 2ⁿ is built directly in the exponent bits. Inputs below −87.33 (where `expf` leaves the normal
/// range) give 0 and inputs above 88.72 give +∞: the softmax only ever exponentiates `z − max z ≤ 0`,
/// so flushing subnormals to zero changes no probability by more than 1.2e-38.
@inlinable @inline(__always)
public func fastExp(_ input: Float) -> Float {
    let highest: Float = 88.72283   // log(FLT_MAX)
    let (expR, whole) = reducedExp(Swift.min(Swift.max(input, reducedExpLowest), highest))
    // 2ⁿ built in the exponent field, as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋) so that both factors stay normal
    // over the whole clamped range n ∈ [−126, 128].
    let half = whole &>> 1
    let scaleLow = Float(bitPattern: UInt32(bitPattern: (half &+ 127) &<< 23))
    let scaleHigh = Float(bitPattern: UInt32(bitPattern: (whole &- half &+ 127) &<< 23))
    let result = expR * scaleLow * scaleHigh
    return input < reducedExpLowest ? 0 : (input > highest ? .infinity : result)
}

/// `fastExp(x)` for x ≤ 0, the softmax's shifted logits z − max z: the same value with fewer
/// operations, since n ≥ −126 keeps 2ⁿ a single normal factor and nothing can overflow.
/// (For x > 0 the result is wrong: callers guarantee x ≤ 0.)
@inlinable @inline(__always)
public func fastExpOfNonPositive(_ input: Float) -> Float {
    let (expR, whole) = reducedExp(Swift.max(input, reducedExpLowest))
    let result = expR * Float(bitPattern: UInt32(bitPattern: (whole &+ 127) &<< 23))
    return input < reducedExpLowest ? 0 : result
}

/// log(FLT_MIN): below it `expf` would be subnormal, and both exponentials give 0.
@usableFromInline let reducedExpLowest: Float = -87.33654

/// exp(r) and n for exp(x) = 2ⁿ · exp(r), x already clamped to the normal range.
@inlinable @inline(__always)
func reducedExp(_ x: Float) -> (expR: Float, whole: Int32) {
    // n = round(x / ln 2) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits
    // (round to nearest even, |n| < 2²²), read back as an integer from the bit pattern.
    let magic: Float = 12_582_912
    let shifted = x * 1.44269504088896341 + magic
    let n = shifted - magic
    let whole = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: magic.bitPattern)
    // ln 2 split in two so that n·ln2_hi is exact in Float (Cody–Waite reduction).
    let r = (x - n * 0.693359375) + n * 2.12194440e-4
    var p: Float = 1.9875691500e-4
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    return (p * (r * r) + r + 1, whole)
}
