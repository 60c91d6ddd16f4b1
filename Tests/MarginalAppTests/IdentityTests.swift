import Foundation
import Testing
@testable import MarginalApp
import MarginalCore
import TerminalUI

/// Every identity a screen prints is whole at every supported size: each term is there, and the
/// printed terms add up to the printed total at the printed precision (issue 12, item 1).
@Suite struct IdentityTests {
    static let sizes = [(60, 16), (80, 24), (120, 40), (200, 60)]

    /// The printed Prop. 2 of a screen: "CE x = H a + KL b + H(ŷ) c", gathered from the line that
    /// starts it and its continuation lines (indented, starting with "+").
    static func printedPropositionTwo(_ lines: [String]) -> (total: String, terms: [(String, String)])? {
        let pattern = "CE [−0-9.]+ ="
        guard let start = lines.firstIndex(where: { $0.range(of: pattern, options: .regularExpression) != nil }),
              let range = lines[start].range(of: pattern, options: .regularExpression) else { return nil }
        var text = String(lines[start][range.lowerBound...])
        // Continuation lines start two columns in, in the identity's own column.
        let column = lines[start].distance(from: lines[start].startIndex, to: range.lowerBound)
        var next = start + 1
        while next < lines.count {
            let tail = lines[next].count > column ? String(lines[next].dropFirst(column)) : ""
            guard tail.hasPrefix("  + ") || tail.hasPrefix("  H ") else { break }
            text += " " + tail.trimmingCharacters(in: .whitespaces)
            next += 1
        }
        // Cut at the end of the identity: after the H(ŷ) term's number.
        let words = text.split(separator: " ").map(String.init)
        guard words.count >= 3, words[0] == "CE", words[2] == "=" else { return nil }
        var terms: [(String, String)] = []
        var index = 3
        while index + 1 < words.count {
            let name = words[index], value = words[index + 1]
            terms.append((name, value))
            index += 2
            guard index < words.count, words[index] == "+" else { break }
            index += 1
        }
        return (words[1], terms)
    }

    /// A printed number in units of its last digit: "−0.062" → −62 (with its decimals).
    static func units(_ text: String) -> (value: Int, digits: Int)? {
        let plain = text.replacingOccurrences(of: "−", with: "-")
        guard let dot = plain.firstIndex(of: ".") else { return Int(plain).map { ($0, 0) } }
        let digits = plain.distance(from: dot, to: plain.endIndex) - 1
        return Int(plain.replacingOccurrences(of: ".", with: "")).map { ($0, digits) }
    }

    static func checkWhole(_ state: AppState, _ what: String) {
        let lines = screen(state).lines()
        guard let printed = printedPropositionTwo(lines) else {
            Issue.record(Comment(rawValue: "\(what): no CE = H + KL + H(ŷ) on screen:\n" + lines.joined(separator: "\n")))
            return
        }
        #expect(printed.terms.map(\.0) == ["H", "KL", "H(ŷ)"], "\(what): terms \(printed.terms)")
        guard let total = units(printed.total) else { Issue.record("\(what): total \(printed.total)"); return }
        let values = printed.terms.compactMap { units($0.1) }
        #expect(values.count == 3 && values.allSatisfy { $0.digits == total.digits }, "\(what): \(printed)")
        #expect(values.map(\.value).reduce(0, +) == total.value,
                "\(what): \(printed.terms) do not add up to \(printed.total)")
    }

    @Test func toyPropositionTwoIsWholeAndAddsUpAtEverySize() {
        var prepared: [(String, ToyScreen)] = []
        var fresh = ToyScreen()
        prepared.append(("step 0", fresh))
        for _ in 0 ..< 3 { _ = fresh.handle(.character(" ")) }
        prepared.append(("step 3", fresh))
        for _ in 0 ..< 40 { _ = fresh.handle(.character(" ")) }
        prepared.append(("step 43", fresh))
        var composite = ToyScreen()
        while composite.loss != .ceL1 { _ = composite.handle(.character("l")) }
        for _ in 0 ..< 20 { _ = composite.handle(.character(" ")) }
        prepared.append(("ce_l1 step 20", composite))
        var street = ToyScreen()
        for _ in 0 ..< 4 { _ = street.handle(.right) }
        for _ in 0 ..< 10 { _ = street.handle(.character(" ")) }
        prepared.append(("street step 10", street))
        for (name, toy) in prepared {
            for (width, height) in Self.sizes {
                var state = AppState(screen: .toy, width: width, height: height)
                state.toy = toy
                Self.checkWhole(state, "\(name) at \(width)x\(height)")
                let text = screen(state).text()
                #expect(text.contains("H = H(F|K)"), "\(name) at \(width)x\(height): H is not explained")
            }
        }
    }

    @Test func identityWrapsTermByTermAndTakesTheDecimalsItsSumNeeds() {
        // 0.0474 + 0.0004 + 0.0004 = 0.0482: at 3 decimals 0.047 + 0.000 + 0.000 ≠ 0.048.
        let identity = Identity(total: ("CE", 0.0482), terms: [("H", 0.0474), ("KL", 0.0004), ("H(ŷ)", 0.0004)])
        #expect(identity.digits == 4)
        #expect(identity.lines(width: 80) == ["CE 0.0482 = H 0.0474 + KL 0.0004 + H(ŷ) 0.0004"])
        #expect(identity.lines(width: 30) == ["CE 0.0482 = H 0.0474", "  + KL 0.0004 + H(ŷ) 0.0004"])
        #expect(identity.lines(width: 12) == ["CE 0.0482 =", "  H 0.0474", "  + KL 0.0004", "  + H(ŷ) 0.0004"])
    }
}

/// The Toy screen's comparison of every loss (issue 12, item 5).
@Suite struct ToyComparisonScreenTests {
    @Test func theExplorersComparisonTrainsAsManyStepsAsTheCLIs() {
        #expect(ToyScreen.comparisonSteps == ToyComparison.defaultSteps)
    }

    @Test(arguments: [60, 80, 120, 200])
    func everyColumnOfTheStreetComparisonFits(width: Int) throws {
        var toy = ToyScreen()
        while toy.scenario != .street { _ = toy.handle(.right) }
        let comparison = try ToyComparison(image: toy.run.image, steps: 1, lambda: nil, temperature: 10, optimizer: .adam, learningRate: 0.05)
        let (iou, hard) = toy.comparisonTables(comparison, width: width)
        let classes = toy.scenario.classNames.count
        #expect(iou.header.count == classes + 2 && hard.header.count == classes + 1)
        for table in [iou, hard] {
            let widths = table.columnWidths()
            #expect(widths.reduce(0, +) + table.spacing * (widths.count - 1) <= width, "\(table.header) at \(width)")
        }
        // Where the width allows, the class names are whole (no "buildi").
        if width >= 120 { #expect(hard.header.contains("building") && hard.header.contains("vegetation")) }
    }
}
