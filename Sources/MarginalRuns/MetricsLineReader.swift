import Foundation

/// A fast reader of the two kinds of metrics.jsonl line, `{"type":"train", …}` and
/// `{"type":"eval", …}`, straight from their bytes: one pass over the line, no intermediate
/// JSON tree, numbers converted where they stand. Opening a long run reads tens of thousands of
/// lines, which `JSONDecoder` made the slowest part of the explorer's first look.
///
/// It answers only when it is sure to answer as `JSONDecoder` would: a flat object of the keys
/// of `TrainLine` or `EvalLine` (and any other key with a plain value, ignored as the decoder
/// ignores it), numbers in JSON's grammar, strings without escapes, no key twice. Anything
/// else — escapes, nesting beyond the `decomposition` object, `true`/`false`, a missing key, a
/// null where a number must be, a step that is not a whole number — gives `nil`, and the caller
/// decodes that line with `JSONDecoder`, so the result is the decoder's in every case.
///
/// Numbers: a decimal of at most 19 significant digits whose integer part fits in 2^53 and
/// whose power of ten is within ±22 is converted exactly (one correctly rounded product or
/// quotient of two exact doubles: Clinger's fast path); any other is handed to the standard
/// library's correctly rounded `Double(String)`. Both round correctly, so both equal the decoder's.
enum MetricsLineReader {
    enum Line: Equatable {
        case train(TrainLine)
        case evaluation(EvalLine)
        /// A well-formed object of another type (the caller skips it, as it skips unknown types).
        case other
    }

    /// The line `bytes` (one line, without its newline), or nil when only `JSONDecoder` can say.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Line? {
        var scanner = Scanner(bytes: bytes)
        var fields = Fields()
        guard scanner.object(into: &fields), scanner.atEnd else { return nil }
        return fields.line()
    }

    /// The values of a line's keys as read (nil: absent).
    struct Fields {
        var type: String?
        var step: Int?
        var numbers: [Double?] = Array(repeating: nil, count: NumberKey.allCases.count)
        var lists: [[Double?]?] = Array(repeating: nil, count: ListKey.allCases.count)
        var decomposition: CrossEntropyTerms?
        /// The known keys read so far, a bit each (one read twice makes the line the decoder's to judge).
        var seen: UInt32 = 0

        /// Notes key `bit` as read; false if it was already.
        mutating func first(_ bit: Int) -> Bool {
            defer { seen |= 1 << bit }
            return seen & (1 << bit) == 0
        }

        func number(_ key: NumberKey) -> Double? { numbers[key.rawValue] }
        func list(_ key: ListKey) -> [Double?]? { lists[key.rawValue] }

        /// A list that must hold no null (the proportions), or nil.
        func complete(_ key: ListKey) -> [Double]? {
            guard let values = list(key), !values.contains(where: { $0 == nil }) else { return nil }
            return values.map { $0! }
        }

        func line() -> Line? {
            switch type {
            case "train":
                guard let step, let epoch = number(.epoch), let time = number(.time), let lr = number(.lr),
                      let loss = number(.loss), let ce = number(.ce), let reg = number(.reg) else { return nil }
                return .train(TrainLine(step: step, epoch: epoch, time: time, lr: lr, loss: loss, ce: ce, reg: reg))
            case "eval":
                guard let step, let epoch = number(.epoch), let time = number(.time), let loss = number(.loss),
                      let iou = list(.iou), let dice = list(.dice), let pred = complete(.predProportion),
                      let hard = complete(.hardProportion), let target = complete(.targetProportion) else { return nil }
                // A key that may be absent or null reads nil either way; a value there must be a number.
                var tempered: [Double]?
                if list(.temperedProportion) != nil {
                    guard let values = complete(.temperedProportion) else { return nil }
                    tempered = values
                }
                let result = EvaluationResult(iou: iou, miou: number(.miou), dice: dice, predProportion: pred, hardProportion: hard,
                                              targetProportion: target, loss: loss, hd95: number(.hd95), nsd: number(.nsd),
                                              temperedProportion: tempered, crossEntropyTerms: decomposition)
                return .evaluation(EvalLine(step: step, epoch: epoch, time: time, result: result))
            case nil:
                return nil
            default:
                return .other
            }
        }
    }

    /// The keys holding one number.
    enum NumberKey: Int, CaseIterable {
        case epoch, time, lr, loss, ce, reg, miou, hd95, nsd
        var name: String { "\(self)" }
        /// Keys whose value may be null or absent (the decoder's `decodeIfPresent`).
        var nullable: Bool { self == .miou || self == .hd95 || self == .nsd }
    }

    /// The keys holding a list of numbers (or nulls).
    enum ListKey: Int, CaseIterable {
        case iou, dice, predProportion, hardProportion, targetProportion, temperedProportion
        var name: String {
            switch self {
            case .iou: "iou"
            case .dice: "dice"
            case .predProportion: "pred_proportion"
            case .hardProportion: "hard_proportion"
            case .targetProportion: "target_proportion"
            case .temperedProportion: "tempered_proportion"
            }
        }
    }

    static let numberKeys: [(bytes: [UInt8], key: NumberKey)] = NumberKey.allCases.map { (Array($0.name.utf8), $0) }
    static let listKeys: [(bytes: [UInt8], key: ListKey)] = ListKey.allCases.map { (Array($0.name.utf8), $0) }
    static let decompositionKeys: [[UInt8]] = ["entropy", "kl", "label_entropy", "ce"].map { Array($0.utf8) }
    static let typeKey = Array("type".utf8), stepKey = Array("step".utf8), decompositionKey = Array("decomposition".utf8)

    /// Powers of ten that doubles hold exactly (10^0 … 10^22).
    static let exactPowersOfTen: [Double] = (0 ... 22).map { pow(10, Double($0)) }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return index == bytes.count
            }
        }

        mutating func skipSpace() {
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A else { return }
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return index < bytes.count ? bytes[index] : nil
        }

        /// A string without escapes: the range of its bytes.
        mutating func string() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return start ..< index - 1
                }
                // An escape, or a control character the decoder refuses: its judgement.
                guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
                index += 1
            }
            return nil
        }

        func equals(_ range: Range<Int>, _ key: [UInt8]) -> Bool {
            guard range.count == key.count else { return false }
            var i = range.lowerBound
            for byte in key {
                guard bytes[i] == byte else { return false }
                i += 1
            }
            return true
        }

        mutating func null() -> Bool {
            skipSpace()
            guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                  bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
            index += 4
            return true
        }

        /// The top-level object, each key's value stored in `fields`; false when the decoder must judge.
        mutating func object(into fields: inout Fields) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), value(for: key, into: &fields) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        }

        mutating func value(for key: Range<Int>, into fields: inout Fields) -> Bool {
            // Bits of `Fields.seen`: type 0, step 1, the number keys from 2, the lists after, the decomposition last.
            let listBit = 2 + NumberKey.allCases.count, decompositionBit = listBit + ListKey.allCases.count
            if equals(key, MetricsLineReader.typeKey) {
                guard fields.first(0), let text = string() else { return false }
                fields.type = String(decoding: UnsafeBufferPointer(rebasing: bytes[text]), as: UTF8.self)
                return true
            }
            if equals(key, MetricsLineReader.stepKey) {
                guard fields.first(1), let step = integer() else { return false }
                fields.step = step
                return true
            }
            if let (_, numberKey) = MetricsLineReader.numberKeys.first(where: { equals(key, $0.bytes) }) {
                guard fields.first(2 + numberKey.rawValue) else { return false }
                if null() { return numberKey.nullable }  // nil, as when absent
                guard let value = number() else { return false }
                fields.numbers[numberKey.rawValue] = value
                return true
            }
            if let (_, listKey) = MetricsLineReader.listKeys.first(where: { equals(key, $0.bytes) }) {
                guard fields.first(listBit + listKey.rawValue) else { return false }
                if listKey == .temperedProportion, null() { return true }
                guard let values = list() else { return false }
                fields.lists[listKey.rawValue] = values
                return true
            }
            if equals(key, MetricsLineReader.decompositionKey) {
                guard fields.first(decompositionBit) else { return false }
                if null() { return true }
                guard let terms = decomposition() else { return false }
                fields.decomposition = terms
                return true
            }
            // Any other key: a plain value, ignored (as the decoder ignores it).
            if null() { return true }
            if peek() == UInt8(ascii: "\"") { return string() != nil }
            if peek() == UInt8(ascii: "[") { return list() != nil }
            return number() != nil
        }

        /// `[n, null, …]`.
        mutating func list() -> [Double?]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var values: [Double?] = []
            if take(UInt8(ascii: "]")) { return values }
            repeat {
                if null() {
                    values.append(nil)
                } else {
                    guard let value = number() else { return nil }
                    values.append(value)
                }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? values : nil
        }

        /// `{"ce":…,"entropy":…,"kl":…,"label_entropy":…}`: each of the four once, nothing else.
        mutating func decomposition() -> CrossEntropyTerms? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var values: [Double?] = [nil, nil, nil, nil]
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")),
                      let slot = MetricsLineReader.decompositionKeys.firstIndex(where: { equals(key, $0) }),
                      values[slot] == nil, let value = number() else { return nil }
                values[slot] = value
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), let entropy = values[0], let kl = values[1], let labelEntropy = values[2],
                  let crossEntropy = values[3] else { return nil }
            return CrossEntropyTerms(entropy: entropy, kl: kl, labelEntropy: labelEntropy, crossEntropy: crossEntropy)
        }

        /// A whole number written as digits alone (`-`? digits, no leading zero, at most 18 digits).
        mutating func integer() -> Int? {
            skipSpace()
            var i = index, negative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let start = i
            var value = 0
            while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 {
                value = value &* 10 &+ Int(bytes[i] &- UInt8(ascii: "0"))  // wraps past 18 digits, refused below
                i += 1
            }
            let digits = i - start
            guard digits >= 1, digits <= 18, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            // A fraction or an exponent follows: the decoder's to judge.
            if i < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]) { return nil }
            index = i
            return negative ? -value : value
        }

        /// A JSON number: `-`? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, as a double.
        mutating func number() -> Double? {
            skipSpace()
            let start = index
            var i = index, negative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            var mantissa: UInt64 = 0, significant = 0, exponent = 0
            func digit(_ at: Int) -> UInt64? {
                guard at < bytes.count else { return nil }
                let d = bytes[at] &- UInt8(ascii: "0")
                return d < 10 ? UInt64(d) : nil
            }
            func accumulate(_ d: UInt64) {
                if significant > 0 || d != 0 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ d } else { exponent += 1 }
            }
            let integerStart = i
            while let d = digit(i) { accumulate(d); i += 1 }
            let integerDigits = i - integerStart
            guard integerDigits >= 1, !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fractionStart = i
                while let d = digit(i) {
                    if significant < 19 { accumulate(d); exponent -= 1 } else { significant += 1 }
                    i += 1
                }
                guard i > fractionStart else { return nil }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                // Foundation's decoder refuses `0e1`, valid JSON though it is: an exponent after
                // a zero integer part is left to it.
                guard !(integerDigits == 1 && bytes[integerStart] == UInt8(ascii: "0")) else { return nil }
                i += 1
                var exponentNegative = false
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                    exponentNegative = bytes[i] == UInt8(ascii: "-")
                    i += 1
                }
                let exponentStart = i
                var written = 0
                while let d = digit(i) {
                    if written < 100_000 { written = written * 10 + Int(d) }
                    i += 1
                }
                guard i > exponentStart else { return nil }
                exponent += exponentNegative ? -written : written
            }
            index = i
            let value: Double
            if significant <= 19, mantissa <= 1 << 53, abs(exponent) <= 22 {
                let m = Double(mantissa), power = MetricsLineReader.exactPowersOfTen[abs(exponent)]
                value = exponent < 0 ? m / power : m * power
            } else {
                guard let parsed = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< i]), as: UTF8.self)) else { return nil }
                // Out of a double's range (infinite, or rounded to 0 or a subnormal): the decoder's to judge.
                return parsed.isNormal || (parsed == 0 && mantissa == 0) ? parsed : nil
            }
            return negative ? -value : value
        }
    }
}
