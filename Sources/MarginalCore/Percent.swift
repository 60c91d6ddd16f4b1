import Foundation

/// `value` as a percentage with one decimal, "–" when there is none: 0.368 → "36.8"; with
/// `width`, right-aligned in that many columns (the tables of `marginal eval` and `toy`).
public func percentage(_ value: Double?, width: Int = 0) -> String {
    let text = value.map { String(format: "%.1f", 100 * $0) } ?? "–"
    return String(repeating: " ", count: max(0, width - text.count)) + text
}
