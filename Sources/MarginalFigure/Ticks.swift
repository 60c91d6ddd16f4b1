import Foundation

/// A labelled tick on an axis or a colour bar.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String
    public init(value: Double, label: String) { self.value = value; self.label = label }
}

/// The "nice" step for covering `span` with about `count` intervals: 1, 2 or 5 times a power of ten.
public func niceStep(span: Double, count: Int) -> Double {
    precondition(span > 0 && span.isFinite, "a nice step needs a positive finite span")
    let raw = span / Double(max(count, 1))
    let exponent = floor(log10(raw))
    let magnitude = pow(10, exponent)
    let fraction = raw / magnitude
    let mantissa: Double = fraction < 1.5 ? 1 : (fraction < 3 ? 2 : (fraction < 7 ? 5 : 10))
    return mantissa * magnitude
}

/// Ticks at the multiples of a 1-2-5 step inside `domain`, about `count` of them, labelled with
/// just enough decimals for the step (so 0.1 + 0.2 prints as 0.3) and a true minus sign.
public func linearTicks(_ domain: ClosedRange<Double>, count: Int = 5) -> [Tick] {
    let span = domain.upperBound - domain.lowerBound
    guard span > 0, span.isFinite else {
        return [Tick(value: domain.lowerBound, label: formatTickValue(domain.lowerBound, step: max(abs(domain.lowerBound), 1)))]
    }
    let step = niceStep(span: span, count: count)
    let tolerance = step * 1e-9
    let first = Int((domain.lowerBound / step - 1e-9).rounded(.up))
    let last = Int((domain.upperBound / step + 1e-9).rounded(.down))
    guard first <= last else { return [] }
    return (first ... last).compactMap { k in
        let value = Double(k) * step
        guard value >= domain.lowerBound - tolerance, value <= domain.upperBound + tolerance else { return nil }
        return Tick(value: value, label: formatTickValue(value, step: step))
    }
}

/// Ticks at the powers of ten inside `domain` (a positive interval); with fewer than three
/// decades, also at 2 and 5 times them; with more than eight, at every other decade.
public func logarithmicTicks(_ domain: ClosedRange<Double>) -> [Tick] {
    precondition(domain.lowerBound > 0, "logarithmic ticks need a positive domain")
    let low = Int(floor(log10(domain.lowerBound) + 1e-9))
    let high = Int(ceil(log10(domain.upperBound) - 1e-9))
    let decades = high - low
    let mantissas: [Double] = decades < 3 ? [1, 2, 5] : [1]
    let stride = decades > 8 ? 2 : 1
    var ticks: [Tick] = []
    for exponent in low ... high where (exponent - low) % stride == 0 {
        for mantissa in mantissas {
            let value = mantissa * pow(10, Double(exponent))
            guard value >= domain.lowerBound * (1 - 1e-9), value <= domain.upperBound * (1 + 1e-9) else { continue }
            ticks.append(Tick(value: value, label: formatLogTickValue(mantissa: mantissa, exponent: exponent)))
        }
    }
    return ticks
}

/// The ticks that suit `scale` for an axis about `length` figure units long, one tick per
/// `spacing` units or so, labelled in `unit`.
public func ticks(for scale: Scale, length: Double, spacing: Double, unit: AxisUnit = .plain) -> [Tick] {
    switch scale.kind {
    case .linear: linearTicks(scale.domain, count: max(2, Int((length / spacing).rounded())), unit: unit)
    case .logarithmic: logarithmicTicks(scale.domain)
    }
}

/// Linear ticks labelled in `unit`: for per cent, at the 1-2-5 multiples of the domain × 100
/// (0, 20, 40 … for a fraction from 0 to 1), placed at the fractions.
public func linearTicks(_ domain: ClosedRange<Double>, count: Int = 5, unit: AxisUnit) -> [Tick] {
    switch unit {
    case .plain: return linearTicks(domain, count: count)
    case .percent:
        return linearTicks((domain.lowerBound * 100) ... (domain.upperBound * 100), count: count)
            .map { Tick(value: $0.value / 100, label: $0.label) }
    }
}

/// `value` with the decimals that `step` needs; a true minus sign (U+2212); never "-0".
/// Magnitudes from 10⁶ up, or steps below 10⁻⁵, switch to `m×10ⁿ`.
public func formatTickValue(_ value: Double, step: Double) -> String {
    let magnitude = abs(value)
    if value != 0 && (magnitude >= 1e6 || step < 1e-5) {
        let exponent = Int(floor(log10(magnitude)))
        let mantissa = value / pow(10, Double(exponent))
        let stepMantissa = step / pow(10, Double(exponent))
        let decimals = max(0, min(6, Int(ceil(-log10(stepMantissa) - 1e-9))))
        let text = fixedDecimals(mantissa, decimals)
        return withMinusSign(text == "1" ? "10" + superscript(exponent) : text + "×10" + superscript(exponent))
    }
    let decimals = max(0, min(10, Int(ceil(-log10(step) - 1e-9))))
    return withMinusSign(fixedDecimals(value, decimals))
}

/// `1`, `0.01`, `200`, or `10⁻⁵`/`5×10⁷` outside 10⁻⁴…10⁵.
func formatLogTickValue(mantissa: Double, exponent: Int) -> String {
    if (-4 ... 5).contains(exponent) {
        let decimals = max(0, -exponent)
        return fixedDecimals(mantissa * pow(10, Double(exponent)), decimals)
    }
    return mantissa == 1 ? "10" + superscript(exponent) : "\(Int(mantissa))×10" + superscript(exponent)
}

/// Superscript digits for an exponent: `superscript(-5) == "⁻⁵"`.
func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(String(abs(n)).map { digits[Int(String($0))!] })
    return (n < 0 ? "⁻" : "") + body
}

/// Replaces an ASCII hyphen-minus used as a sign by the typographic minus (U+2212).
func withMinusSign(_ text: String) -> String {
    guard text.hasPrefix("-") else { return text }
    let rest = text.dropFirst()
    if rest.allSatisfy({ $0 == "0" || $0 == "." }) { return String(rest) }
    return "−" + rest
}
