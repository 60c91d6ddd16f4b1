import Foundation
import Testing
import MarginalRuns
import TestSupport
@testable import MarginalApp

/// The runs monitor prints Prop. 2 of the shown evaluation whole at every supported size
/// (issue 12): every term, and the printed terms add up to the printed total.
@Suite struct RunsMonitorIdentityTests {
    /// At 3 decimals −0.012 + 0.046 + 0.601 = 0.635 ≠ 0.634: the identity needs 4.
    static let terms = (entropy: -0.0123, kl: 0.0456, labelEntropy: 0.6011, ce: 0.6344)

    static func state(width: Int, height: Int, decomposition: Bool) throws -> AppState {
        let folder = try makeTemporaryFolder("runs-identity")
        let run = try RunFixture(runsFolder: folder, name: "organ-ce", loss: "ce", steps: 40)
        for step in [10, 20] {
            try run.append(RunFixture.trainLine(step: step, time: Double(step), loss: 0.7, ce: 0.7))
            try run.append(RunFixture.evalLine(step: step, time: Double(step), iou: [0.9, 0.5, 0.1], soft: [0.75, 0.2, 0.05],
                                               hard: [0.79, 0.19, 0.02], target: [0.8, 0.185, 0.015],
                                               decomposition: decomposition ? terms : nil))
        }
        try run.status("done", step: 20)
        var state = AppState(screen: .runs, width: width, height: height)
        state.runs.runsFolder = "runs"
        send(&state, [.runsChanged(RunRecord.all(in: folder))])
        state.runs.selectedName = "organ-ce"
        send(&state, [.key(.enter)])
        return state
    }

    @Test(arguments: [(60, 16), (80, 24), (120, 40)])
    func monitorShowsPropositionTwoWhole(size: (Int, Int)) throws {
        let state = try Self.state(width: size.0, height: size.1, decomposition: true)
        #expect(state.runs.mode == .monitor)
        IdentityTests.checkWhole(state, "monitor at \(size.0)x\(size.1)")
        let printed = try #require(IdentityTests.printedPropositionTwo(screen(state).lines()))
        #expect(printed.total == "0.6344" && printed.terms.map(\.1) == ["−0.0123", "0.0456", "0.6011"], "\(printed)")
    }

    /// A run written before the eval line carried the terms still reads, without the identity.
    @Test func oldEvaluationsReadWithoutTheIdentity() throws {
        let state = try Self.state(width: 120, height: 40, decomposition: false)
        let text = screen(state).text()
        #expect(text.contains("latest evaluation · step 20") && !text.contains("CE 0."))
    }
}
