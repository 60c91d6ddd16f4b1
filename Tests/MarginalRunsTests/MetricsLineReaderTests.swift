import Foundation
import Testing
import MarginalCore
@testable import MarginalRuns

/// The fast metrics line reader reads every line as `JSONDecoder` does: the trainer's own
/// lines, other writers' spacing and key order, the numbers JSON allows and the ones it does
/// not, nulls, missing keys, escapes, and random damage to good lines.
@Suite struct MetricsLineReaderTests {
    /// A history read through the fast reader (falling back where it cannot say) and one read
    /// by `JSONDecoder` alone; equal, and printing alike (which tells −0 from 0 and each bit of a double).
    func expectSameReading(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var fast = RunHistory(), decoded = RunHistory()
        fast.add([line])
        decoded.addDecoding(line)
        #expect(fast == decoded, "\(line)", sourceLocation: sourceLocation)
        #expect("\(fast.train)\(fast.evaluations)" == "\(decoded.train)\(decoded.evaluations)", "\(line)", sourceLocation: sourceLocation)
        var bytes = RunHistory()
        bytes.add(metrics: Data((line + "\n").utf8))
        #expect("\(bytes.train)\(bytes.evaluations)" == "\(decoded.train)\(decoded.evaluations)", "\(line)", sourceLocation: sourceLocation)
    }

    /// Whether the fast reader answers for `line` itself (rather than leaving it to the decoder).
    func readsItself(_ line: String) -> Bool {
        var copy = line
        return copy.withUTF8 { MetricsLineReader.read($0) } != nil
    }

    /// Lines as the trainer writes them (`JSONEncoder`, sorted keys), with random values of
    /// every size: each read by the fast reader itself, and read as the decoder reads it.
    @Test func trainerLinesReadAsTheDecoderReadsThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var random = SeededRandom(seed: 14)
        func number() -> Double {
            // Values from 1e-12 to 1e12, some whole, some negative, some tiny fractions.
            let magnitude = pow(10, Double(Int(random.next() % 25)) - 12) * random.uniform(0, 1)
            switch random.next() % 4 {
            case 0: return magnitude.rounded()
            case 1: return -magnitude
            default: return magnitude
            }
        }
        for index in 0 ..< 400 {
            let train = TrainLine(step: index * 10, epoch: number(), time: number(), lr: number(), loss: number(), ce: number(), reg: number())
            let k = 1 + Int(random.next() % 5)
            func values() -> [Double] { (0 ..< k).map { _ in number() } }
            let result = EvaluationResult(
                iou: (0 ..< k).map { _ in random.next() % 5 == 0 ? nil : number() }, miou: random.next() % 4 == 0 ? nil : number(),
                dice: (0 ..< k).map { _ in random.next() % 5 == 0 ? nil : number() }, predProportion: values(), hardProportion: values(),
                targetProportion: values(), loss: number(), hd95: random.next() % 2 == 0 ? nil : number(), nsd: random.next() % 2 == 0 ? nil : number(),
                temperedProportion: random.next() % 3 == 0 ? nil : values(),
                crossEntropyTerms: random.next() % 3 == 0 ? nil : CrossEntropyTerms(entropy: number(), kl: number(), labelEntropy: number(), crossEntropy: number()))
            let evaluation = EvalLine(step: index * 10, epoch: number(), time: number(), result: result)
            for line in [String(decoding: try encoder.encode(train), as: UTF8.self), String(decoding: try encoder.encode(evaluation), as: UTF8.self)] {
                #expect(readsItself(line), "\(line)")
                expectSameReading(line)
            }
        }
    }

    /// Other writers (Python's `json.dumps`: spaces, another key order) and the numbers and
    /// values JSON allows or refuses: each read as the decoder reads it (or skipped as it skips it).
    @Test func variedLinesReadAsTheDecoderReadsThem() {
        let train = #"{"ce": 0.7, "epoch": 0.15625, "loss": 0.85, "lr": 0.001, "reg": 0.15000000000000002, "step": 10, "time": 1.5, "type": "train"}"#
        let evaluation = #"{"dice": [0.9, null, 0.3], "epoch": 1.5, "hard_proportion": [0.7, 0.2, 0.1], "iou": [0.8, null, 0.2], "loss": 0.4, "miou": 0.5, "pred_proportion": [0.6, 0.3, 0.1], "step": 100, "target_proportion": [0.78, 0.2, 0.02], "time": 12.25, "type": "eval"}"#
        #expect(readsItself(train) && readsItself(evaluation))
        var lines = [train, evaluation,
                     #"{"type":"train","step":15,"epoch":0.2,"time":1.5,"lr":0.001,"loss":0.85,"ce":0.7,"reg":0.15}"#,
                     "  " + train + " \r", "{}", "[]", "", "not json", #"{"type":"other","step":3}"#, #"{"step":3}"#]
        // Each number of the train line written otherwise.
        let numbers = ["0", "-0", "-0.0", "1", "10", "1e3", "1E+3", "1e-05", "2.5e-320", "1e-400", "1e400", "1.7976931348623157e308",
                       "0.1234567890123456789012345", "123456789012345678901234567890", "9007199254740993", "4.9e-324",
                       "0.30000000000000004", "0e1", "0E-2", "-0e1", "0.0e1", "0.5e1", "1e01", "1.5e+0", "01", "1.", ".5", "-", "+1", "1e", "0x10", "NaN", "Infinity", "true", "null", "\"0.7\"", "[0.7]"]
        for number in numbers {
            lines.append(train.replacingOccurrences(of: #""ce": 0.7"#, with: #""ce": "# + number))
            lines.append(train.replacingOccurrences(of: #""step": 10"#, with: #""step": "# + number))
            lines.append(evaluation.replacingOccurrences(of: #""miou": 0.5"#, with: #""miou": "# + number))
            lines.append(evaluation.replacingOccurrences(of: #"[0.6, 0.3, 0.1]"#, with: "[0.6, \(number), 0.1]"))
            lines.append(evaluation.replacingOccurrences(of: #"[0.8, null, 0.2]"#, with: "[0.8, \(number), 0.2]"))
        }
        let evaluationEdits = [
            (#""miou": 0.5, "#, ""), (#", "type": "eval""#, ""), (#""loss": 0.4, "#, ""),
            (#""iou": [0.8, null, 0.2]"#, #""iou": []"#), (#""iou": [0.8, null, 0.2]"#, #""iou": null"#),
            (#""step": 100"#, #""step": 100, "hd95": 3.5, "nsd": null"#),
            (#""step": 100"#, #""step": 100, "tempered_proportion": [0.5, 0.4, 0.1]"#),
            (#""step": 100"#, #""step": 100, "tempered_proportion": null"#),
            (#""step": 100"#, #""step": 100, "tempered_proportion": [0.5, null, 0.1]"#),
            (#""step": 100"#, #""step": 100, "decomposition": {"ce": 1.2, "entropy": 0.5, "kl": 0.1, "label_entropy": 0.6}"#),
            (#""step": 100"#, #""step": 100, "decomposition": {"ce": 1.2, "entropy": 0.5, "kl": 0.1}"#),
            (#""step": 100"#, #""step": 100, "decomposition": {"ce": 1.2, "entropy": 0.5, "kl": 0.1, "label_entropy": 0.6, "extra": 1}"#),
            (#""step": 100"#, #""step": 100, "decomposition": null"#),
            (#""step": 100"#, #""step": 100, "step": 200"#),
            (#""step": 100"#, #""step": 100, "note": "hello", "flag": true, "nested": {"a": [1, {"b": 2}]}"#),
            (#""step": 100"#, #""step": 100, "note": "tab\tquote\"", "unicode": "é☃"#),
            (#""type": "eval""#, #""type": "ev\u0061l""#), (#""type": "eval""#, #""type": "evaluation""#),
            (#""type": "eval""#, #""type": 3"#), (#""type": "eval"}"#, #""type": "eval"} trailing"#),
            (#""type": "eval"}"#, #""type": "eval",}"#), ("{", "{,"), (":", " : "),
        ]
        for (old, new) in evaluationEdits { lines.append(evaluation.replacingOccurrences(of: old, with: new)) }
        for line in lines { expectSameReading(line) }
    }

    /// Good lines with a byte deleted, replaced or inserted at random: never a reading the
    /// decoder would not give.
    @Test func damagedLinesReadAsTheDecoderReadsThem() {
        let good = [
            #"{"ce":0.7,"epoch":0.15625,"loss":0.85,"lr":0.001,"reg":0.15,"step":10,"time":1.5,"type":"train"}"#,
            #"{"decomposition":{"ce":1.2,"entropy":0.5,"kl":0.1,"label_entropy":0.6},"dice":[0.9,null],"epoch":1.5,"hard_proportion":[0.7,0.3],"iou":[0.8,null],"loss":0.4,"miou":0.8,"pred_proportion":[0.6,0.4],"step":100,"target_proportion":[0.78,0.22],"tempered_proportion":[0.5,0.5],"time":12.25,"type":"eval"}"#,
        ]
        var random = SeededRandom(seed: 15)
        let alphabet = Array(#"0123456789.eE+-,:{}[]"nul "#.utf8)
        for _ in 0 ..< 3000 {
            var bytes = Array(good[Int(random.next() % 2)].utf8)
            let at = Int(random.next() % UInt64(bytes.count))
            let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
            switch random.next() % 3 {
            case 0: bytes.remove(at: at)
            case 1: bytes[at] = byte
            default: bytes.insert(byte, at: at)
            }
            expectSameReading(String(decoding: bytes, as: UTF8.self))
        }
    }
}
