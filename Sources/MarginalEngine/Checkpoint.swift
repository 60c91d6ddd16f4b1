import Foundation
import MarginalCore

/// A training run's state in one file: the model's parameters, the optimiser's state and where
/// the run stood (`CheckpointInfo`: step, learning rate, plateau).
///
/// Layout (little-endian): "MRGNCKPT", UInt32 version (3), UInt64 byte length and the bytes of
/// `ParameterStore.serialized()`, UInt64 byte length and the bytes of `Optimizer.stateData()`,
/// UInt64 byte length and `CheckpointInfo` as JSON (length 0: none). The step travels with the
/// weights in one atomic file: with it in `checkpoint.json` alone, a kill between the two writes
/// left new weights beside the old step, and the resume replayed steps on weights already past
/// them (the kill storm's final weights then differed). `checkpoint.json` stays as a copy people
/// and scripts can read. Version 2 (no info part) is still read.
/// The parts are checked against the receiving model and optimiser before either is changed, so
/// a checkpoint of another architecture or optimiser is refused in one line, never misread.
public enum Checkpoint {
    static var magic: Data { Data("MRGNCKPT".utf8) }

    public static func encode<T: EngineScalar>(model: UNetS<T>, optimizer: any Optimizer<T>, info: CheckpointInfo? = nil) -> Data {
        var writer = LittleEndianWriter()
        writer.append(magic)
        writer.append(UInt32(3))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let infoBytes = info.flatMap { try? encoder.encode($0) } ?? Data()
        for part in [model.parameters.serialized(), optimizer.stateData(), infoBytes] {
            writer.append(UInt64(part.count))
            writer.append(part)
        }
        return writer.data
    }

    /// Restores `model` and `optimizer` from `data`, and gives the run's position the file holds
    /// (nil for version 2 or a checkpoint saved without one); `path` names the file in errors.
    @discardableResult
    public static func decode<T: EngineScalar>(_ data: Data, path: String, into model: UNetS<T>,
                                               optimizer: any Optimizer<T>) throws(MarginalError) -> CheckpointInfo? {
        var reader = LittleEndianReader(data, source: path)
        guard reader.remaining >= 8, try reader.bytes(8) == magic else { throw MarginalError("\(path): not a marginal checkpoint") }
        let version = try reader.integer(UInt32.self)
        guard version == 2 || version == 3 else { throw MarginalError("\(path): checkpoint version \(version); this marginal reads versions 2 and 3") }
        let parameterBytes = try reader.bytes(try reader.count(UInt64.self, limit: reader.remaining, what: "part length"))
        let optimizerBytes = try reader.bytes(try reader.count(UInt64.self, limit: reader.remaining, what: "part length"))
        var info: CheckpointInfo?
        if version == 3 {
            let infoBytes = try reader.bytes(try reader.count(UInt64.self, limit: reader.remaining, what: "part length"))
            if !infoBytes.isEmpty {
                guard let decoded = try? JSONDecoder().decode(CheckpointInfo.self, from: infoBytes) else {
                    throw MarginalError("\(path): the run's position (step, learning rate) is not readable")
                }
                info = decoded
            }
        }
        guard reader.isAtEnd else { throw MarginalError("\(path): \(reader.remaining) unexpected bytes after the checkpoint") }
        var parameters = model.parameters
        try parameters.load(parameterBytes, source: path)
        // Throws before anything is assigned when the optimiser state does not fit.
        try optimizer.loadState(optimizerBytes, source: path, parameterCount: parameters.count)
        model.parameters = parameters
        return info
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

    public init(step: Int, epoch: Double, learningRate: Double, plateau: ReduceOnPlateau, bestMIoU: Double?) {
        self.step = step; self.epoch = epoch; self.learningRate = learningRate; self.plateau = plateau; self.bestMIoU = bestMIoU
    }

    enum CodingKeys: String, CodingKey {
        case step, epoch, plateau
        case learningRate = "lr", bestMIoU = "best_miou"
    }
}
