import Foundation
import Synchronization

/// One adjustable setting of a screen, as it is written in a state string (`yhat=0.1`): its
/// name, how to read it as text, and how to set it from text (throwing why a value is refused).
struct StateKey<S> {
    let name: String
    let read: (S) -> String
    let write: (inout S, String) throws(StateError) -> Void
}

/// Why a state string cannot be opened: one line naming the field and the problem.
public struct StateError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension StateKey {
    /// A number in `range`, written with as few digits as it needs ("0.1", "1").
    static func number(_ name: String, _ path: WritableKeyPath<S, Double>, in range: ClosedRange<Double>,
                       then: @escaping (inout S) -> Void = { _ in }) -> StateKey {
        StateKey(name: name, read: { stateNumber($0[keyPath: path]) }, write: { screen, text throws(StateError) in
            screen[keyPath: path] = try parseNumber(name, text, in: range)
            then(&screen)
        })
    }

    /// A whole number in `range`.
    static func integer<I: FixedWidthInteger>(_ name: String, _ path: WritableKeyPath<S, I>, in range: ClosedRange<I>,
                                             then: @escaping (inout S) -> Void = { _ in }) -> StateKey {
        StateKey(name: name, read: { String($0[keyPath: path]) }, write: { screen, text throws(StateError) in
            guard let value = I(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw StateError("\(name)=\(text): a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            screen[keyPath: path] = value
            then(&screen)
        })
    }

    /// On or off: "on", "off".
    static func flag(_ name: String, _ path: WritableKeyPath<S, Bool>) -> StateKey {
        StateKey(name: name, read: { $0[keyPath: path] ? "on" : "off" }, write: { screen, text throws(StateError) in
            switch text.lowercased() {
            case "on", "true", "yes", "1": screen[keyPath: path] = true
            case "off", "false", "no", "0": screen[keyPath: path] = false
            default: throw StateError("\(name)=\(text): on or off")
            }
        })
    }

    /// One of a named set of values (a loss, a penalty, a scenario).
    static func choice<V: RawRepresentable & CaseIterable>(_ name: String, _ path: WritableKeyPath<S, V>,
                                                           then: @escaping (inout S) -> Void = { _ in }) -> StateKey
        where V.RawValue == String {
        StateKey(name: name, read: { $0[keyPath: path].rawValue }, write: { screen, text throws(StateError) in
            guard let value = V(rawValue: text) else {
                throw StateError("\(name)=\(text): choose one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            screen[keyPath: path] = value
            then(&screen)
        })
    }
}

extension StateKey {
    /// Proportions that add up to 1 (ŷ, p̂), written "0.6,0.3,0.1"; each at least `floor`, and
    /// as many as `count` says for the screen being set.
    static func proportions(_ name: String, floor: Double, count: @escaping (S) -> Int,
                            get: @escaping (S) -> [Double], set: @escaping (inout S, [Double]) -> Void) -> StateKey {
        StateKey(name: name, read: { get($0).map(stateNumber).joined(separator: ",") }, write: { screen, text throws(StateError) in
            let pieces = text.split(separator: ",")
            let numbers = pieces.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            let expected = count(screen)
            guard pieces.count == expected, numbers.count == expected, numbers.allSatisfy({ $0 >= floor && $0 <= 1 }),
                  abs(numbers.reduce(0, +) - 1) < 1e-6 else {
                throw StateError("\(name)=\(text): \(expected) proportions from \(stateNumber(floor)) to 1 that add up to 1")
            }
            set(&screen, numbers)
        })
    }
}

/// A number as a state string writes it: the shortest text that reads back as the same Double.
func stateNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
}

/// `text` as a number in `range`, or why not.
func parseNumber(_ name: String, _ text: String, in range: ClosedRange<Double>) throws(StateError) -> Double {
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
        throw StateError("\(name)=\(text): a number from \(stateNumber(range.lowerBound)) to \(stateNumber(range.upperBound))")
    }
    return value
}

/// A state string's fields: `yhat=0.1,penalties=kl+db1,kl+l1` → [("yhat", "0.1"), ("penalties",
/// "kl+db1,kl+l1")]: a piece without `=` continues the list of the field before it.
func parseStateFields(_ text: Substring, screen: ScreenID) throws(StateError) -> [(key: String, value: String)] {
    var fields: [(key: String, value: String)] = []
    for piece in text.split(separator: ",", omittingEmptySubsequences: true) {
        if let equals = piece.firstIndex(of: "=") {
            fields.append((String(piece[..<equals]).trimmingCharacters(in: .whitespaces), String(piece[piece.index(after: equals)...])))
        } else if !fields.isEmpty {
            fields[fields.count - 1].value += "," + piece
        } else {
            throw StateError("\(screen):\(text): fields are name=value, separated by commas")
        }
    }
    return fields
}

extension Screen {
    /// The state string's fields of this screen: those away from the starting values, in the
    /// order of `stateKeys`.
    var stateFields: [(key: String, value: String)] {
        let starting = startingStateValues(of: Self.self)
        return zip(Self.stateKeys, starting).compactMap { key, start in
            let value = key.read(self)
            return value == start ? nil : (key.name, value)
        }
    }

    /// This screen, at its starting values, set to `fields` (applied in the order of
    /// `stateKeys`, so that a toy's steps are trained after its loss is set).
    mutating func open(_ fields: [(key: String, value: String)]) throws(StateError) {
        let keys = Self.stateKeys
        for field in fields where !keys.contains(where: { $0.name == field.key }) {
            let known = keys.map(\.name).joined(separator: ", ")
            throw StateError("\(Self.id): no field \(field.key)" + (known.isEmpty ? "" : "; its fields are \(known)"))
        }
        var screen = Self()
        for key in keys {
            if let field = fields.last(where: { $0.key == key.name }) { try key.write(&screen, field.value) }
        }
        self = screen
    }
}

/// Each screen type's `stateKeys` read at its starting values, made once a process: the status
/// line asks every frame, and some starting screens are costly to make (the toy draws its image).
private let startingValues = Mutex<[ObjectIdentifier: [String]]>([:])

private func startingStateValues<S: Screen>(of type: S.Type) -> [String] {
    if let values = startingValues.withLock({ $0[ObjectIdentifier(type)] }) { return values }
    let start = S()
    let values = S.stateKeys.map { $0.read(start) }
    startingValues.withLock { $0[ObjectIdentifier(type)] = values }
    return values
}

extension AppState {
    /// The current screen and its adjustable state as one string, `curves:yhat=0.2,derivative=on`
    /// (just `curves` at the starting values): what `marginal tui --state` opens and the status
    /// line shows, so that a view can be pasted into lecture notes.
    public var stateString: String {
        let fields = current.stateFields
        return fields.isEmpty ? screen.rawValue : screen.rawValue + ":" + fields.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Opens the screen a state string names, set to its fields (the other screens keep theirs).
    public mutating func open(state text: String) throws(StateError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let name = trimmed.prefix { $0 != ":" }
        guard let id = ScreenID(rawValue: name.lowercased()) else {
            throw StateError("\(name): no such screen; choose one of \(ScreenID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let fields = try parseStateFields(trimmed.dropFirst(name.count + 1), screen: id)
        var opened = screens[id.index]
        try opened.open(fields)
        screens[id.index] = opened
        screen = id
    }
}
