import MarginalRuns
import TerminalUI

extension RunsScreen {
    /// Prop. 2 on the evaluation's own logits (the eval line's `decomposition`, computed by
    /// MarginalCore over the split); nil for an evaluation written before it was recorded.
    static func propositionTwo(_ result: EvaluationResult) -> Identity? {
        result.crossEntropyTerms.map {
            Identity.propositionTwo(crossEntropy: $0.crossEntropy, entropy: $0.entropy, kl: $0.kl, labelEntropy: $0.labelEntropy)
        }
    }

    /// The identity whole in the monitor's panel, wrapped to its width (never cut: it is left out
    /// only when the panel has not the rows for all of it), and, where there are rows to spare
    /// beyond `keeping`, what H is.
    func renderPropositionTwo(_ result: EvaluationResult, keeping: Int, panel: inout Panel, into buffer: inout Buffer) {
        guard let identity = Self.propositionTwo(result) else { return }
        let lines = identity.lines(width: panel.area.width)
        guard panel.remaining >= lines.count else { return }
        for line in lines { panel.line(line, into: &buffer) }
        let note = wrap("H = H(F|K), the matching term (Eq. 3), can be < 0", width: panel.area.width)
        if panel.remaining - note.count >= keeping { for line in note { panel.line(line, .dim, into: &buffer) } }
    }
}
