import Foundation
import Testing
import TestSupport

/// The guided lesson driven end to end in a real terminal (tmux) at 80x24 and 120x40: each of
/// the seven steps one key (→) from the last, its evidence on screen, its numbers the CLI
/// twin's (issue 12, "Done when").
@Suite(.enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct LessonTUITests {
    let folder: URL

    init() throws { folder = try makeTemporaryFolder("lesson") }

    func wrapper() -> String {
        "cd \(folder.path) && TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \(MarginalProcess.executable.path) lesson; sleep 60"
    }

    /// Each step's evidence (as on screen after space), with the number checked against the CLI.
    func evidence() throws -> [[String]] {
        // Step 6: Σ|p̂ − hard| at τ = 10, from `marginal softmax --proportions --format json`.
        let result = try MarginalProcess.run(["softmax", "--proportions", "--format", "json"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let tau = try #require(object["tau"] as? [Double]), gap = try #require(object["l1_to_hard"] as? [Double])
        let at10 = try #require(tau.firstIndex { abs($0 - 10) < 1e-9 })
        // Step 4: KL + λ·DB₁'s minimiser, from `marginal curves … --format json`.
        let curves = try MarginalProcess.run(["curves", "--yhat", "0.1", "--lambda", "1", "--penalties", "kl,kl+db1,kl+l1", "--format", "json"],
                                             in: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(curves.standardOutput.utf8)) as? [String: Any])
        let series = try #require(json["series"] as? [[String: Any]])
        let minimum = try #require((series[1]["minimizer"] as? [String: Any])?["p"] as? Double)
        return [
            ["Lesson 1/7", "Dice: df"],
            ["Lesson 2/7", "★ min at  (1.00, 0.00, 0.00)"],
            ["Lesson 3/7", "CE ", "H(ŷ)"],
            ["Lesson 4/7", "KL+λ·DB₁  " + String(format: "%.3f", minimum)],
            ["Lesson 5/7", "↓"],
            ["Lesson 6/7", "Σ|p̂ − hard| at τ   " + String(format: "%.4f", gap[at10])],
            ["Lesson 7/7", "ce_l1"],
        ]
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func theLessonWalksTheSevenClaimsOneKeyAStep(size: (Int, Int)) throws {
        let tmux = Tmux()
        let steps = try evidence()
        try tmux.start(wrapper(), width: size.0, height: size.1)
        defer { tmux.stop() }
        for (index, texts) in steps.enumerated() {
            if index > 0 { try tmux.send("Right") }
            _ = try tmux.waitFor(texts[0], "Q: ", timeout: 20)
            try tmux.send("Space")
            let screen = try tmux.waitFor(all: ["A: "] + texts, timeout: 20)
            // No identity drops a term: where CE is shown, all of its terms are.
            if screen.contains(" = H ") { #expect(screen.contains("H(ŷ)"), "step \(index + 1):\n\(screen)") }
        }
        try tmux.send("Escape")
        _ = try tmux.waitFor("lesson closed")
        try tmux.send("q")
    }
}
