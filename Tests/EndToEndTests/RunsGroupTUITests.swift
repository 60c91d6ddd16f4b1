import Foundation
import Testing
import TestSupport

/// A group of seeds launched from the Runs screen's form, in a real terminal with real trainers.
extension TUITests {
    /// Seeds typed as 1,2 on the form launch `marginal train --seeds 1,2`: the list folds the two
    /// runs into one row once both exist, and its monitor draws their mean.
    @Test func launchAGroupFromTheForm() throws {
        try tmux.start(wrapper("tui --screen runs --runs-dir runs"), width: 140, height: 40)
        defer { tmux.stop() }
        defer {
            // No trainer left behind a failed test (only ours: its command line names the group).
            for name in ["lesions-ce_l1-1", "lesions-ce_l1-2"] {
                guard let pid = runStatus(name)?.pid else { continue }
                let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                if String(decoding: commandLine, as: UTF8.self).contains("--seeds") { kill(pid, SIGKILL) }
            }
        }
        _ = try tmux.waitFor("No runs here yet")
        try tmux.send("n")
        _ = try tmux.waitFor("New run")
        try tmux.send("Down", "Down", "Down", "Down")  // dataset, loss, λ, τ → steps
        try tmux.send("20", "Tab", "10", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")  // steps, eval every; batch, lr, optimizer, engine, processes → seed(s)
        try tmux.send("1,2", "Tab")
        _ = try tmux.waitFor("seed(s)       1,2  (a group", "lesions-ce_l1-1, lesions-ce_l1-2")
        _ = try tmux.waitFor("--seeds 1,2", "--run lesions-ce_l1")  // the command beside the form (wrapped)
        try tmux.send("Enter")
        _ = try tmux.waitFor("last launch: ", "--seeds 1,2", timeout: 10)
        _ = try tmux.waitFor("▸ lesions-ce_l1", "2 seeds: 2 done", timeout: 180)
        #expect(runStatus("lesions-ce_l1-1")?.status == "done" && runStatus("lesions-ce_l1-2")?.status == "done")
        try tmux.send("Enter")
        _ = try tmux.waitFor("group of 2 seeds (1, 2)", timeout: 10)
        try tmux.send("Escape", "g")
        _ = try tmux.waitFor("▾ lesions-ce_l1", "  lesions-ce_l1-2")
        try tmux.send("q")
        #expect(try waitForExit() == "EXIT=0")
    }
}
