/// 2 × 2 max pooling, stride 2: `[B, C, H, W] → [B, C, H/2, W/2]` (H and W even).
/// Backward sends each output gradient to the input that was the maximum (the first of equal
/// ones, as PyTorch), 0 to the other three.
public struct MaxPool2x2<T: EngineScalar> {
    private var winners: [Int32] = []
    private var inputShape: [Int] = []

    public init() {}

    public mutating func forward(_ x: Tensor<T>) -> Tensor<T> {
        precondition(x.shape.count == 4 && x.height % 2 == 0 && x.width % 2 == 0, "max-pool needs even H and W, got \(x.shape)")
        inputShape = x.shape
        let (h, w) = (x.height / 2, x.width / 2), planes = x.batch * x.channels, inWidth = x.width
        var y = Tensor<T>(zeros: [x.batch, x.channels, h, w])
        winners = [Int32](repeating: 0, count: y.count)
        x.values.withUnsafeBufferPointer { input in
            for plane in 0 ..< planes {
                let source = plane * x.height * inWidth, target = plane * h * w
                for row in 0 ..< h {
                    for column in 0 ..< w {
                        let topLeft = source + 2 * row * inWidth + 2 * column
                        var best = topLeft
                        for candidate in [topLeft + 1, topLeft + inWidth, topLeft + inWidth + 1] where input[candidate] > input[best] {
                            best = candidate
                        }
                        y.values[target + row * w + column] = input[best]
                        winners[target + row * w + column] = Int32(best)
                    }
                }
            }
        }
        return y
    }

    public func backward(_ dy: Tensor<T>) -> Tensor<T> {
        var dx = Tensor<T>(zeros: inputShape)
        for (index, winner) in winners.enumerated() { dx.values[Int(winner)] += dy.values[index] }
        return dx
    }
}

/// Nearest-neighbour upsampling by 2: `[B, C, H, W] → [B, C, 2H, 2W]`, y[2r + i, 2c + j] = x[r, c].
/// Backward: each input gradient is the sum of its four copies' gradients.
public enum UpsampleNearest2x {
    public static func forward<T: EngineScalar>(_ x: Tensor<T>) -> Tensor<T> {
        let (h, w) = (x.height, x.width), planes = x.batch * x.channels
        var y = Tensor<T>(zeros: [x.batch, x.channels, 2 * h, 2 * w])
        x.values.withUnsafeBufferPointer { input in
            y.values.withUnsafeMutableBufferPointer { out in
                for plane in 0 ..< planes {
                    for row in 0 ..< 2 * h {
                        let source = input.baseAddress! + plane * h * w + (row / 2) * w
                        let target = out.baseAddress! + plane * 4 * h * w + row * 2 * w
                        for column in 0 ..< 2 * w { target[column] = source[column / 2] }
                    }
                }
            }
        }
        return y
    }

    public static func backward<T: EngineScalar>(_ dy: Tensor<T>) -> Tensor<T> {
        let (h, w) = (dy.height / 2, dy.width / 2), planes = dy.batch * dy.channels
        // Every element is written once: the sum of its four copies' gradients.
        var dx = Tensor<T>(uninitialized: [dy.batch, dy.channels, h, w])
        dy.values.withUnsafeBufferPointer { dy in
            dx.values.withUnsafeMutableBufferPointer { dx in
                for plane in 0 ..< planes {
                    for row in 0 ..< h {
                        let top = dy.baseAddress! + plane * 4 * h * w + 2 * row * 2 * w, bottom = top + 2 * w
                        let out = dx.baseAddress! + plane * h * w + row * w
                        for column in 0 ..< w {
                            out[column] = top[2 * column] + top[2 * column + 1] + bottom[2 * column] + bottom[2 * column + 1]
                        }
                    }
                }
            }
        }
        return dx
    }
}

/// Channel concatenation: `[B, C₁, H, W], [B, C₂, H, W] → [B, C₁ + C₂, H, W]`; backward splits.
public enum ChannelConcat {
    public static func forward<T: EngineScalar>(_ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
        precondition(a.batch == b.batch && a.height == b.height && a.width == b.width, "concat shapes \(a.shape), \(b.shape)")
        let pixels = a.height * a.width
        var values: [T] = []
        values.reserveCapacity(a.count + b.count)
        for image in 0 ..< a.batch {
            values += a.values[image * a.channels * pixels ..< (image + 1) * a.channels * pixels]
            values += b.values[image * b.channels * pixels ..< (image + 1) * b.channels * pixels]
        }
        return Tensor(shape: [a.batch, a.channels + b.channels, a.height, a.width], values: values)
    }

    public static func backward<T: EngineScalar>(_ dy: Tensor<T>, firstChannels: Int) -> (Tensor<T>, Tensor<T>) {
        let pixels = dy.height * dy.width, second = dy.channels - firstChannels
        var a: [T] = [], b: [T] = []
        for image in 0 ..< dy.batch {
            let start = image * dy.channels * pixels
            a += dy.values[start ..< start + firstChannels * pixels]
            b += dy.values[start + firstChannels * pixels ..< start + dy.channels * pixels]
        }
        return (Tensor(shape: [dy.batch, firstChannels, dy.height, dy.width], values: a),
                Tensor(shape: [dy.batch, second, dy.height, dy.width], values: b))
    }
}

extension Tensor {
    /// Elementwise sum of two gradients of the same shape (where a skip connection joins).
    static func adding(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "adding \(a.shape) and \(b.shape)")
        var sum = a
        for i in sum.values.indices { sum.values[i] += b.values[i] }
        return sum
    }
}
