import Foundation

/// An identity of the paper as the screens print it, `total = term + term + …` (Prop. 2:
/// CE = H + KL + H(ŷ)), never cut: it is wrapped term by term onto as many lines as the width
/// needs, and printed with as many decimals (3 to 6) as it takes for the printed terms to add up
/// exactly to the printed total. The numbers come from MarginalCore; this only writes them.
struct Identity: Sendable, Equatable {
    var total: (name: String, value: Double)
    var terms: [(name: String, value: Double)]

    static func == (a: Identity, b: Identity) -> Bool {
        a.total == b.total && a.terms.map(\.name) == b.terms.map(\.name) && a.terms.map(\.value) == b.terms.map(\.value)
    }

    /// Prop. 2 (Eq. 4 with the constant H(ŷ) written out): CE = H(F|K) + KL(ŷ‖p̂) + H(ŷ), as the
    /// Toy screen and the runs monitor print it.
    static func propositionTwo(crossEntropy: Double, entropy: Double, kl: Double, labelEntropy: Double) -> Identity {
        Identity(total: ("CE", crossEntropy), terms: [("H", entropy), ("KL", kl), ("H(ŷ)", labelEntropy)])
    }

    /// The fewest decimals, from 3 to 6, at which the rounded terms add up to the rounded total.
    var digits: Int {
        // Read back from the printed text itself, so that the check is of what is printed.
        func units(_ x: Double, _ digits: Int) -> Int? {
            Int(fixed(x, digits).replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ".", with: ""))
        }
        for digits in 3 ... 6 {
            let printed = terms.map { units($0.value, digits) }
            if let total = units(total.value, digits), printed.allSatisfy({ $0 != nil }),
               printed.reduce(0, { $0 + $1! }) == total { return digits }
        }
        return 6
    }

    /// The identity in lines at most `width` columns wide: whole on one line if it fits, else
    /// broken before a "+", continuation lines indented two columns.
    func lines(width: Int) -> [String] {
        let digits = self.digits
        let first = "\(total.name) \(fixed(total.value, digits)) ="
        let pieces = terms.enumerated().map { index, term in
            (index == 0 ? "" : "+ ") + "\(term.name) \(fixed(term.value, digits))"
        }
        var lines: [String] = []
        var current = first
        for piece in pieces {
            if (current + " " + piece).count <= width {
                current += " " + piece
            } else {
                lines.append(current)
                current = "  " + piece
            }
        }
        lines.append(current)
        return lines
    }
}
