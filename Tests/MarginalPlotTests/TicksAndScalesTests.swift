import Foundation
import Testing
@testable import MarginalFigure
@testable import MarginalPlot

@Suite struct TicksAndScalesTests {
    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(niceStep(span: 1, count: 5) == 0.2)
        #expect(niceStep(span: 10, count: 5) == 2)
        #expect(niceStep(span: 8.2, count: 6) == 1)
        #expect(niceStep(span: 0.03, count: 6) == 0.005)
        #expect(niceStep(span: 700, count: 5) == 100)
        #expect(niceStep(span: 3.5, count: 1) == 5)
    }

    @Test func linearTicksAreLabelledWithTheDecimalsOfTheStep() {
        let ticks = linearTicks(0 ... 1, count: 5)
        #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        let signed = linearTicks(-2.7 ... 6.3, count: 8)
        #expect(signed.map(\.label) == ["−2", "−1", "0", "1", "2", "3", "4", "5", "6"])
        // 0.1 + 0.2 must print as 0.3
        #expect(linearTicks(0.05 ... 0.35, count: 3).map(\.label) == ["0.1", "0.2", "0.3"])
        #expect(linearTicks(-0.02 ... 1.02, count: 10).first?.label == "0.0")
    }

    @Test func extremeMagnitudesUsePowersOfTen() {
        #expect(formatTickValue(2_000_000, step: 1_000_000) == "2×10⁶")
        #expect(formatTickValue(1e-6, step: 1e-6) == "10⁻⁶")
        #expect(formatTickValue(-0.0, step: 0.1) == "0.0")
    }

    @Test func logarithmicTicksAtDecades() {
        #expect(logarithmicTicks(0.001 ... 1).map(\.label) == ["0.001", "0.01", "0.1", "1"])
        #expect(logarithmicTicks(1 ... 100).map(\.label) == ["1", "2", "5", "10", "20", "50", "100"])
        #expect(logarithmicTicks(1e-12 ... 1).map(\.label).first == "10⁻¹²")
        #expect(logarithmicTicks(1e-12 ... 1).count == 7)  // every other decade past eight
    }

    @Test func scalesMapAndInvert() {
        let linear = Scale(domain: -1 ... 3, start: 400, end: 0)
        #expect(linear.map(-1) == 400)
        #expect(linear.map(3) == 0)
        #expect(linear.map(1) == 200)
        #expect(abs(linear.invert(100) - 2) < 1e-12)
        let log = Scale(kind: .logarithmic, domain: 0.001 ... 1, start: 0, end: 300)
        #expect(abs(log.map(0.01) - 100) < 1e-9)
        #expect(abs(log.invert(200) - 0.1) < 1e-12)
        #expect(!log.canPlace(0))
        #expect(!linear.canPlace(.infinity))
    }

    @Test func segmentsAreClippedToTheRectangle() throws {
        let rect = Rect(x: 0, y: 0, width: 10, height: 10)
        let (a, b) = try #require(rect.clip(Point(-5, 5), Point(15, 5)))
        #expect(a == Point(0, 5) && b == Point(10, 5))
        #expect(rect.clip(Point(-5, -1), Point(15, -1)) == nil)
        #expect(rect.clip(Point(20, 20), Point(30, 30)) == nil)
    }
}
