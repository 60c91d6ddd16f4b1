import MarginalCore

/// Every trainable number of a network in one flat array, beside an array of the same length for
/// ∂loss/∂parameter, cut into named tensors (`e1a.weight` `[16, 1, 3, 3]`, `e1a.bias` `[16]`, …).
///
/// Layers hold the index of their tensors here, not the numbers, so one store is the single source
/// of truth that optimisers update (a per-tensor rule over contiguous memory), checkpoints save
/// (see `ParameterStore+Serialization.swift`) and gradient checks perturb.
public struct ParameterStore<T: EngineScalar>: Sendable, Equatable {
    /// One named tensor of the store.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// Where the tensor starts in `values` and `gradients`.
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        public var range: Range<Int> { offset ..< offset + count }
    }

    /// The tensors in the order they were added.
    public private(set) var entries: [Entry] = []
    /// All parameters, tensor after tensor, each in C order.
    public var values: [T] = []
    /// ∂loss/∂values, the same layout. Backward passes add to it; `zeroGradients` clears it.
    public var gradients: [T] = []

    public init() {}

    /// Adds a tensor and returns its index (what a layer keeps).
    @discardableResult
    public mutating func append(_ name: String, shape: [Int], values initial: [T]) -> Int {
        precondition(shape.reduce(1, *) == initial.count, "\(name): shape \(shape) does not hold \(initial.count) values")
        precondition(!entries.contains { $0.name == name }, "\(name): a parameter of this name exists already")
        entries.append(Entry(name: name, shape: shape, offset: values.count))
        values += initial
        gradients += [T](repeating: 0, count: initial.count)
        return entries.count - 1
    }

    /// The number of scalars (not tensors).
    public var count: Int { values.count }

    /// A copy of tensor `index`.
    public func tensor(_ index: Int) -> Tensor<T> {
        let entry = entries[index]
        return Tensor(shape: entry.shape, values: Array(values[entry.range]))
    }

    /// A copy of the gradient of tensor `index`.
    public func gradient(_ index: Int) -> Tensor<T> {
        let entry = entries[index]
        return Tensor(shape: entry.shape, values: Array(gradients[entry.range]))
    }

    /// The index of the tensor called `name`, if any.
    public func index(of name: String) -> Int? { entries.firstIndex { $0.name == name } }

    /// Sets every gradient to 0 (before a backward pass, which adds to them).
    public mutating func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

/// He (Kaiming) normal initialisation for a layer followed by ReLU (He et al. 2015, eq. 10):
/// w ~ N(0, 2 / fan_in), fan_in = inputs · k², as PyTorch's
/// `kaiming_normal_(w, mode="fan_in", nonlinearity="relu")`. Deterministic for a generator state.
public func heNormal<T: EngineScalar>(count: Int, fanIn: Int, generator: inout SeededRandom) -> [T] {
    precondition(fanIn > 0, "fan_in must be positive")
    let deviation = (2 / Double(fanIn)).squareRoot()
    return (0 ..< count).map { _ in T(deviation * generator.normal()) }
}
