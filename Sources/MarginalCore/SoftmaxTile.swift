/// Scratch space for the softmaxes of a run of pixels of one image, class-major:
/// `probabilities[k * count + i]` is `p_ki` for the `i`-th pixel of the run.
///
/// The logits of one class are contiguous in NCHW order, so every loop below runs over pixels
/// with unit stride and vectorises; a run is short enough (`capacity` pixels) to stay in L1/L2.
/// Each class row is finished (exponential, sum, power) while it is in L1, so a tile is swept
/// once per class rather than once per step of the softmax.
/// A class, not a struct, so that its buffers are allocated once per work unit and freed with it.
final class SoftmaxTile<T: MarginalScalar> {
    static var capacity: Int { 256 }

    let classes: Int
    private(set) var count = 0
    /// `p = softmax(z)` over classes.
    let probabilities: UnsafeMutablePointer<T>
    /// `exp(τ(z_ki − m_i))`, not yet divided by its sum over classes: p^τ_ki =
    /// `tempered[k * count + i] * temperedScale[i]`. Filled only when the tile was made with a
    /// temperature. Left unnormalised because every reader multiplies by a per-pixel factor
    /// anyway (the valid-pixel mask, a coefficient), which the scale joins for free.
    let tempered: UnsafeMutablePointer<T>?
    /// `1 / Σ_k exp(τ(z_ki − m_i))`, per pixel.
    let temperedScale: UnsafeMutablePointer<T>
    /// `log Σ_k exp(z_k − max z)`, so that `log p_y = (z_y − max z) − logSum` stays finite for
    /// any logits (no `log 0` when `p_y` underflows).
    let logSum: UnsafeMutablePointer<T>
    let maximum: UnsafeMutablePointer<T>
    /// Four rows of `capacity` for the passes' per-pixel quantities.
    let scratch: UnsafeMutablePointer<T>
    /// Each pixel's Σ_k e_k while `fill` sums it, then its inverse 1 / Σ_k e_k (which is the
    /// pixel's largest p: see `temperingPivot`).
    private let totals: UnsafeMutablePointer<T>

    init(classes: Int, temperature: Bool) {
        self.classes = classes
        let size = classes * Self.capacity
        probabilities = .allocate(capacity: size)
        tempered = temperature ? .allocate(capacity: size) : nil
        temperedScale = .allocate(capacity: Self.capacity)
        logSum = .allocate(capacity: Self.capacity)
        maximum = .allocate(capacity: Self.capacity)
        scratch = .allocate(capacity: 4 * Self.capacity)
        totals = .allocate(capacity: Self.capacity)
    }

    deinit {
        probabilities.deallocate(); tempered?.deallocate(); temperedScale.deallocate()
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
        let maximum = self.maximum, totals = self.totals
        for i in 0 ..< count { maximum[i] = image[start + i] }
        for k in 1 ..< classes {
            let plane = image + k * stride + start
            for i in 0 ..< count { maximum[i] = Swift.max(maximum[i], plane[i]) }
        }
        for k in 0 ..< classes {
            let plane = image + k * stride + start, row = probabilities + k * count
            for i in 0 ..< count { row[i] = T.exponential(plane[i] - maximum[i]) }
            add(row, to: totals, first: k == 0)
            if let temperature {
                temperRow(k, exponentials: row, plane: plane, temperature: temperature)
            }
        }
        for i in 0 ..< count {
            logSum[i] = T.log(totals[i])
            totals[i] = 1 / totals[i]
        }
        for k in 0 ..< classes {
            let row = probabilities + k * count
            for i in 0 ..< count { row[i] *= totals[i] }
        }
        if temperature != nil { for i in 0 ..< count { temperedScale[i] = 1 / temperedScale[i] } }
    }

    /// Per pixel, what `temper` needs from this tile's `fill` to temper the same pixels again:
    /// for a whole τ the largest p, max_k p_k = 1 / Σ_k e_k (exactly: the largest e is
    /// exp(0) = 1), else the largest logit m. Pass 1 keeps it so that pass 2 need not find it again
    /// in the K rows.
    func temperingPivot(temperature: T) -> UnsafePointer<T> {
        UnsafePointer(Self.wholePower(temperature) == nil ? maximum : totals)
    }

    /// Fills only `tempered` and `temperedScale`, for pixels whose p is already known (rows
    /// `rowStride` apart), given their `temperingPivot` from `fill`: for a whole τ,
    /// p^τ_k ∝ (p_k / max_j p_j)^τ = e_k^τ (p_k ∝ e_k, and the largest e is 1, so the sum is at
    /// least 1: p_maxⁿ alone would underflow `Float` for n = 64 once p_max < 0.26, and 0 / 0 would
    /// follow), else from the logits as in `fill`.
    func temper(probabilities rows: UnsafePointer<T>, rowStride: Int, pivot: UnsafePointer<T>, image: UnsafePointer<T>,
                stride: Int, start: Int, count: Int, temperature: T) {
        precondition(count <= Self.capacity)
        self.count = count
        let power = Self.wholePower(temperature)
        let inverse = totals
        if power != nil { for i in 0 ..< count { inverse[i] = 1 / pivot[i] } }
        for k in 0 ..< classes {
            let out = tempered! + k * count
            if let power {
                raise(rows + k * rowStride, scaledBy: inverse, to: power, into: out, addingTo: temperedScale, first: k == 0)
            } else {
                let plane = image + k * stride + start
                for i in 0 ..< count { out[i] = T.exponential(temperature * (plane[i] - pivot[i])) }
                add(out, to: temperedScale, first: k == 0)
            }
        }
        for i in 0 ..< count { temperedScale[i] = 1 / temperedScale[i] }
    }

    /// Row k of `tempered` and its share of the sum in `temperedScale`: e_kⁿ by squaring for a
    /// whole τ = n (`exponentials` holds e_k = exp(z_k − m), whose largest is 1, so the sum is
    /// at least 1 and never underflows), else exp(τ(z_k − m)) from the logits' `plane`.
    private func temperRow(_ k: Int, exponentials: UnsafePointer<T>, plane: UnsafePointer<T>, temperature: T) {
        guard let tempered else { preconditionFailure("tile made without a temperature") }
        let out = tempered + k * count
        if let power = Self.wholePower(temperature) {
            raise(exponentials, scaledBy: nil, to: power, into: out, addingTo: temperedScale, first: k == 0)
        } else {
            let maximum = self.maximum
            for i in 0 ..< count { out[i] = T.exponential(temperature * (plane[i] - maximum[i])) }
            add(out, to: temperedScale, first: k == 0)
        }
    }

    /// total_i = row_i (the first row) or total_i += row_i.
    private func add(_ row: UnsafePointer<T>, to total: UnsafeMutablePointer<T>, first: Bool) {
        if first { total.update(from: row, count: count) } else { for i in 0 ..< count { total[i] += row[i] } }
    }

    /// τ as a whole number 1 ... 64, if it is one.
    static func wholePower(_ temperature: T) -> Int? {
        guard temperature >= 1, temperature <= 64, temperature == temperature.rounded() else { return nil }
        return Int(temperature)
    }

    /// out_i = x_iⁿ for one row, by repeated squaring, and its share of a per-pixel sum
    /// (total_i = out_i for the first row, else total_i += out_i): for a whole τ up to 64 (τ = 10
    /// by default), exp(τ(z − m)) = e^τ, so p^τ needs no second exponential; the same number up
    /// to a few roundings, and it underflows where exp does. Eight pixels at a time are raised in
    /// registers (`SIMD8`), the loop over the bits of n shared by their lanes, so the row is read
    /// and written once. With `scale`, x_i · scale_i is raised instead.
    private func raise(_ x: UnsafePointer<T>, scaledBy scale: UnsafePointer<T>?, to n: Int, into out: UnsafeMutablePointer<T>,
                       addingTo total: UnsafeMutablePointer<T>, first: Bool) {
        let count = self.count
        var i = 0
        while i + 8 <= count {
            var base = SIMD8<T>.load(x + i)
            if let scale { base *= SIMD8<T>.load(scale + i) }
            let power = Self.power(base, n)
            power.store(out + i)
            (first ? power : SIMD8<T>.load(total + i) + power).store(total + i)
            i += 8
        }
        while i < count {
            let power = Self.power(SIMD8<T>(repeating: x[i] * (scale?[i] ?? 1)), n)[0]
            out[i] = power
            total[i] = first ? power : total[i] + power
            i += 1
        }
    }

    /// xⁿ lane by lane for n ≥ 1: the product of x^(2^b) over the set bits b of n, in order of b.
    @inline(__always)
    private static func power(_ x: SIMD8<T>, _ n: Int) -> SIMD8<T> {
        var base = x, bits = n
        while bits & 1 == 0 { base *= base; bits >>= 1 }
        var result = base
        bits >>= 1
        while bits != 0 {
            base *= base
            if bits & 1 == 1 { result *= base }
            bits >>= 1
        }
        return result
    }
}
