import Foundation


/// Named columns of numbers, written as CSV: a header line, then one row per index. A missing
/// or non-finite value (an infinite penalty) is an empty cell, never a made-up number; every
/// finite value is written in the shortest form that reads back to the same `Double`.
public struct DataTable: Sendable, Equatable {
    public var columns: [(name: String, values: [Double?])]

    public init(columns: [(name: String, values: [Double?])]) {
        precondition(Set(columns.map(\.values.count)).count <= 1, "columns of one length")
        self.columns = columns
    }

    public static func == (a: DataTable, b: DataTable) -> Bool {
        a.columns.map(\.name) == b.columns.map(\.name) && a.columns.map(\.values) == b.columns.map(\.values)
    }

    public var rowCount: Int { columns.first?.values.count ?? 0 }

    /// The CSV text (RFC 4180: fields with a comma, quote or line break are quoted; lines end in `\n`).
    public func csv() -> String {
        var out = columns.map { csvField($0.name) }.joined(separator: ",") + "\n"
        for row in 0 ..< rowCount {
            out += columns.map { column in
                guard let value = column.values[row], value.isFinite else { return "" }
                return exactNumber(value)
            }.joined(separator: ",")
            out += "\n"
        }
        return out
    }
}

/// The shortest decimal that reads back to exactly `value` (Swift's own `description`), with
/// integers written without ".0" and never `-0`: "0.1", "2", "1e-05", "-2.302585092994046".
public func exactNumber(_ value: Double) -> String {
    if value == 0 { return "0" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return value.description
}


/// `x` with at most `digits` decimals and no trailing zeros, for titles and legends.
public func short(_ x: Double, digits: Int = 4) -> String {
    var text = fixedDecimals(x, digits)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text.replacingOccurrences(of: "-", with: "−")
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break. The same rule
/// as MarginalCore's `csvField`, which this dependency-free target cannot import.
private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
