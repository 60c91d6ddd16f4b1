import Foundation
import Testing
import TestSupport

/// `marginal eval --decompose` and `--save-logits` on a run trained for a few steps (issue 12):
/// the saved logits, given to `marginal decompose`, give the very report `eval --decompose`
/// prints, and the run's last eval line carries the same Prop. 2 terms.
@Suite struct EvalDecomposeCommandTests {
    @Test func savedLogitsDecomposeToWhatEvalPrints() throws {
        let folder = try makeTemporaryFolder("eval-decompose")
        defer { try? FileManager.default.removeItem(at: folder) }
        let train = try MarginalProcess.run(["train", "--dataset", "organ", "--loss", "ce_l1", "--steps", "4", "--size", "16",
                                             "--width", "4", "--batch", "4", "--eval-every", "4", "--run", "t"], in: folder)
        #expect(train.status == 0, "\(train.standardError)")
        for format in [[], ["--json"]] {
            let saved = "logits" + format.joined()
            let eval = try MarginalProcess.run(["eval", "--run", "t", "--decompose", "--save-logits", saved] + format, in: folder)
            #expect(eval.status == 0, "\(eval.standardError)")
            let decompose = try MarginalProcess.run(["decompose", "--logits", "\(saved)/logits.npy", "--labels", "\(saved)/labels.npy",
                                                     "--tau", "10"] + format, in: folder)
            #expect(decompose.status == 0, "\(decompose.standardError)")
            // The table has one heading line (run, split, step) before decompose's report.
            let printed = format.isEmpty ? eval.standardOutput.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
                : eval.standardOutput
            #expect(printed.trimmingCharacters(in: .newlines) == decompose.standardOutput.trimmingCharacters(in: .newlines))
            #expect(decompose.standardOutput.contains("entropy"))
        }
        // The trainer's last eval line (at the checkpoint's step, on the same split) holds the same terms.
        let report = try MarginalProcess.run(["eval", "--run", "t", "--decompose", "--json"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any])
        let terms = try #require(object["decomposition"] as? [String: Double])
        let metrics = try String(contentsOf: folder.appendingPathComponent("runs/t/metrics.jsonl"), encoding: .utf8)
        let last = try #require(metrics.split(separator: "\n").last { $0.contains(#""type":"eval""#) })
        let line = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let written = try #require(line["decomposition"] as? [String: Double])
        for key in ["entropy", "kl", "label_entropy", "ce"] {
            #expect(abs((written[key] ?? .nan) - (terms[key] ?? .nan)) < 1e-12, "\(key): \(written) vs \(terms)")
        }
        let bad = try MarginalProcess.run(["eval", "--run", "t", "--save-logits", "missing/out"], in: folder)
        #expect(bad.status == 2 && bad.standardError.contains("--save-logits"))
    }
}
