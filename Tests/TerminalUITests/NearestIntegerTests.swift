import Testing
@testable import TerminalUI

/// The chart's rounding is `Int(rounded())` exactly: halves away from zero, either sign, near
/// the edges where doubles stop having fractions.
@Suite struct NearestIntegerTests {
    @Test func equalsRoundedEverywhere() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, 0.49999999999999994, -0.49999999999999994, 1e15 + 0.5,
                                4_503_599_627_370_495.5, 4_503_599_627_370_496, -4_503_599_627_370_497, 9e18, -9e18,
                                Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude]
        for k in -2000 ... 2000 { values += [Double(k) / 4, Double(k) / 4 + 1e-12, Double(k) / 4 - 1e-12, Double(k) * 0.1] }
        for value in values { #expect(value.nearestInteger == Int(value.rounded()), "\(value)") }
    }
}
