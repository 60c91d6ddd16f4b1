import Foundation
import MarginalFigure

/// `x` with `digits` decimals, a true minus sign, "∞" for infinities and "–" for nil, the way
/// every readout of the explorer prints numbers.
func fixed(_ x: Double?, _ digits: Int = 3) -> String {
    guard let x else { return "–" }
    if x.isNaN { return "–" }
    if x.isInfinite { return x > 0 ? "∞" : "−∞" }
    let text = fixedDecimals(x, digits)
    if text.hasPrefix("-") {
        let rest = text.dropFirst()
        return rest.allSatisfy { $0 == "0" || $0 == "." } ? String(rest) : "−" + rest
    }
    return text
}

/// `x` as a percentage with `digits` decimals: 0.368 → "36.8".
func percent(_ x: Double?, _ digits: Int = 1) -> String { fixed(x.map { 100 * $0 }, digits) }

/// A proportion vector of three classes: "(0.60, 0.30, 0.10)".
func triple(_ p: (Double, Double, Double), _ digits: Int = 2) -> String {
    "(\(fixed(p.0, digits)), \(fixed(p.1, digits)), \(fixed(p.2, digits)))"
}

/// `value` moved by `step` and clamped to `range`, rounded to the step's grid so that repeated
/// steps never drift (0.1 + 0.05 + 0.05 is exactly 0.2).
func stepped(_ value: Double, by step: Double, in range: ClosedRange<Double>, grid: Double) -> Double {
    let moved = ((value + step) / grid).rounded() * grid
    return min(max(moved, range.lowerBound), range.upperBound)
}

/// The `q`-quantile (0…1) of the finite values, nil if there are none.
func quantile(_ values: [Double], _ q: Double) -> Double? {
    let finite = values.filter(\.isFinite).sorted()
    guard !finite.isEmpty else { return nil }
    return finite[min(finite.count - 1, max(0, Int((Double(finite.count - 1) * q).rounded())))]
}
