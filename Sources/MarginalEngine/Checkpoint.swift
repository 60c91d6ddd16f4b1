import Foundation
import MarginalCore

/// A training run's state in one file: the model's parameters and the optimiser's state.
///
/// Layout (little-endian): "MRGNCKPT", UInt32 version (2), UInt64 byte length and the bytes of
/// `ParameterStore.serialized()`, UInt64 byte length and the bytes of `Optimizer.stateData()`.
/// Both parts are checked against the receiving model and optimiser before either is changed, so
/// a checkpoint of another architecture or optimiser is refused in one line, never misread.
public enum Checkpoint {
    static var magic: Data { Data("MRGNCKPT".utf8) }

    public static func encode<T: EngineScalar>(model: UNetS<T>, optimizer: any Optimizer<T>) -> Data {
        var writer = LittleEndianWriter()
        writer.append(magic)
        writer.append(UInt32(2))
        for part in [model.parameters.serialized(), optimizer.stateData()] {
            writer.append(UInt64(part.count))
            writer.append(part)
        }
        return writer.data
    }

    /// Restores `model` and `optimizer` from `data`; `path` names the file in errors.
    public static func decode<T: EngineScalar>(_ data: Data, path: String, into model: UNetS<T>,
                                               optimizer: any Optimizer<T>) throws(MarginalError) {
        var reader = LittleEndianReader(data, source: path)
        guard reader.remaining >= 8, try reader.bytes(8) == magic else { throw MarginalError("\(path): not a marginal checkpoint") }
        let version = try reader.integer(UInt32.self)
        guard version == 2 else { throw MarginalError("\(path): checkpoint version \(version); this marginal reads version 2") }
        let parameterBytes = try reader.bytes(try reader.count(UInt64.self, limit: reader.remaining, what: "part length"))
        let optimizerBytes = try reader.bytes(try reader.count(UInt64.self, limit: reader.remaining, what: "part length"))
        guard reader.isAtEnd else { throw MarginalError("\(path): \(reader.remaining) unexpected bytes after the checkpoint") }
        var parameters = model.parameters
        try parameters.load(parameterBytes, source: path)
        // Throws before anything is assigned when the optimiser state does not fit.
        try optimizer.loadState(optimizerBytes, source: path, parameterCount: parameters.count)
        model.parameters = parameters
    }
}

/// `checkpoint.json`: what `checkpoint.bin` holds.
public struct CheckpointInfo: Codable, Sendable, Equatable {
    public var step: Int
    public var epoch: Double
    public var learningRate: Double
    /// The learning-rate rule's state: the best validation loss and the evaluations since.
    public var plateau: ReduceOnPlateau
    public var bestMIoU: Double?

    enum CodingKeys: String, CodingKey {
        case step, epoch, plateau
        case learningRate = "lr", bestMIoU = "best_miou"
    }
}
