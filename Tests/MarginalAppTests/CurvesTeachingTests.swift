import Testing
@testable import MarginalApp
import MarginalCore
import MarginalFigure
import MarginalPlot
import TerminalUI

/// The Curves screen shows claim 5 (Fig. 2's caption: L1's slope near p̂₁ = 0 is finite, KL's is
/// not) and says nothing the curves contradict (issue 12, items 2 and 5).
@Suite struct CurvesTeachingTests {
    func slopes(target: Double = 0.1, lambda: Double = 1, zoom: Int = 0) -> CurvesScreen {
        var screen = CurvesScreen()
        screen.target = target
        screen.lambda = lambda
        _ = screen.handle(.character("d"))
        for _ in 0 ..< max(0, zoom) { _ = screen.handle(.character("z")) }
        return screen
    }

    @Test(arguments: [0.05, 0.1, 0.3, 0.5, 0.9])
    func theSlopesRangeIsSymmetricHoldsTheSlopesNearTheTargetAndMarksBothEndsCut(target: Double) throws {
        let screen = slopes(target: target)
        let chart = screen.figure
        let range = try #require(chart.yAxis.range)
        #expect(range.lowerBound == -range.upperBound)
        // The finite slopes around ŷ₁ (DB₁'s 1/(p̂₁ + ŷ₁) at p̂₁ = ŷ₁/2 and halfway to 1) are inside.
        for p in [target / 2, (1 + target) / 2] {
            for penalty in BinaryPenalty.raw {
                #expect(range.contains(penalty.derivative(predicted: p, target: target)), "\(penalty) at \(p)")
            }
        }
        // KL runs to −∞ at p̂₁ = 0 and to +∞ at 1: both cuts carry an arrow in KL's colour.
        let kl = PenaltyCurves.color(.kl)
        let arrows = chart.markers.filter { $0.fill == kl && ($0.shape == .arrowDown || $0.shape == .arrowUp) }
        #expect(arrows.contains { $0.shape == .arrowDown && $0.x < target && $0.y == range.lowerBound })
        #expect(arrows.contains { $0.shape == .arrowUp && $0.x > target && $0.y == range.upperBound })
        // L1's slope is ±1 everywhere: never cut.
        #expect(!chart.markers.contains { $0.fill == PenaltyCurves.color(.l1) && $0.shape != .ring })
    }

    @Test func zoomHalvesTheRangeAndTheExportIsTheCLIsWithThatRange() throws {
        let automatic = try #require(slopes().figure.yAxis.range)
        let zoomed = slopes(zoom: 1)
        let range = try #require(zoomed.figure.yAxis.range)
        #expect(range.upperBound == automatic.upperBound / 2)
        let export = try #require(zoomed.export())
        let cli = PenaltyCurves(target: 0.1, lambda: 1, penalties: BinaryPenalty.raw, derivative: true,
                                yRange: (range.lowerBound, range.upperBound))
        #expect(export.figure == cli.figure())
        var screen = zoomed
        _ = screen.handle(.character("Z"))
        #expect(screen.figure.yAxis.range == automatic)
    }

    @Test func theSlopesShowKLsFallOnScreenAt80x24() {
        var state = AppState(screen: .curves, width: 80, height: 24)
        state.curves = slopes()
        let lines = screen(state).lines()
        // The arrow of the cut at the bottom left, and the axis reaching below −5.
        #expect(lines.contains { $0.contains("↓") })
        #expect(lines.contains { $0.hasPrefix("−20┤") || $0.hasPrefix("−10┤") })
        #expect(screen(state).text().contains("@p̂₁"))
    }

    @Test func minimaAreRingsNotTheDiamondOfKLPlusLambdaDB1() {
        var screen = CurvesScreen()
        screen.seriesSet = .all
        let minima = screen.figure.markers.filter { $0.shape != .arrowUp && $0.shape != .arrowDown }
        #expect(!minima.isEmpty && minima.allSatisfy { $0.shape == .ring })
        #expect(Theme(colors: .extended, unicode: true).marker(PenaltyCurves.symbol(.klPlusDB1)) == "◆")
        #expect(LineChartView.symbol(.ring, theme: Theme(colors: .extended, unicode: true)) != "◆")
    }

    @Test func atLambdaZeroTheNoteSaysTheCompositesAreKLAlone() {
        var screen = CurvesScreen()
        screen.seriesSet = .composites
        screen.lambda = 0
        #expect(!screen.note.contains("<"))
        #expect(screen.note.contains("λ = 0"))
        screen.lambda = 1
        #expect(screen.note.contains("0.010 < ŷ₁"))
    }
}

/// Proposition 1 on the Simplex screen, said truly at a tie (issue 12, item 5).
@Suite struct SimplexTeachingTests {
    @Test func aTieOfTheLargestTargetsIsSaidAsATieNamingTheMarkedVertex() {
        var state = AppState(screen: .simplex, width: 120, height: 40)
        state.simplex.target = SimplexPoint(0.45, 0.45, 0.10)
        let text = screen(state).lines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(!text.contains("class 1, the largest"))
        #expect(text.contains("tie"))
        #expect(text.contains("★ marks class"))
        #expect(diceBiasMinimisingVertices([0.45, 0.45, 0.10]) == [0, 1])
        state.simplex.target = SimplexPoint(0.6, 0.3, 0.1)
        #expect(screen(state).text().contains("class 1, the largest"))
    }
}
