import Foundation
import Testing
import MarginalFigure
import TestSupport

/// `fixedDecimals` writes what `String(format: "%.*f")` writes, digit for digit: on tick-like
/// values (multiples of 1-2-5 steps, where it takes its short path), on random values of every
/// magnitude and sign, on half-way cases and on values that round to a negative zero.
@Suite struct FixedDecimalsTests {
    func expectSameAsPrintf(_ value: Double, _ decimals: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = String(format: "%.\(decimals)f", value)
        #expect(fixedDecimals(value, decimals) == expected, "\(value) with \(decimals) decimals", sourceLocation: sourceLocation)
    }

    @Test func tickValuesAsPrintfWritesThem() {
        for step in [1e-6, 2e-5, 5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 1e4] {
            let decimals = max(0, min(10, Int(ceil(-log10(step) - 1e-9))))
            for k in -60 ... 60 { expectSameAsPrintf(Double(k) * step, decimals) }
        }
    }

    @Test func randomValuesHalfWaysAndNegativeZeros() {
        var generator = SeededGenerator(seed: 17)
        for _ in 0 ..< 20_000 {
            let magnitude = pow(10, Double.random(in: -8 ... 17, using: &generator))
            let value = Double.random(in: -1 ... 1, using: &generator) * magnitude
            expectSameAsPrintf(value, Int.random(in: 0 ... 16, using: &generator))
        }
        for value in [0.125, 0.375, 2.5, -2.5, 0.5, 1.5, 1.005, 2.675, 1e15 + 0.5, 9.5e15, 1e22] {
            for decimals in 0 ... 4 { expectSameAsPrintf(value, decimals) }
        }
        for value in [-0.0, 0.0, -0.0004, -1e-12, -0.4, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.greatestFiniteMagnitude] {
            for decimals in [0, 1, 2, 3, 6] { expectSameAsPrintf(value, decimals) }
        }
    }
}
