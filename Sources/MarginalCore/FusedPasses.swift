/// The two passes over the logits that every loss shares.
///
/// Pass 1 (`gatherSums`) computes the softmaxes once per pixel and keeps per-image sums
/// (`ImageSums`); when a gradient is wanted it also leaves p = softmax(z) in the gradient's own
/// buffer. Pass 2 (`finishGradient`) turns that p into ∂L/∂z in place, from per-image
/// coefficients (`GradientCoefficients`). Because every loss of CONVENTIONS.md is a function of
/// those sums, the gradient of any of them, or of any weighted sum of them, has the single form
///
///     ∂L/∂z_ji = s_i (p_ji − [j = y_i])                          (CE, focal: per-pixel terms)
///              + p_ji (g_ji − Σ_k g_ki p_ki),  g_ki = A_bk + B_bk [k = y_i]   (Dice family, via p)
///              + p^τ_ji (R_bj − Σ_k R_bk p^τ_ki)                  (label-marginal terms, via p̂)
///
/// with ignored pixels at 0. One exponential per logit, the logits read once and the gradient
/// written twice: the work is bound by memory, and this is close to the least traffic it can have.
struct FusedPasses<T: MarginalScalar> {
    let batch: SegmentationBatch<T>
    /// τ of p̂, when some term needs p̂.
    let temperature: T?
    /// w_k of weighted CE; nil = all 1.
    let classWeights: [Double]?
    /// γ of the focal term, when there is one.
    let focalGamma: Double?
    let threads: Int

    /// Pixels a work unit covers: large enough to amortise scheduling, small enough to spread
    /// one image over both cores.
    static var unitPixels: Int { 16_384 }

    private var units: [(image: Int, start: Int, end: Int)] {
        let pixels = batch.pixelsPerImage
        var units: [(Int, Int, Int)] = []
        for image in 0 ..< batch.batchSize {
            var start = 0
            while start < pixels {
                units.append((image, start, min(pixels, start + Self.unitPixels)))
                start += Self.unitPixels
            }
        }
        return units
    }

    /// Pass 1. With `probabilitiesOut` (the logits' shape) it also stores p there, with
    /// `focalScaleOut` (one value a pixel) the focal factor s(p_y) of each valid pixel, and with
    /// `pivotsOut` (one value a pixel) each pixel's `SoftmaxTile.temperingPivot`, for pass 2.
    func gatherSums(probabilitiesOut: UnsafeMutablePointer<T>? = nil, focalScaleOut: UnsafeMutablePointer<T>? = nil,
                    pivotsOut: UnsafeMutablePointer<T>? = nil) -> [ImageSums] {
        let units = self.units
        let classes = batch.classes, stride = batch.pixelsPerImage
        var partial = [ImageSums](repeating: ImageSums(classes: classes, tempered: temperature != nil), count: units.count)
        let weights = classWeights ?? Array(repeating: 1, count: classes)
        let outputs = UncheckedSendable((probabilitiesOut, focalScaleOut, pivotsOut))
        partial.withUnsafeMutableBufferPointer { partial in
            let out = SharedMutableBuffer(pointer: partial.baseAddress!)
            batch.logits.withUnsafeBufferPointer { logits in
                batch.labels.withUnsafeBufferPointer { labels in
                    forEachUnit(units.count, threads: threads) { unit in
                        let (image, start, end) = units[unit]
                        var sums = ImageSums(classes: classes, tempered: temperature != nil)
                        let tile = SoftmaxTile<T>(classes: classes, temperature: temperature != nil)
                        let planes = logits.baseAddress! + image * classes * stride
                        let imageLabels = labels.baseAddress! + image * stride
                        let (probabilitiesOut, focalScaleOut, pivotsOut) = outputs.value
                        var first = start
                        while first < end {
                            let count = min(SoftmaxTile<T>.capacity, end - first)
                            tile.fill(image: planes, stride: stride, start: first, count: count, temperature: temperature)
                            if let pivotsOut, let temperature {
                                (pivotsOut + image * stride + first).update(from: tile.temperingPivot(temperature: temperature), count: count)
                            }
                            accumulate(tile, labels: imageLabels + first, planes: planes, stride: stride, first: first,
                                       weights: weights, focalScaleOut: focalScaleOut.map { $0 + image * stride + first },
                                       probabilitiesOut: probabilitiesOut.map { $0 + image * classes * stride + first },
                                       into: &sums)
                            first += count
                        }
                        out.pointer[unit] = sums
                    }
                }
            }
        }
        var sums = [ImageSums](repeating: ImageSums(classes: classes, tempered: temperature != nil), count: batch.batchSize)
        for (unit, range) in units.enumerated() { sums[range.image].add(partial[unit]) }
        return sums
    }

    private func accumulate(_ tile: SoftmaxTile<T>, labels: UnsafePointer<UInt8>, planes: UnsafePointer<T>, stride: Int,
                            first: Int, weights: [Double], focalScaleOut: UnsafeMutablePointer<T>?,
                            probabilitiesOut: UnsafeMutablePointer<T>?, into sums: inout ImageSums) {
        let count = tile.count, classes = batch.classes
        let validMask = tile.zeroedScratch(0, count: count)
        for i in 0 ..< count where labels[i] != SegmentationBatch<T>.ignoreIndex {
            let label = Int(labels[i])
            validMask[i] = 1
            sums.validPixels += 1
            sums.labelCount[label] += 1
            sums.probabilityAtLabel[label] += Double(tile.probabilities[label * count + i])
            // log p_y = (z_y − max z) − log Σ exp(z − max z): finite even when p_y underflows.
            let logProbability = Double(planes[label * stride + first + i] - tile.maximum[i] - tile.logSum[i])
            sums.crossEntropy += weights[label] * -logProbability
            sums.weightSum += weights[label]
            if let focalGamma {
                sums.focal += -focalModulation(logProbability, gamma: focalGamma) * logProbability
                focalScaleOut?[i] = T(focalPixelScale(logProbability, gamma: focalGamma))
            }
        }
        // p^τ = tempered · temperedScale: the scale joins the mask, one factor a pixel.
        let temperedWeight = tile.tempered == nil ? validMask : tile.zeroedScratch(1, count: count)
        if tile.tempered != nil { for i in 0 ..< count { temperedWeight[i] = validMask[i] * tile.temperedScale[i] } }
        for k in 0 ..< classes {
            let row = tile.probabilities + k * count
            sums.probabilitySum[k] += maskedSum(row, count: count, mask: validMask, copyingTo: probabilitiesOut.map { $0 + k * stride })
            if let tempered = tile.tempered {
                sums.temperedSum[k] += maskedSum(tempered + k * count, count: count, mask: temperedWeight)
            }
        }
    }

    /// Σ_i mask_i · values_i, in eight partial sums of `T` (a short run: at most
    /// `SoftmaxTile.capacity` terms of size ≤ 1, so `Float` loses under 1e-5 relative here) that
    /// are then added in `Double`. With `copy`, the values are also written there, in the same
    /// sweep.
    private func maskedSum(_ values: UnsafePointer<T>, count: Int, mask: UnsafePointer<T>,
                           copyingTo copy: UnsafeMutablePointer<T>? = nil) -> Double {
        var partial = SIMD8<T>()
        var i = 0
        while i + 8 <= count {
            let chunk = SIMD8<T>.load(values + i)
            partial += chunk * SIMD8<T>.load(mask + i)
            if let copy { chunk.store(copy + i) }
            i += 8
        }
        var lanes = SIMD8<Double>()
        for lane in 0 ..< 8 { lanes[lane] = Double(partial[lane]) }
        var total = lanes.sum()
        while i < count {
            total += Double(values[i] * mask[i])
            copy?[i] = values[i]
            i += 1
        }
        return total
    }

    /// Pass 2: `gradient` holds p from pass 1 and is overwritten with ∂L/∂z; `pivots` are pass 1's
    /// `pivotsOut` (needed when a term uses p̂).
    func finishGradient(_ gradient: UnsafeMutablePointer<T>, focalScale: UnsafePointer<T>?, pivots: UnsafePointer<T>?,
                        _ coefficients: GradientCoefficients) {
        let units = self.units
        let classes = batch.classes, stride = batch.pixelsPerImage
        let buffers = UncheckedSendable((gradient, focalScale, pivots))
        batch.logits.withUnsafeBufferPointer { logits in
            batch.labels.withUnsafeBufferPointer { labels in
                forEachUnit(units.count, threads: threads) { unit in
                    let (image, start, end) = units[unit]
                    let (gradient, focalScale, pivots) = buffers.value
                    let tile = SoftmaxTile<T>(classes: classes, temperature: temperature != nil)
                    let perImage = coefficients.forImage(image, as: T.self)
                    let offset = image * classes * stride
                    var first = start
                    while first < end {
                        let count = min(SoftmaxTile<T>.capacity, end - first)
                        let rows = gradient + offset + first
                        if let temperature, perImage.hasTempered {
                            guard let pivots else { preconditionFailure("pass 2 of a p̂ term needs pass 1's pivots") }
                            tile.temper(probabilities: rows, rowStride: stride, pivot: pivots + image * stride + first,
                                        image: logits.baseAddress! + offset, stride: stride, start: first, count: count,
                                        temperature: temperature)
                        }
                        writeTile(tile, count: count, rows: rows, labels: labels.baseAddress! + image * stride + first,
                                  perImage, focalScale: focalScale.map { $0 + image * stride + first }, stride: stride)
                        first += count
                    }
                }
            }
        }
    }

    /// Overwrites p with ∂L/∂z for `count` pixels; `rows + k · stride` is class k's row.
    private func writeTile(_ tile: SoftmaxTile<T>, count: Int, rows: UnsafeMutablePointer<T>, labels: UnsafePointer<UInt8>,
                           _ c: ImageCoefficients<T>, focalScale: UnsafePointer<T>?, stride: Int) {
        let classes = batch.classes
        // Per pixel: s_i, G_i = Σ_k g_ki p_ki, H_i = Σ_k R_k p^τ_ki, and p_{y_i} (read before overwritten).
        let pixelScale = tile.zeroedScratch(0, count: count)
        let softmaxMean = tile.zeroedScratch(1, count: count)
        let temperedMean = tile.zeroedScratch(2, count: count)
        let atLabel = tile.zeroedScratch(3, count: count)
        for k in 0 ..< classes where c.softmax[k] != 0 {
            let a = c.softmax[k], p = rows + k * stride
            for i in 0 ..< count { softmaxMean[i] += a * p[i] }
        }
        // q = tempered is p^τ before its scale: H_i = scale_i Σ_k R_k q_ki, and p^τ (R − H) below
        // = q · scale (R − H).
        let tempered = c.hasTempered ? tile.tempered : nil
        if let tempered {
            for k in 0 ..< classes where c.tempered[k] != 0 {
                let r = c.tempered[k], q = tempered + k * count
                for i in 0 ..< count { temperedMean[i] += r * q[i] }
            }
            for i in 0 ..< count { temperedMean[i] *= tile.temperedScale[i] }
        }
        for i in 0 ..< count where labels[i] != SegmentationBatch<T>.ignoreIndex {
            let label = Int(labels[i])
            atLabel[i] = rows[label * stride + i]
            softmaxMean[i] += c.softmaxAtLabel[label] * atLabel[i]
            pixelScale[i] = c.crossEntropy[label] + (focalScale.map { c.focal * $0[i] } ?? 0)
        }
        for k in 0 ..< classes {
            let p = rows + k * stride
            let a = c.softmax[k]
            if let tempered {
                let r = c.tempered[k], q = tempered + k * count
                let scale = tile.temperedScale
                for i in 0 ..< count {
                    p[i] = pixelScale[i] * p[i] + p[i] * (a - softmaxMean[i]) + q[i] * scale[i] * (r - temperedMean[i])
                }
            } else {
                for i in 0 ..< count { p[i] = pixelScale[i] * p[i] + p[i] * (a - softmaxMean[i]) }
            }
        }
        for i in 0 ..< count {
            if labels[i] == SegmentationBatch<T>.ignoreIndex {
                for k in 0 ..< classes { rows[k * stride + i] = 0 }
            } else {
                let label = Int(labels[i])
                rows[label * stride + i] += -pixelScale[i] + atLabel[i] * c.softmaxAtLabel[label]
            }
        }
    }
}

/// (1 − q)^γ with q = exp(log q), using expm1 so that 1 − q keeps its digits when q → 1.
@inline(__always)
func focalModulation(_ logProbability: Double, gamma: Double) -> Double {
    gamma == 0 ? 1 : Double.pow(-Double.expm1(logProbability), gamma)
}

/// −q · d/dq [−(1 − q)^γ log q] = (1 − q)^γ − γ (1 − q)^(γ−1) q log q: the factor s_i of
/// ∂focal/∂z_j = s_i (p_j − [j = y]) (before the 1/|V| mean). The second term is 0 when γ = 0
/// or q log q = 0 (q = 1 or q = 0), where (1 − q)^(γ−1) may be infinite.
func focalPixelScale(_ logProbability: Double, gamma: Double) -> Double {
    let oneMinusQ = -Double.expm1(logProbability)
    let qLogQ = Double.exp(logProbability) * logProbability
    let modulation = focalModulation(logProbability, gamma: gamma)
    if gamma == 0 || qLogQ == 0 { return modulation }
    return modulation - gamma * Double.pow(oneMinusQ, gamma - 1) * qLogQ
}
