import Foundation
import MarginalCore
import MarginalFigure

/// A JSON document written with keys in the order given and numbers in their exact shortest
/// form; a non-finite number becomes `null` (JSON has no infinity), never a stand-in value.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs in writing order.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.encoded() == b.encoded() }

    /// A number, or `null` when it is nil or not finite.
    public static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// An array of numbers (`null` for the missing or non-finite ones).
    public static func numbers(_ values: [Double?]) -> JSONValue { .array(values.map { .number($0) }) }
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }

    /// The JSON text; arrays of scalars stay on one line, objects and other arrays are indented.
    public func encoded(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let v): return v.isFinite ? exactNumber(v) : "null"
        case .string(let s): return jsonString(s)
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.encoded() }.joined(separator: ", ") + "]" }
            return "[\n" + items.map { inner + $0.encoded(indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { inner + jsonString($0.0) + ": " + $0.1.encoded(indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

