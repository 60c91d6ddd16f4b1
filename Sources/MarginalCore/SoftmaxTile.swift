/// Scratch space for the softmaxes of a run of pixels of one image, class-major:
/// `probabilities[k * count + i]` is `p_ki` for the `i`-th pixel of the run.
///
/// The logits of one class are contiguous in NCHW order, so every loop below runs over pixels
/// with unit stride and vectorises; a run is short enough (`capacity` pixels) to stay in L1/L2.
/// A class, not a struct, so that its buffers are allocated once per work unit and freed with it.
final class SoftmaxTile<T: MarginalScalar> {
    static var capacity: Int { 256 }

    let classes: Int
    private(set) var count = 0
    /// `p = softmax(z)` over classes.
    let probabilities: UnsafeMutablePointer<T>
    /// `p^τ = softmax(τ z)`; filled only when the tile was made with a temperature.
    let tempered: UnsafeMutablePointer<T>?
    /// `log Σ_k exp(z_k − max z)`, so that `log p_y = (z_y − max z) − logSum` stays finite for
    /// any logits (no `log 0` when `p_y` underflows).
    let logSum: UnsafeMutablePointer<T>
    let maximum: UnsafeMutablePointer<T>
    /// Four rows of `capacity` for the passes' per-pixel quantities.
    let scratch: UnsafeMutablePointer<T>
    /// Each pixel's sum over classes, for `normalise`.
    private let totals: UnsafeMutablePointer<T>
    /// The squarings of `raise`.
    private let powerBase: UnsafeMutablePointer<T>?

    init(classes: Int, temperature: Bool) {
        self.classes = classes
        let size = classes * Self.capacity
        probabilities = .allocate(capacity: size)
        tempered = temperature ? .allocate(capacity: size) : nil
        powerBase = temperature ? .allocate(capacity: size) : nil
        logSum = .allocate(capacity: Self.capacity)
        maximum = .allocate(capacity: Self.capacity)
        scratch = .allocate(capacity: 4 * Self.capacity)
        totals = .allocate(capacity: Self.capacity)
    }

    deinit {
        probabilities.deallocate(); tempered?.deallocate(); powerBase?.deallocate()
        logSum.deallocate(); maximum.deallocate(); scratch.deallocate(); totals.deallocate()
    }

    /// The `row`-th scratch row (0 ..< 4), its first `count` values zeroed.
    func zeroedScratch(_ row: Int, count: Int) -> UnsafeMutablePointer<T> {
        precondition(row < 4 && count <= Self.capacity)
        let pointer = scratch + row * Self.capacity
        pointer.update(repeating: 0, count: count)
        return pointer
    }

    /// Fills the tile for pixels `start ..< start + count` of the image whose class-0 logit plane
    /// begins at `image` (planes `stride` apart):
    /// p_ki = e_ki / Σ_j e_ji with e_ki = exp(z_ki − m_i), m_i = max_j z_ji (the log-sum-exp shift:
    /// no overflow for any finite logit), and p^τ_ki = exp(τ(z_ki − m_i)) / Σ_j exp(τ(z_ji − m_i)).
    func fill(image: UnsafePointer<T>, stride: Int, start: Int, count: Int, temperature: T?) {
        precondition(count <= Self.capacity)
        self.count = count
        let size = classes * count
        shiftByMaximum(image, stride, start, into: probabilities, scale: nil)
        if let temperature, let tempered {
            if let power = Self.wholePower(temperature) {
                T.exponentiate(UnsafeMutableBufferPointer(start: probabilities, count: size))
                raise(probabilities, rowStride: count, to: power, into: tempered)
            } else {
                for index in 0 ..< size { tempered[index] = temperature * probabilities[index] }
                T.exponentiate(UnsafeMutableBufferPointer(start: probabilities, count: size))
                T.exponentiate(UnsafeMutableBufferPointer(start: tempered, count: size))
            }
            normalise(tempered, logSum: nil)
        } else {
            T.exponentiate(UnsafeMutableBufferPointer(start: probabilities, count: size))
        }
        normalise(probabilities, logSum: logSum)
    }

    /// Fills only `tempered`, for pixels whose p is already known (rows `rowStride` apart): for a
    /// whole τ, p^τ_k = p_k^τ / Σ_j p_j^τ (the same as from the logits, since p_k ∝ e_k), else
    /// from the logits as in `fill`.
    func temper(probabilities rows: UnsafePointer<T>, rowStride: Int, image: UnsafePointer<T>, stride: Int,
                start: Int, count: Int, temperature: T) {
        precondition(count <= Self.capacity)
        self.count = count
        guard let tempered else { preconditionFailure("tile made without a temperature") }
        if let power = Self.wholePower(temperature) {
            raise(rows, rowStride: rowStride, to: power, into: tempered)
        } else {
            shiftByMaximum(image, stride, start, into: tempered, scale: temperature)
            T.exponentiate(UnsafeMutableBufferPointer(start: tempered, count: classes * count))
        }
        normalise(tempered, logSum: nil)
    }

    /// out_ki = s (z_ki − m_i) (s = 1 when nil), and `maximum` = m.
    private func shiftByMaximum(_ image: UnsafePointer<T>, _ stride: Int, _ start: Int,
                                into out: UnsafeMutablePointer<T>, scale: T?) {
        let count = self.count, maximum = self.maximum
        for i in 0 ..< count { maximum[i] = image[start + i] }
        for k in 1 ..< classes {
            let plane = image + k * stride + start
            for i in 0 ..< count { maximum[i] = Swift.max(maximum[i], plane[i]) }
        }
        for k in 0 ..< classes {
            let plane = image + k * stride + start, row = out + k * count
            if let scale {
                for i in 0 ..< count { row[i] = scale * (plane[i] - maximum[i]) }
            } else {
                for i in 0 ..< count { row[i] = plane[i] - maximum[i] }
            }
        }
    }

    /// Divides each pixel's K values by their sum; stores log of the sum when asked.
    private func normalise(_ values: UnsafeMutablePointer<T>, logSum: UnsafeMutablePointer<T>?) {
        let total = totals
        let count = self.count
        for i in 0 ..< count { total[i] = values[i] }
        for k in 1 ..< classes {
            let row = values + k * count
            for i in 0 ..< count { total[i] += row[i] }
        }
        if let logSum { for i in 0 ..< count { logSum[i] = T.log(total[i]) } }
        for i in 0 ..< count { total[i] = 1 / total[i] }
        for k in 0 ..< classes {
            let row = values + k * count
            for i in 0 ..< count { row[i] *= total[i] }
        }
    }

    /// τ as a whole number 1 ... 64, if it is one.
    static func wholePower(_ temperature: T) -> Int? {
        guard temperature >= 1, temperature <= 64, temperature == temperature.rounded() else { return nil }
        return Int(temperature)
    }

    /// out_ki = x_kiⁿ (rows of x `rowStride` apart, of out `count` apart) by repeated squaring: for
    /// a whole τ up to 64 (τ = 10 by default), exp(τ(z − m)) = e^τ, so p^τ needs no second
    /// exponential; the same number up to a few roundings, and it underflows where exp does.
    /// The loop over the bits of n is outside, so each multiplication is one vectorised sweep.
    private func raise(_ x: UnsafePointer<T>, rowStride: Int, to n: Int, into out: UnsafeMutablePointer<T>) {
        let base = powerBase!, count = self.count, size = classes * count
        for k in 0 ..< classes { (base + k * count).update(from: x + k * rowStride, count: count) }
        var bits = n, first = true
        while bits > 0 {
            if bits & 1 == 1 {
                if first { out.update(from: base, count: size) } else { for i in 0 ..< size { out[i] *= base[i] } }
                first = false
            }
            bits >>= 1
            if bits > 0 { for i in 0 ..< size { base[i] *= base[i] } }
        }
    }
}
