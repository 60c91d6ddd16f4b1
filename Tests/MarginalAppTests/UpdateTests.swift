import Foundation
import Testing
import MarginalApp
import MarginalCore
import TerminalUI

/// Key sequences through the pure `update`, checked on the state and on the rendered screen.
@Suite struct UpdateTests {
    @Test func targetUpTwiceMovesTheReadoutByTwoSteps() {
        var state = AppState(screen: .curves, width: 80, height: 24)
        #expect(screen(state).text().contains("▸ target ŷ₁   0.100"))
        send(&state, [.key(.up), .key(.up)])
        #expect(state.curves.target == 0.2)
        #expect(screen(state).text().contains("▸ target ŷ₁   0.200"))
        send(&state, [.key(.shiftDown), .key(.character("J"))])
        #expect(state.curves.target == 0.18)
        // KL's minimum follows ŷ₁.
        #expect(screen(state).text().contains("■ KL   0.180"))
    }

    @Test func bracketsPickTheParameterAndArrowsChangeIt() {
        var state = AppState(screen: .curves)
        send(&state, keys("]") + [.key(.right), .key(.character("l"))])
        #expect(state.curves.selected == .lambda && state.curves.lambda == 2)
        send(&state, keys("]") + [.key(.left)])
        #expect(state.curves.selected == .cursor && state.curves.cursor == 0.45)
        send(&state, keys("[["))
        #expect(state.curves.selected == .target)
        send(&state, keys("dc"))
        #expect(state.curves.derivative && state.curves.seriesSet == .composites)
        #expect(screen(state).text().contains("slopes"))
        send(&state, keys("r"))
        #expect(state.curves.target == 0.1 && !state.curves.derivative && state.message == "reset")
    }

    @Test func targetStaysInsideItsRange() {
        var state = AppState(screen: .curves)
        send(&state, Array(repeating: .key(.down), count: 10))
        #expect(state.curves.target == 0.01)
        send(&state, Array(repeating: .key(.up), count: 30))
        #expect(state.curves.target == 0.99)
    }

    @Test func clickingThePlotMovesTheCursor() {
        var state = AppState(screen: .curves, width: 80, height: 24)
        send(&state, [.mouse(MouseEvent(.press, x: 30, y: 10))])
        #expect(state.curves.selected == .cursor)
        let first = state.curves.cursor
        send(&state, [.mouse(MouseEvent(.drag, x: 40, y: 10))])
        #expect(state.curves.cursor > first)
    }

    /// Proposition 1 on screen: the ★ of Dice's bias sits on the vertex of the largest ŷₖ and
    /// jumps to another vertex when ŷ crosses the boundary where the largest class changes.
    @Test func diceBiasMinimiserMarkerJumpsToTheVertexOfTheLargestTarget() throws {
        var state = AppState(screen: .simplex, width: 80, height: 24)
        func star() throws -> (Int, Int) {
            let buffer = screen(state)
            // The map is left of the panel (whose text mentions ★ too).
            let cells = (0 ..< buffer.height).flatMap { y in (0 ..< 48).map { (x: $0, y: y) } }.filter { buffer[$0.x, $0.y].symbol == "★" }
            #expect(cells.count == 1)
            let cell = try #require(cells.first)
            return (cell.x, cell.y)
        }
        let atClass1 = try star()
        #expect(screen(state).text().contains("class 1 ★"))
        // ŷ = (0.6, 0.3, 0.1) → (0.4, 0.5, 0.1): class 2 becomes the largest.
        send(&state, Array(repeating: .key(.right), count: 4))
        #expect(state.simplex.target == SimplexPoint(0.4, 0.5, 0.1))
        let atClass2 = try star()
        #expect(atClass2.1 == atClass1.1 && atClass2.0 > atClass1.0 + 20)
        #expect(screen(state).text().contains("★ class 2") || screen(state).text().contains("★ min at  (0.00, 1.00, 0.00)"))
        // Up towards class 3 until it is the largest.
        send(&state, Array(repeating: .key(.up), count: 8))
        #expect(state.simplex.target.z > max(state.simplex.target.x, state.simplex.target.y))
        let atClass3 = try star()
        #expect(atClass3.1 < atClass1.1 - 10)
        #expect(screen(state).text().contains("class 3, the largest"))
    }

    @Test func simplexKeysMoveTheCursorAndChangeThePenalty() {
        var state = AppState(screen: .simplex)
        send(&state, keys("]") + [.key(.left)])
        #expect(state.simplex.selected == .cursor)
        #expect(abs(state.simplex.cursor.sum() - 1) < 1e-12 && state.simplex.cursor.x > 1.0 / 3)
        send(&state, keys("pm"))
        #expect(state.simplex.penalty == .kl)
        #expect(abs(state.simplex.cursor.x - 0.6) < 1e-3 && abs(state.simplex.cursor.y - 0.3) < 1e-3)
    }

    @Test func marginalsEditOneClassAndRenormaliseTheRest() {
        var state = AppState(screen: .marginals, width: 80, height: 24)
        send(&state, [.key(.right), .key(.right)])
        let p = state.marginals.predicted
        #expect(abs(p[0] - (1.0 / 19 + 0.02)) < 1e-3)
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
        send(&state, [.key(.down)] + keys("y"))
        #expect(state.marginals.selectedClass == 1 && state.marginals.predicted == Cityscapes.proportions())
        send(&state, keys("--"))
        #expect(state.marginals.classes == 17 && state.marginals.target.count == 17)
        send(&state, keys("m"))
        #expect(state.marginals.predicted == SimplexPenalty.klPlusDB.minimiser(target: Cityscapes.proportions(classes: 17), lambda: 1))
    }

    @Test func temperatureStepsAndThePapersValue() {
        var state = AppState(screen: .temperature)
        send(&state, keys("t"))
        #expect(state.temperature.tau == 10)
        send(&state, [.key(.down)])
        #expect(abs(state.temperature.tau - 10 / pow(10, 0.1)) < 1e-12)
        #expect(screen(state).text().contains("τ"))
    }

    @Test func toyStepsPlaysAndCompares() {
        var state = AppState(screen: .toy, width: 100, height: 30)
        #expect(state.tickInterval == nil)
        send(&state, keys(" "))
        #expect(state.toy.report.step == 1)
        send(&state, keys("p"))
        #expect(state.tickInterval != nil)
        send(&state, [.tick, .tick])
        #expect(state.toy.report.step == 3)
        send(&state, keys("p+") + [.tick])
        #expect(state.toy.report.step == 3 && state.toy.speed == 2)
        send(&state, keys("l"))
        #expect(state.toy.loss == .focal && state.toy.report.step == 0)
        send(&state, keys("s"))
        #expect(state.toy.seed == 2)
        send(&state, [.key(.right)])
        #expect(state.toy.scenario == .mediumLesion)
    }

    @Test func globalKeysSwitchHelpQuitAndExport() throws {
        var state = AppState(screen: .curves, width: 80, height: 24)
        send(&state, keys("3"))
        #expect(state.screen == .marginals)
        send(&state, [.key(.tab)])
        #expect(state.screen == .temperature)
        send(&state, [.key(.backTab), .key(.backTab)])
        #expect(state.screen == .simplex)
        send(&state, [.mouse(MouseEvent(.press, x: 12, y: 0))])
        #expect(state.screen == .curves)
        #expect(send(&state, keys("q")) == [.quit])
        #expect(send(&state, [.key(.control("c"))]) == [.quit])
        let effects = send(&state, keys("e"))
        guard case .export(let request) = try #require(effects.first) else { Issue.record("no export"); return }
        #expect(request.name == "curves-yhat0.1-lambda1")
        #expect(request.table.columns.map(\.name) == ["p", "db1", "kl", "l1"])
        send(&state, [.exported(.success(["/somewhere/exports/curves-yhat0.1-lambda1.svg"]))])
        #expect(state.message.contains("curves-yhat0.1-lambda1.svg"))
        #expect(screen(state).text().contains("curves-yhat0.1-lambda1.svg"))
        send(&state, [.exported(.failure(ExportFailure("disk full")))])
        #expect(state.message == "export failed: disk full")
        send(&state, [.resize(width: 120, height: 40)])
        #expect(state.width == 120 && screen(state).width == 120)
    }

    /// The explorer's screens; the runs screen exports from its monitor and comparison (RunsScreenTests).
    @Test(arguments: ScreenID.allCases.filter { $0 != .runs })
    func everyScreenExportsSVGAndCSV(id: ScreenID) throws {
        let state = AppState(screen: id)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marginal-export-\(UUID().uuidString)")
        let request = try #require(state.exportRequest())
        let message = writeExport(request, into: folder)
        guard case .exported(.success(let paths)) = message else { Issue.record("\(message)"); return }
        #expect(paths.count == 2 + request.documents.count + 2 * request.companions.count && paths[0].hasSuffix(".svg") && paths[1].hasSuffix(".csv"))
        // The Temperature screen's export holds both its charts: Fig. 5 and p̂ against the hard proportion.
        if id == .temperature { #expect(paths.contains { $0.hasSuffix("-proportions.svg") } && paths.contains { $0.hasSuffix("-proportions.csv") }) }
        let svg = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
        // A second export of the same view does not overwrite the first.
        guard case .exported(.success(let again)) = writeExport(try #require(state.exportRequest()), into: folder) else { Issue.record("second"); return }
        #expect(again[0].hasSuffix("-2.svg"))
    }
}
