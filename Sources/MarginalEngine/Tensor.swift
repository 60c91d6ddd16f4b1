/// A dense tensor of `T` in C order: for images `[B, C, H, W]` (NCHW), for a convolution's
/// weights `[O, I, k, k]`.
///
/// A value type: copies share the storage (a Swift array) until one of them is written, so passing
/// a tensor around costs a reference count, not a copy. The engine's networks keep their
/// activations in tensors they alone hold and overwrite them in place step after step (see
/// `resize(to:)`), so training allocates nothing once the first step has run.
public struct Tensor<T: EngineScalar>: Sendable, Equatable {
    /// The extent of each dimension; their product is `values.count`.
    public private(set) var shape: [Int]
    /// The elements in C order (the last dimension varies fastest).
    public var values: [T]

    /// A tensor holding `values` in C order; `shape`'s product must be `values.count`.
    public init(shape: [Int], values: [T]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// All elements `value`.
    public init(shape: [Int], repeating value: T) {
        self.init(shape: shape, values: [T](repeating: value, count: shape.reduce(1, *)))
    }

    /// All elements 0.
    public init(zeros shape: [Int]) { self.init(shape: shape, repeating: 0) }

    /// A tensor whose every element the caller writes before reading it. For the large
    /// activations, filling memory that is overwritten next would cost as much as a cheap layer.
    public init(uninitialized shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, values: [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count })
    }

    /// The empty tensor `[0]`.
    public init() { self.init(shape: [0], values: []) }

    /// The number of elements.
    public var count: Int { values.count }
    /// `B` of `[B, C, H, W]`.
    public var batch: Int { shape[0] }
    /// `C` of `[B, C, H, W]`.
    public var channels: Int { shape[1] }
    /// `H` of `[B, C, H, W]`.
    public var height: Int { shape[2] }
    /// `W` of `[B, C, H, W]`.
    public var width: Int { shape[3] }

    /// Gives the tensor `shape` for the caller to overwrite every element: the storage is kept when
    /// the element count does not change (the contents are then stale, not zero), and replaced by
    /// uninitialised storage when it does. This is how a layer writes into a buffer it was handed,
    /// step after step, without allocating.
    public mutating func resize(to shape: [Int]) {
        if shape == self.shape { return }
        let count = shape.reduce(1, *)
        if count != values.count {
            values = [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }
        self.shape = shape
    }

    /// Reads the elements in place.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer(body)
    }

    /// Writes the elements in place (copying them first only if another tensor shares them).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<T>) throws -> R) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Sets every element to 0.
    public mutating func zero() {
        values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor\(shape)" }
}
