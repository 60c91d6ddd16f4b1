/// Escaping for the text formats marginal writes (CSV, JSON, shell commands), shared by figures,
/// tables and run control.

/// A JSON string literal: quotes, backslashes and control characters escaped.
public func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line break.
public func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Arguments joined for a POSIX shell, each quoted only when it needs it.
public func shellCommand(_ arguments: [String]) -> String {
    arguments.map { argument in
        let safe = !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=+,@%".contains($0) }
        return safe ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
}
