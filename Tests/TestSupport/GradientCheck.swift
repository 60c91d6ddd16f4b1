/// ∂f/∂xᵢ by central differences, (f(x + h eᵢ) − f(x − h eᵢ)) / 2h, in `Double`.
/// The error is O(h² f‴) from truncation plus O(ε f / h) from rounding; h = 1e-5 balances the
/// two at about 1e-10 for the smooth, O(1) functions checked here.
public func centralDifferences(at point: [Double], step: Double = 1e-5, _ f: ([Double]) throws -> Double) rethrows -> [Double] {
    var x = point
    var gradient = [Double](repeating: 0, count: point.count)
    for i in point.indices {
        x[i] = point[i] + step
        let forward = try f(x)
        x[i] = point[i] - step
        let backward = try f(x)
        x[i] = point[i]
        gradient[i] = (forward - backward) / (2 * step)
    }
    return gradient
}
