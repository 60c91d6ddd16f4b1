import Foundation
import Testing
import MarginalApp
import MarginalCore
import MarginalRuns
import TerminalUI

/// Every screen's adjustable state round-trips through its state string (`marginal tui
/// --state`, the status line; issue 12): opened from a string, the screen holds and shows that
/// state, and writes the same string back.
@Suite struct ScreenStateTests {
    /// Opens `text` on a fresh explorer, checks it writes `text` back and that the status line
    /// shows it (at a width where it fits); the opened state, for the screen's own checks.
    func opened(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> AppState {
        var state = AppState(width: 160, height: 40)
        try state.open(state: text)
        #expect(state.stateString == text, sourceLocation: sourceLocation)
        let status = screen(state).text().split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains(text), "status line: \(status)", sourceLocation: sourceLocation)
        return state
    }

    @Test func curves() throws {
        let state = try opened("curves:yhat=0.2,lambda=2,cursor=0.3,penalties=kl+db1,kl+l1,derivative=on,zoom=1")
        let curves = state.curves
        #expect(state.screen == .curves && curves.target == 0.2 && curves.lambda == 2 && curves.cursor == 0.3)
        #expect(curves.penalties == [.klPlusDB1, .klPlusL1] && curves.seriesSet == nil && curves.derivative && curves.slopeZoom == 1)
        #expect(screen(state).text().contains("target ŷ₁   0.200"))
    }

    @Test func simplex() throws {
        let state = try opened("simplex:penalty=kl+l1,yhat=0.5,0.3,0.2,cursor=0.2,0.2,0.6,lambda=2")
        let simplex = state.simplex
        #expect(state.screen == .simplex && simplex.penalty == .klPlusL1 && simplex.lambda == 2)
        #expect(simplex.target == SimplexPoint(0.5, 0.3, 0.2) && simplex.cursor == SimplexPoint(0.2, 0.2, 0.6))
        #expect(screen(state).text().contains("(0.50, 0.30, 0.20)") && screen(state).text().contains("KL + λ·L1"))
    }

    @Test func marginals() throws {
        let state = try opened("marginals:classes=3,phat=0.5,0.3,0.2,class=2,lambda=2,log=off")
        let marginals = state.marginals
        #expect(state.screen == .marginals && marginals.classes == 3 && marginals.predicted == [0.5, 0.3, 0.2])
        #expect(marginals.selectedClass == 1 && marginals.lambda == 2 && !marginals.logarithmic)
        #expect(marginals.target == Cityscapes.proportions(classes: 3))
        #expect(screen(state).text().contains("Marginals · K = 3") && screen(state).text().contains("▸ p̂ sidewalk  30.00 %"))
    }

    @Test func temperature() throws {
        #expect(try opened("temperature:tau=10").temperature.step == 50)
        let state = try opened("temperature:tau=1.259")
        #expect(state.temperature.step == 5 && abs(state.temperature.tau - 1.259) < 1e-3)
        #expect(screen(state).text().contains("▸ τ   1.259"))
    }

    @Test func toy() throws {
        let state = try opened("toy:scenario=organ-tumour,seed=2,loss=ce_l1,lambda=0.5,tau=4,steps=30")
        let toy = state.toy
        #expect(state.screen == .toy && toy.scenario == .organTumour && toy.seed == 2 && toy.loss == .ceL1)
        #expect(toy.lambda == 0.5 && toy.tau == 4 && toy.run.step == 30)
        #expect(screen(state).text().contains("step 30") && screen(state).text().contains("organ-tumour"))
        // The same toy trained by hand: the same report, to the last digit.
        var byHand = ToyScreen()
        byHand.scenario = .organTumour
        byHand.seed = 2
        byHand.loss = .ceL1
        byHand.lambda = 0.5
        byHand.tau = 4
        byHand.reset()
        for _ in 0 ..< 30 { _ = byHand.handle(.character(" ")) }
        #expect(toy.report == byHand.report)
    }

    @Test func runs() throws {
        let state = try opened("runs:run=ce-1,view=monitor,sort=best,smoothing=0.9,axis=time,log=on")
        let runs = state.runs
        #expect(state.screen == .runs && runs.selectedName == "ce-1" && runs.mode == .monitor && runs.sort == .best)
        #expect(runs.smoothing == 0.9 && runs.axis == .time && runs.logarithmicLoss)
        let monitor = try opened("runs:run=ce-1,view=monitor,step=200,zoom=0.5,1,hidden=1,3")
        #expect(monitor.runs.inspectedStep == 200 && monitor.runs.zoom == 0.5 ... 1 && monitor.runs.hiddenClasses == [0, 2])
        let compare = try opened("runs:view=compare,runs=ce-1,l1-1,class=2")
        #expect(compare.runs.compared == ["ce-1", "l1-1"] && compare.runs.compareClass == 2)
    }

    /// A state reached with keys writes a string that opens the very same state.
    @Test func aStateReachedByKeysRoundTrips() throws {
        var state = AppState(screen: .curves)
        _ = send(&state, [.key(.up), .key(.up)] + keys("]") + [.key(.right)] + keys("dzc"))
        var reopened = AppState()
        try reopened.open(state: state.stateString)
        #expect(reopened.curves.target == state.curves.target && reopened.curves.lambda == state.curves.lambda)
        #expect(reopened.curves.penalties == state.curves.penalties && reopened.curves.slopeZoom == 1)
        #expect(reopened.stateString == state.stateString)

        var toy = AppState(screen: .toy)
        _ = send(&toy, keys("lll") + Array(repeating: .key(.character(" ")), count: 7))
        var reopenedToy = AppState()
        try reopenedToy.open(state: toy.stateString)
        #expect(toy.stateString == "toy:loss=\(toy.toy.loss.rawValue),steps=7")
        #expect(reopenedToy.toy.report == toy.toy.report)

        var marginals = AppState(screen: .marginals)
        _ = send(&marginals, keys("--") + [.key(.down), .key(.right), .key(.right)])
        var reopenedMarginals = AppState()
        try reopenedMarginals.open(state: marginals.stateString)
        #expect(reopenedMarginals.marginals == marginals.marginals)
    }

    /// At the starting values the string is the screen's name alone.
    @Test func aFreshScreenIsItsName() throws {
        for id in ScreenID.allCases {
            var state = AppState()
            try state.open(state: id.rawValue)
            #expect(state.screen == id && state.stateString == id.rawValue)
        }
    }

    @Test func badStringsSayWhatIsWrong() {
        for (text, says) in [("graphs:yhat=0.1", "graphs: no such screen"), ("curves:yhat=2", "yhat=2: a number from 0.01 to 0.99"),
                             ("curves:colour=red", "curves: no field colour"), ("curves:penalties=kl,dice", "penalties=kl,dice"),
                             ("toy:loss=hinge", "loss=hinge: on small-lesion"), ("toy:scenario=street,loss=log_dice1", "loss=log_dice1: on street"),
                             ("simplex:yhat=0.5,0.5", "yhat=0.5,0.5: 3 proportions"), ("curves:0.1", "fields are name=value"),
                             ("runs:runs=a,b", "with view=compare"), ("runs:step=20", "with view=monitor"),
                             ("runs:view=monitor,zoom=0.8,0.2", "zoom=0.8,0.2"), ("runs:hidden=0", "hidden=0"), ("temperature:tau=1000", "tau=1000")] {
            var state = AppState()
            #expect(throws: StateError.self) { try state.open(state: text) }
            do { try state.open(state: text) } catch { #expect(error.description.contains(says), "\(text): \(error)") }
        }
    }
}
