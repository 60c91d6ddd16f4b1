/// im2col for a stride-1 convolution with zero padding p = (k − 1)/2 ("same" size), one image:
/// `[C, H, W] → [C·k², H·W]`,
/// cols[(c·k + ky)·k + kx, y·W + x] = x[c, y + ky − p, x + kx − p], and 0 outside the image.
///
/// Row `(c, ky, kx)` is channel `c` shifted by `(ky − p, kx − p)`, so the convolution becomes the
/// matrix product W[O, C·k²] · cols (Chellapilla et al. 2006). In C order a shift is one offset
/// into the flattened plane, so each row is a single block copy; a horizontal shift drags the
/// neighbouring row's edge pixels into the first or last |kx − p| columns, which are then set
/// to 0, as are the rows shifted in from above or below the image.
func im2col<T: EngineScalar>(_ source: UnsafePointer<T>, channels: Int, height: Int, width: Int, kernel: Int,
                             into columns: UnsafeMutablePointer<T>) {
    im2col(source, channels: channels, height: height, width: width, kernel: kernel, rows: 0 ..< height, into: columns)
}

/// im2col restricted to the output rows `rows` (a band of the image): `[C, H, W] → [C·k², R·W]`
/// with R = `rows.count`, column (y − rows.lowerBound)·W + x holding output pixel (y, x). A
/// convolution computed band by band keeps each band's matrix in the L2 cache between its
/// writing here and its reading by the product.
func im2col<T: EngineScalar>(_ source: UnsafePointer<T>, channels: Int, height: Int, width: Int, kernel: Int,
                             rows: Range<Int>, into columns: UnsafeMutablePointer<T>) {
    let pad = (kernel - 1) / 2, pixels = height * width, bandPixels = rows.count * width
    for c in 0 ..< channels {
        let plane = source + c * pixels
        for ky in 0 ..< kernel {
            let shiftY = ky - pad
            // Output rows y of the band whose source row y + shiftY lies inside the image.
            let firstRow = max(rows.lowerBound, -shiftY)
            let lastRow = max(firstRow, min(rows.upperBound, height - shiftY))
            for kx in 0 ..< kernel {
                let shiftX = kx - pad
                let band = columns + ((c * kernel + ky) * kernel + kx) * bandPixels
                let lower = rows.lowerBound
                if firstRow > lower { band.update(repeating: 0, count: (firstRow - lower) * width) }
                if lastRow < rows.upperBound {
                    (band + (lastRow - lower) * width).update(repeating: 0, count: (rows.upperBound - lastRow) * width)
                }
                guard lastRow > firstRow else { continue }
                // band[(y − lower)·W + x] = plane[(y + shiftY)·W + x + shiftX] over the valid rows, as
                // one copy that stays inside the plane: the |shiftX| elements at the block's leading
                // (shiftX < 0) or trailing (shiftX > 0) end would fall outside it and are border
                // columns anyway.
                let count = (lastRow - firstRow) * width
                let skipFront = max(0, -shiftX), skipBack = max(0, shiftX)
                let length = max(0, count - skipFront - skipBack)
                (band + (firstRow - lower) * width + skipFront)
                    .update(from: plane + (firstRow + shiftY) * width + shiftX + skipFront, count: length)
                if shiftX != 0 {
                    // Border columns: x < −shiftX (left) or x ≥ W − shiftX (right).
                    let columnRange = shiftX < 0 ? 0 ..< min(width, -shiftX) : max(0, width - shiftX) ..< width
                    for y in firstRow ..< lastRow {
                        let out = band + (y - lower) * width
                        for x in columnRange { out[x] = 0 }
                    }
                }
            }
        }
    }
}

/// The weights of the convolution whose product with im2col(∂y) is ∂x: flipped in space and with
/// input and output channels swapped, `[O, I, k, k] → [I, O, k, k]`,
/// flipped[i, o, ky, kx] = W[o, i, k − 1 − ky, k − 1 − kx].
///
/// Since y[o, q] = Σ W[o, i, ky, kx] x[i, q + (ky − p, kx − p)], the adjoint is
/// ∂x[i, q] = Σ W[o, i, ky, kx] ∂y[o, q − (ky − p, kx − p)] = Σ flipped[i, o, ky′, kx′] ∂y[o, q + (ky′ − p, kx′ − p)]
/// with ky′ = k − 1 − ky (and the same padding, since outputs outside the image do not exist).
/// This replaces a col2im scatter of a C·k² × H·W matrix by an im2col of the often smaller ∂y.
func flippedTransposedWeights<T: EngineScalar>(_ weight: UnsafePointer<T>, outputChannels: Int, inputChannels: Int,
                                               kernel: Int, into flipped: UnsafeMutablePointer<T>) {
    let taps = kernel * kernel
    for o in 0 ..< outputChannels {
        for i in 0 ..< inputChannels {
            let source = weight + (o * inputChannels + i) * taps, target = flipped + (i * outputChannels + o) * taps
            for tap in 0 ..< taps { target[tap] = source[taps - 1 - tap] }
        }
    }
}
