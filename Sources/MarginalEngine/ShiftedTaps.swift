/// A 3 × 3 convolution as nine products over shifted views of the image, with no im2col matrix.
///
/// Row (c, ky, kx) of im2col(x) is plane c of x shifted by (ky − 1, kx − 1) in C order, so the
/// product W · im2col(x) splits into one product per tap (ky, kx):
///
///     y[:, q] += W_tap[O, C] · x[:, q + (ky − 1)·W + (kx − 1)]
///
/// and `x + offset` is already that shifted matrix (row stride H·W), so OpenBLAS reads the image
/// itself. Two details make the views exact: only output rows whose source row exists are computed
/// (a contiguous range of q), and a horizontal shift of −1 (+1) makes column 0 (W − 1) read the
/// neighbouring row's last (first) pixel, so those taps read a copy of the image whose last
/// (first) column is 0, with one 0 before and after the planes for the very first and last pixel.
/// Two copies of x instead of a 9-times-larger im2col matrix, at the price of nine products of
/// depth C instead of one of depth 9C: which wins depends on the BLAS kernels (see
/// `ConvolutionMethod.preferred`).
enum ShiftedTaps {
    /// Taps in the order products are accumulated: the centre first (it covers every output, so it
    /// initialises them with β = 0), then the other eight.
    static func order(_ position: Int) -> Int { position == 0 ? 4 : position <= 4 ? position - 1 : position }

    /// The (row, column) shift of tap `ky·3 + kx`.
    static func shift(_ tap: Int) -> (y: Int, x: Int) { (tap / 3 - 1, tap % 3 - 1) }

    /// Output rows whose source row, shifted by `shiftY`, lies inside an image of `height` rows.
    static func rows(shiftY: Int, height: Int) -> Range<Int> {
        max(0, -shiftY) ..< max(max(0, -shiftY), min(height, height - shiftY))
    }

    /// Elements of an edge copy of `channels` planes: the planes and one guard element either side.
    static func edgeCopyCount(channels: Int, pixels: Int) -> Int { channels * pixels + 2 }

    /// Writes into `zeroLast` and `zeroFirst` (each `edgeCopyCount` long) copies of `source`
    /// `[C, H, W]` with the last, respectively first, column set to 0 and a 0 guard before and after
    /// the planes; returns pointers to their first plane.
    static func makeEdgeCopies<T: EngineScalar>(_ source: UnsafePointer<T>, channels: Int, height: Int, width: Int,
                                                zeroLast: UnsafeMutablePointer<T>, zeroFirst: UnsafeMutablePointer<T>)
        -> (zeroLast: UnsafePointer<T>, zeroFirst: UnsafePointer<T>) {
        let count = channels * height * width
        zeroLast[0] = 0
        (zeroLast + 1).update(from: source, count: count)
        zeroLast[count + 1] = 0
        zeroFirst[0] = 0
        (zeroFirst + 1).update(from: source, count: count)
        zeroFirst[count + 1] = 0
        for row in 0 ..< channels * height {
            zeroLast[1 + row * width + width - 1] = 0
            zeroFirst[1 + row * width] = 0
        }
        return (UnsafePointer(zeroLast + 1), UnsafePointer(zeroFirst + 1))
    }

    /// The view of tap `tap` starting at output row `firstRow`: the source (or its edge copy) offset
    /// by the tap's shift.
    static func view<T>(_ tap: Int, firstRow: Int, width: Int, source: UnsafePointer<T>, zeroLast: UnsafePointer<T>,
                        zeroFirst: UnsafePointer<T>) -> UnsafePointer<T> {
        let (shiftY, shiftX) = shift(tap)
        let base = shiftX < 0 ? zeroLast : shiftX > 0 ? zeroFirst : source
        return base + (firstRow + shiftY) * width + shiftX
    }

    /// weights `[O, C, 3, 3]` → `[9, O, C]`: tap t's matrix W_t[o, c] = W[o, c, t].
    static func splitByTap<T: EngineScalar>(_ weight: UnsafePointer<T>, outputs: Int, channels: Int,
                                            into taps: UnsafeMutablePointer<T>) {
        for o in 0 ..< outputs {
            for c in 0 ..< channels {
                let source = weight + (o * channels + c) * 9
                for tap in 0 ..< 9 { taps[(tap * outputs + o) * channels + c] = source[tap] }
            }
        }
    }

    /// out[M, H·W] = Σ_taps op(A_t) · view_t, the products of a forward pass (A_t = W_t `[O, C]`) or of
    /// ∂x (A_t = W_{8 − t}ᵀ, `transposed` and `mirrored`: the flipped kernel of the adjoint).
    /// `taps` is `splitByTap`'s `[9, O, C]`; `depth` is the sum's length (C forward, O for ∂x).
    static func accumulate<T: EngineScalar>(taps: UnsafePointer<T>, outputs: Int, channels: Int, adjoint: Bool,
                                            source: UnsafePointer<T>, zeroLast: UnsafePointer<T>, zeroFirst: UnsafePointer<T>,
                                            height: Int, width: Int, into out: UnsafeMutablePointer<T>) {
        let pixels = height * width
        // Forward: M = O, depth C, A = W_t as stored. ∂x: M = C, depth O, A = W_{8−t}ᵀ.
        let (m, depth) = adjoint ? (channels, outputs) : (outputs, channels)
        for position in 0 ..< 9 {
            let tap = order(position)
            let rows = Self.rows(shiftY: shift(tap).y, height: height)
            guard !rows.isEmpty else { continue }
            let weights = taps + (adjoint ? 8 - tap : tap) * outputs * channels
            let b = view(tap, firstRow: rows.lowerBound, width: width, source: source, zeroLast: zeroLast, zeroFirst: zeroFirst)
            T.gemm(transposeA: adjoint, transposeB: false, m: m, n: rows.count * width, k: depth, alpha: 1,
                   a: weights, lda: channels, b: b, ldb: pixels, beta: position == 0 ? 0 : 1,
                   c: out + rows.lowerBound * width, ldc: pixels)
        }
    }

    /// ∂Wᵀ of one image: slot[c·9 + t, o] = Σ_{q ∈ rows(t)} view_t[c, q] · g[o, q], the layout of
    /// the im2col path's ∂Wᵀ = cols · gᵀ (`accumulateTransposed` reads either).
    static func weightGradient<T: EngineScalar>(source: UnsafePointer<T>, zeroLast: UnsafePointer<T>, zeroFirst: UnsafePointer<T>,
                                                gradient g: UnsafePointer<T>, channels: Int, outputs: Int,
                                                height: Int, width: Int, into slot: UnsafeMutablePointer<T>) {
        let pixels = height * width
        for tap in 0 ..< 9 {
            let rows = Self.rows(shiftY: shift(tap).y, height: height)
            let target = slot + tap * outputs
            guard !rows.isEmpty else {
                for c in 0 ..< channels { (target + c * 9 * outputs).update(repeating: 0, count: outputs) }
                continue
            }
            let a = view(tap, firstRow: rows.lowerBound, width: width, source: source, zeroLast: zeroLast, zeroFirst: zeroFirst)
            T.gemm(transposeA: false, transposeB: true, m: channels, n: outputs, k: rows.count * width, alpha: 1,
                   a: a, lda: pixels, b: g + rows.lowerBound * width, ldb: pixels, beta: 0, c: target, ldc: 9 * outputs)
        }
    }
}
