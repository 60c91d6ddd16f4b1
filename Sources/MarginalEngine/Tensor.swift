/// A dense tensor in C order: for images, `[B, C, H, W]` (NCHW). A value type: copies share
/// storage until one is written (Swift arrays' copy-on-write).
public struct Tensor<T: EngineScalar>: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var values: [T]

    public init(shape: [Int], values: [T]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [T](repeating: 0, count: shape.reduce(1, *)))
    }

    /// A tensor whose every element the caller overwrites before reading (no zero-filling:
    /// for the large activations and gradients, filling memory that is written next costs as much
    /// as a layer's own arithmetic).
    public init(uninitialized shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, values: [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count })
    }

    public var count: Int { values.count }
    /// For `[B, C, H, W]`.
    public var batch: Int { shape[0] }
    public var channels: Int { shape[1] }
    public var height: Int { shape[2] }
    public var width: Int { shape[3] }
}
