import Foundation
import Testing
import TestSupport

/// Claim 6's CLI twin on a run (issue 12): `marginal softmax --proportions --run R` writes p̂ at
/// each τ against the hard proportion of the run's checkpoint on its validation split, the very
/// proportions `marginal eval --split validation` reports for it.
@Suite struct SoftmaxRunProportionsTests {
    @Test func aRunsProportionsAreItsEvaluations() throws {
        let folder = try makeTemporaryFolder("softmax-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let train = try MarginalProcess.run(["train", "--dataset", "organ", "--loss", "ce", "--steps", "4", "--size", "16",
                                             "--width", "4", "--batch", "4", "--eval-every", "4", "--run", "t"], in: folder)
        #expect(train.status == 0, "\(train.standardError)")
        let softmax = try MarginalProcess.run(["softmax", "--proportions", "--run", "t", "--format", "json"], in: folder)
        #expect(softmax.status == 0, "\(softmax.standardError)")
        let chart = try #require(try JSONSerialization.jsonObject(with: Data(softmax.standardOutput.utf8)) as? [String: Any])
        let eval = try MarginalProcess.run(["eval", "--run", "t", "--split", "validation", "--json"], in: folder)
        let evaluation = try #require(try JSONSerialization.jsonObject(with: Data(eval.standardOutput.utf8)) as? [String: Any])
        let hard = try #require(chart["hard"] as? [Double]), target = try #require(chart["target"] as? [Double])
        let tau = try #require(chart["tau"] as? [Double]), soft = try #require(chart["soft"] as? [[Double]])
        #expect(hard == evaluation["hard_proportion"] as? [Double])
        #expect(target == evaluation["target_proportion"] as? [Double])
        // At τ = 1 p̂ is the evaluation's soft proportion (the network's logits are Float).
        let one = try #require(tau.firstIndex { abs($0 - 1) < 1e-9 })
        let evaluated = try #require(evaluation["pred_proportion"] as? [Double])
        for k in evaluated.indices { #expect(abs(soft[one][k] - evaluated[k]) < 1e-6, "class \(k)") }

        let csv = try MarginalProcess.run(["softmax", "--proportions", "--run", "t", "--format", "csv"], in: folder)
        #expect(csv.status == 0 && csv.standardOutput.hasPrefix("tau,soft:background"))
        for (arguments, says) in [(["--proportions", "--run", "nope"], "--run nope: no such run"), (["--run", "t"], "--run needs --proportions"),
                                  (["--proportions", "--run", "t", "--toy", "street"], "--toy and --run")] {
            let bad = try MarginalProcess.run(["softmax"] + arguments, in: folder)
            #expect(bad.status != 0 && bad.standardError.contains(says), "\(bad.standardError)")
        }
    }
}
