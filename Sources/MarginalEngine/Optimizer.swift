import Foundation
import MarginalCore

/// A first-order optimiser: one rule applied to each parameter tensor of a `ParameterStore`,
/// from its gradient and its own slices of the optimiser's per-element buffers (momentum; Adam's
/// moments). The loop over tensors, the step count, and saving and loading the state for a resumed
/// run are shared (`OptimizerState`); an optimiser writes only its rule.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: EngineScalar
    /// η, the base learning rate: a schedule scales it per step, `ReduceOnPlateau` lowers it.
    var learningRate: Double { get set }
    /// The learning rate the next update uses (η after any schedule): what a run logs as "lr".
    var currentLearningRate: Double { get }
    /// Updates applied so far.
    var step: Int { get }
    /// One update of every parameter from `parameters.gradients`.
    func update(_ parameters: inout ParameterStore<Scalar>)
    /// Everything a resumed run needs to continue exactly: step, η, per-element buffers.
    func stateData() -> Data
    /// Restores `stateData()`'s bytes for a store of `parameterCount` scalars; `source` names the
    /// bytes in errors. Throws, changing nothing, on bytes of another optimiser or model.
    func loadState(_ data: Data, source: String, parameterCount: Int) throws(MarginalError)
}

/// What every optimiser keeps: the step count, η, and per-element buffers laid out like the
/// parameter store (allocated, as zeros, at the first update).
public struct OptimizerState<T: EngineScalar>: Sendable, Equatable {
    /// "sgd", "adam": checked on load.
    public let kind: String
    public var step = 0
    public var learningRate: Double
    /// One array per buffer name, each empty before the first update or `parameterCount` long.
    public var buffers: [[T]]

    public init(kind: String, learningRate: Double, bufferCount: Int) {
        self.kind = kind
        self.learningRate = learningRate
        buffers = Array(repeating: [], count: bufferCount)
    }

    /// Counts one more step, then runs `rule` on every tensor of `parameters` with its slice of the
    /// values and gradients and pointers to its slice of each buffer (allocated as zeros the first
    /// time).
    mutating func forEachTensor(
        of parameters: inout ParameterStore<T>,
        _ rule: (_ values: UnsafeMutableBufferPointer<T>, _ gradients: UnsafeBufferPointer<T>,
                 _ buffers: [UnsafeMutablePointer<T>]) -> Void
    ) {
        let count = parameters.count
        for index in buffers.indices where buffers[index].count != count {
            precondition(buffers[index].isEmpty, "optimiser state holds \(buffers[index].count) values, the parameters \(count)")
            buffers[index] = [T](repeating: 0, count: count)
        }
        step += 1
        withMutableBases(from: 0, collected: []) { bases in
            parameters.gradients.withUnsafeBufferPointer { gradients in
                parameters.values.withUnsafeMutableBufferPointer { values in
                    for entry in parameters.entries {
                        rule(UnsafeMutableBufferPointer(rebasing: values[entry.range]),
                             UnsafeBufferPointer(rebasing: gradients[entry.range]),
                             bases.map { $0 + entry.offset })
                    }
                }
            }
        }
    }

    /// Calls `body` with the base address of every buffer, each inside its own
    /// `withUnsafeMutableBufferPointer` (so no pointer outlives its access).
    private mutating func withMutableBases(from index: Int, collected: [UnsafeMutablePointer<T>],
                                           _ body: ([UnsafeMutablePointer<T>]) -> Void) {
        guard index < buffers.count else { return body(collected) }
        var buffer: [T] = []
        swap(&buffer, &buffers[index])
        defer { swap(&buffer, &buffers[index]) }
        buffer.withUnsafeMutableBufferPointer { pointer in
            withMutableBases(from: index + 1, collected: collected + [pointer.baseAddress!], body)
        }
    }

    static var magic: Data { Data("MRGNOPTM".utf8) }

    /// "MRGNOPTM", UInt32 version (1), kind, UInt64 step, binary64 η, UInt32 element width,
    /// UInt32 buffer count, per buffer a UInt64 length and its elements; all little-endian.
    public func serialized() -> Data {
        var writer = LittleEndianWriter()
        writer.append(Self.magic)
        writer.append(UInt32(1))
        writer.append(kind)
        writer.append(UInt64(step))
        writer.append(learningRate.bitPattern)
        writer.append(UInt32(T.storageWidth))
        writer.append(UInt32(buffers.count))
        for buffer in buffers {
            writer.append(UInt64(buffer.count))
            writer.append(buffer, width: T.storageWidth)
        }
        return writer.data
    }

    /// The state in `data`, checked against this optimiser's kind and buffer count and a store of
    /// `parameterCount` scalars.
    public func decoded(_ data: Data, source: String, parameterCount: Int) throws(MarginalError) -> OptimizerState {
        var reader = LittleEndianReader(data, source: source)
        guard reader.remaining >= 8, try reader.bytes(8) == Self.magic else {
            throw MarginalError("\(source): not a marginal optimiser state")
        }
        let version = try reader.integer(UInt32.self)
        guard version == 1 else { throw MarginalError("\(source): optimiser state version \(version); this marginal reads version 1") }
        let storedKind = try reader.string()
        guard storedKind == kind else { throw MarginalError("\(source): holds \(storedKind) state, but the optimiser is \(kind)") }
        var state = self
        state.step = try reader.count(UInt64.self, limit: Int(Int64.max), what: "step")
        state.learningRate = Double(bitPattern: try reader.integer(UInt64.self))
        guard state.learningRate.isFinite, state.learningRate >= 0 else {
            throw MarginalError("\(source): learning rate \(state.learningRate) is not a finite number ≥ 0")
        }
        let width = Int(try reader.integer(UInt32.self))
        guard width == 4 || width == 8 else { throw MarginalError("\(source): element width \(width) bytes; expected 4 or 8") }
        let bufferCount = try reader.count(UInt32.self, limit: 64, what: "buffer count")
        guard bufferCount == buffers.count else {
            throw MarginalError("\(source): \(bufferCount) state buffers, \(kind) keeps \(buffers.count)")
        }
        for index in 0 ..< bufferCount {
            let length = try reader.count(UInt64.self, limit: Int(Int32.max), what: "buffer length")
            guard length == 0 || length == parameterCount else {
                throw MarginalError("\(source): \(kind) state for \(length) parameters, this model has \(parameterCount) (another architecture?)")
            }
            state.buffers[index] = try reader.values(length, width: width, as: T.self)
        }
        guard reader.isAtEnd else { throw MarginalError("\(source): \(reader.remaining) unexpected bytes after the optimiser state") }
        return state
    }
}
