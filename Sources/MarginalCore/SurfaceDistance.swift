/// Boundary metrics of binary 2-D masks, with MONAI's definitions (`compute_hausdorff_distance`
/// with percentile 95, `compute_surface_dice`), pixel spacing 1:
/// - boundary of a mask = mask XOR its binary erosion (scipy's `binary_erosion`: 4-connected
///   cross, pixels outside the image count as background, so a mask touching the border has a
///   boundary there);
/// - directed distances A→B = for each boundary pixel of A, the Euclidean distance to the nearest
///   boundary pixel of B (an exact distance transform of B's boundary, read at A's boundary);
/// - HD95 = max of the 95th percentiles (linear interpolation, numpy's default) of A→B and B→A;
/// - NSD(τ) = (#{A→B ≤ τ} + #{B→A ≤ τ}) / (#A boundary + #B boundary).
/// Empty masks, as MONAI: both empty → nil (MONAI returns NaN: nothing to measure); exactly one
/// empty → HD95 = +∞ and NSD = 0.
public func hausdorffDistance95(predicted: [Bool], target: [Bool], height: Int, width: Int) -> Double? {
    guard let (forward, backward) = directedSurfaceDistances(predicted, target, height, width) else { return nil }
    guard !forward.isEmpty, !backward.isEmpty else { return .infinity }
    return max(percentile(forward, 95), percentile(backward, 95))
}

/// Normalised surface Dice at `tolerance` pixels; see `hausdorffDistance95` for the definitions.
public func normalizedSurfaceDice(predicted: [Bool], target: [Bool], height: Int, width: Int, tolerance: Double) -> Double? {
    guard let (forward, backward) = directedSurfaceDistances(predicted, target, height, width) else { return nil }
    guard !forward.isEmpty, !backward.isEmpty else { return 0 }
    let within = forward.filter { $0 <= tolerance }.count + backward.filter { $0 <= tolerance }.count
    return Double(within) / Double(forward.count + backward.count)
}

/// (A→B, B→A), or nil when both masks are empty; an empty side gives an empty list.
private func directedSurfaceDistances(_ a: [Bool], _ b: [Bool], _ height: Int, _ width: Int) -> ([Double], [Double])? {
    precondition(a.count == height * width && b.count == height * width, "mask size does not match height × width")
    let edgesA = maskBoundary(a, height: height, width: width), edgesB = maskBoundary(b, height: height, width: width)
    let anyA = edgesA.contains(true), anyB = edgesB.contains(true)
    if !anyA && !anyB { return nil }
    if !anyA || !anyB { return (anyA ? [0] : [], anyB ? [0] : []) }
    let toB = squaredDistanceTransform(edgesB, height: height, width: width)
    let toA = squaredDistanceTransform(edgesA, height: height, width: width)
    let forward = edgesA.indices.filter { edgesA[$0] }.map { toB[$0].squareRoot() }
    let backward = edgesB.indices.filter { edgesB[$0] }.map { toA[$0].squareRoot() }
    return (forward, backward)
}

/// mask XOR erosion(mask), the erosion by the 4-connected cross with the outside as background.
public func maskBoundary(_ mask: [Bool], height: Int, width: Int) -> [Bool] {
    var boundary = [Bool](repeating: false, count: mask.count)
    for row in 0 ..< height {
        for column in 0 ..< width where mask[row * width + column] {
            let interior = row > 0 && row < height - 1 && column > 0 && column < width - 1
                && mask[(row - 1) * width + column] && mask[(row + 1) * width + column]
                && mask[row * width + column - 1] && mask[row * width + column + 1]
            boundary[row * width + column] = !interior
        }
    }
    return boundary
}

/// The exact squared Euclidean distance from every pixel to the nearest `true` pixel
/// (Felzenszwalb & Huttenlocher 2012: the 1-D lower envelope of parabolas, along columns then rows).
/// Pixels with no `true` pixel anywhere get +∞.
public func squaredDistanceTransform(_ sites: [Bool], height: Int, width: Int) -> [Double] {
    var grid = sites.map { $0 ? 0.0 : Double.infinity }
    var line = [Double](), output = [Double]()
    for column in 0 ..< width {
        line = (0 ..< height).map { grid[$0 * width + column] }
        output = lowerEnvelope(line)
        for row in 0 ..< height { grid[row * width + column] = output[row] }
    }
    for row in 0 ..< height {
        line = Array(grid[row * width ..< (row + 1) * width])
        output = lowerEnvelope(line)
        for column in 0 ..< width { grid[row * width + column] = output[column] }
    }
    return grid
}

/// d(q) = min_p (q − p)² + f(p) for a sampled f (∞ where there is no site), in O(n).
private func lowerEnvelope(_ f: [Double]) -> [Double] {
    let n = f.count
    let sites = (0 ..< n).filter { f[$0].isFinite }
    guard !sites.isEmpty else { return f }
    var vertices = [Int](repeating: 0, count: n)      // apexes of the parabolas in the envelope
    var bounds = [Double](repeating: 0, count: n + 1)  // bounds[j] ..< bounds[j+1]: where vertex j is lowest
    var k = 0
    vertices[0] = sites[0]
    bounds[0] = -.infinity
    bounds[1] = .infinity
    /// Where the parabola rooted at q crosses the one rooted at v (q > v).
    func crossing(_ q: Int, _ v: Int) -> Double {
        ((f[q] + Double(q * q)) - (f[v] + Double(v * v))) / Double(2 * (q - v))
    }
    for q in sites.dropFirst() {
        var s = crossing(q, vertices[k])
        // bounds[0] = −∞, so k never goes below 0.
        while s <= bounds[k] {
            k -= 1
            s = crossing(q, vertices[k])
        }
        k += 1
        vertices[k] = q
        bounds[k] = s
        bounds[k + 1] = .infinity
    }
    var result = [Double](repeating: 0, count: n)
    k = 0
    for q in 0 ..< n {
        while bounds[k + 1] < Double(q) { k += 1 }
        let v = vertices[k]
        result[q] = Double((q - v) * (q - v)) + f[v]
    }
    return result
}

/// The p-th percentile with linear interpolation between closest ranks (numpy's default):
/// position (n − 1) p / 100 in the sorted values.
public func percentile(_ values: [Double], _ p: Double) -> Double {
    precondition(!values.isEmpty, "percentile of no values")
    let sorted = values.sorted()
    let position = Double(sorted.count - 1) * p / 100
    let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}
