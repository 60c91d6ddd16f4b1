// The elementwise loops of the layers, written so that LLVM vectorises them once specialised for
// Float: pointers offset outside the loop (no checked index arithmetic inside), the constant 0
// hoisted into a local, loads done unconditionally before a select (a load under a condition
// cannot be vectorised), and `Swift.max` rather than a ternary on the value being stored.

/// rows[c, 0 ..< count] = act(rows[c, 0 ..< count] + bias[c]) for `channels` rows `stride` apart.
@inline(__always)
func addBias<T: EngineScalar>(_ bias: UnsafePointer<T>, to rows: UnsafeMutablePointer<T>, channels: Int, count: Int, stride: Int,
                              relu: Bool) {
    let zero = T.zero
    for c in 0 ..< channels {
        let row = rows + c * stride, shift = bias[c]
        if relu {
            for i in 0 ..< count { row[i] = Swift.max(row[i] + shift, zero) }
        } else {
            for i in 0 ..< count { row[i] += shift }
        }
    }
}

/// target = g ⊙ [y > 0] (ReLU′ read off the output: y > 0 exactly where the input was > 0), and
/// sums[c] = Σ_pixels target[c, ·].
@inline(__always)
func maskByPositive<T: EngineScalar>(_ g: UnsafePointer<T>, _ y: UnsafePointer<T>, into target: UnsafeMutablePointer<T>,
                                     channels: Int, pixels: Int, sums: UnsafeMutablePointer<T>) {
    let zero = T.zero
    for c in 0 ..< channels {
        let gRow = g + c * pixels, yRow = y + c * pixels, out = target + c * pixels
        for i in 0 ..< pixels {
            let gradient = gRow[i], output = yRow[i]
            out[i] = output > zero ? gradient : zero
        }
        sums[c] = rowSum(UnsafePointer(out), count: pixels)
    }
}

/// sums[c] = Σ_pixels rows[c, ·].
@inline(__always)
func sumRows<T: EngineScalar>(_ rows: UnsafePointer<T>, channels: Int, pixels: Int, into sums: UnsafeMutablePointer<T>) {
    for c in 0 ..< channels { sums[c] = rowSum(rows + c * pixels, count: pixels) }
}

/// Σ values[0 ..< count], in 8 interleaved partial sums (which the compiler keeps in vector
/// registers; a single running sum would be one long dependency chain).
@inline(__always)
func rowSum<T: EngineScalar>(_ values: UnsafePointer<T>, count: Int) -> T {
    var (s0, s1, s2, s3, s4, s5, s6, s7) = (T.zero, T.zero, T.zero, T.zero, T.zero, T.zero, T.zero, T.zero)
    var i = 0
    while i + 8 <= count {
        let v = values + i
        s0 += v[0]; s1 += v[1]; s2 += v[2]; s3 += v[3]; s4 += v[4]; s5 += v[5]; s6 += v[6]; s7 += v[7]
        i += 8
    }
    var total = ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))
    while i < count { total += values[i]; i += 1 }
    return total
}

/// target[0 ..< count] += source[0 ..< count].
@inline(__always)
func addInPlace<T: EngineScalar>(_ target: UnsafeMutablePointer<T>, _ source: UnsafePointer<T>, count: Int) {
    for i in 0 ..< count { target[i] += source[i] }
}
