import Foundation
import Testing
import MarginalApp
import MarginalRuns
import TerminalUI

/// The collapse flag on runs recorded by `marginal train` (issue 12, "Done when"; the commands
/// are in `Recorded/README.md`): Dice on lesions, whose lesion is predicted nowhere from the
/// first evaluation on, is flagged on the list and the monitor; CE on the same data is not.
@Suite struct RecordedCollapseTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Recorded")

    func opened(_ name: String, runs: [RunRecord]) throws -> AppState {
        var state = AppState(width: 120, height: 40)
        try state.open(state: "runs:run=\(name)")
        _ = send(&state, [.runsChanged(runs)])
        return state
    }

    @Test func diceOnLesionsIsFlaggedAndCEIsNot() throws {
        let runs = RunRecord.all(in: Self.folder)
        let dice = try #require(runs.first { $0.name == "lesions-dice" })
        let ce = try #require(runs.first { $0.name == "lesions-ce" })
        // The recorded evaluations themselves: Dice's lesion hard proportion is 0 at each, CE's is not.
        #expect(dice.history.evaluations.count == 6 && dice.history.evaluations.allSatisfy { $0.result.hardProportion[1] == 0 })
        #expect(ce.history.evaluations.allSatisfy { $0.result.hardProportion[1] > 0 })
        #expect(dice.collapse?.classIndex == 1 && dice.collapse?.since == 50)
        #expect(ce.collapse == nil)

        var state = try opened("lesions-dice", runs: runs)
        #expect(screen(state).text().contains("lesion predicted nowhere since step 50"), "on the list")
        _ = send(&state, [.key(.enter)])
        let monitor = screen(state).text()
        #expect(state.runs.mode == .monitor && monitor.contains("class lesion predicted nowhere since step 50"), "\(monitor)")
        #expect(monitor.contains("class lesion predicted nowhere since step 50: collapsed to a vertex (Prop. 1)"))
        // Wide enough, the monitor gives the note whole; at the smallest size, a compact line.
        state.width = 200
        #expect(screen(state).text().contains(try #require(dice.collapseNote)))
        state.width = 60
        #expect(screen(state).text().contains("class lesion predicted nowhere since step 50 (Prop. 1)"))

        var healthy = try opened("lesions-ce", runs: runs)
        _ = send(&healthy, [.key(.enter)])
        #expect(healthy.runs.mode == .monitor && !screen(healthy).text().contains("predicted nowhere"))
    }
}
