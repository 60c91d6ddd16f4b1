import Foundation

/// `value` with `decimals` digits after the point, exactly as C's `printf("%.*f")` writes it
/// (`String(format:)`), including "-0.00" for a negative value that rounds to zero, but without
/// going through Foundation's formatter when the answer is plain: a screen formats hundreds of
/// tick labels and readouts a frame, and `String(format:)` is most of a chart's drawing time.
///
/// The short path is taken only when `value · 10^decimals` is within 10⁻³ of an integer n below
/// 2⁵³: the product's own rounding error (a few units in 10⁻¹⁶, relative) is then far too small
/// to move the exact decimal expansion across the half-way point between n and n ± 1, so n is
/// what correct rounding gives. Everything else (ties, huge values, NaN, ∞) falls back.
public func fixedDecimals(_ value: Double, _ decimals: Int) -> String {
    guard (0 ... 15).contains(decimals) else { return String(format: "%.\(decimals)f", value) }
    let scale = powersOfTen[decimals]
    let scaled = value * scale
    let nearest = scaled.rounded()
    guard abs(nearest) < 9.0e15, abs(scaled - nearest) < 1e-3 else { return String(format: "%.\(decimals)f", value) }
    let magnitude = UInt64(abs(nearest))
    var digits = String(magnitude)
    if decimals > 0 {
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    }
    return value.sign == .minus ? "-" + digits : digits
}

/// 10⁰ … 10¹⁵, each exact in a Double.
private let powersOfTen: [Double] = (0 ... 15).map { exponent in (0 ..< exponent).reduce(1.0) { product, _ in product * 10 } }
