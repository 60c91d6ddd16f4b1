/// Whether |actual − expected| ≤ absolute + relative · |expected|; NaN is never close, and two
/// infinities are close only when they have the same sign.
public func isClose<T: BinaryFloatingPoint>(_ actual: T, _ expected: T, relative: T = 1e-9, absolute: T = 0) -> Bool {
    if actual.isNaN || expected.isNaN { return false }
    if actual.isInfinite || expected.isInfinite { return actual == expected }
    return abs(actual - expected) <= absolute + relative * abs(expected)
}

/// The first index where two arrays differ beyond the tolerance, with both values; nil when the
/// shapes match and every element is close. A count mismatch is reported as index −1.
public func firstMismatch<T: BinaryFloatingPoint>(_ actual: [T], _ expected: [T], relative: T = 1e-9,
                                                  absolute: T = 0) -> (index: Int, actual: T, expected: T)? {
    guard actual.count == expected.count else { return (-1, T(actual.count), T(expected.count)) }
    for index in actual.indices where !isClose(actual[index], expected[index], relative: relative, absolute: absolute) {
        return (index, actual[index], expected[index])
    }
    return nil
}
