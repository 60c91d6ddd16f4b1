import Foundation
import MarginalCore

/// A training run's state in one file: UNet-S's parameters and the optimiser's moments, as
/// little-endian Float32 arrays behind a small header.
///
/// Layout: "MRGNCKPT", UInt32 version 1, UInt32 array count, then per array a UInt64 length and
/// its values. The architecture is checked on load against the model (array count and lengths),
/// so a checkpoint from another width or class count is refused in one line, never misread.
public enum Checkpoint {
    static let magic = Data("MRGNCKPT".utf8)

    public static func encode(model: UNetS<Float>, optimizer: any Optimizer<Float>) -> Data {
        var arrays: [[Float]] = []
        model.visitParameters { values, _ in arrays.append(values) }
        arrays += optimizer.moments
        var data = magic
        append(UInt32(1), to: &data)
        append(UInt32(arrays.count), to: &data)
        append(UInt32(optimizer.step), to: &data)
        for array in arrays {
            append(UInt64(array.count), to: &data)
            for value in array { append(value.bitPattern, to: &data) }
        }
        return data
    }

    /// Restores `model` and `optimizer` from `data`; `path` names the file in errors.
    public static func decode(_ data: Data, path: String, into model: UNetS<Float>, optimizer: any Optimizer<Float>) throws(MarginalError) {
        var reader = ByteReader(data: data, path: path)
        guard try reader.bytes(8) == magic else { throw MarginalError("\(path): not a marginal checkpoint") }
        guard try reader.integer(UInt32.self) == 1 else { throw MarginalError("\(path): unknown checkpoint version") }
        let count = Int(try reader.integer(UInt32.self))
        let step = Int(try reader.integer(UInt32.self))
        var shapes: [Int] = []
        model.visitParameters { values, _ in shapes.append(values.count) }
        let expected = (1 + optimizer.momentsPerParameter) * shapes.count
        guard count == expected else {
            throw MarginalError("\(path): checkpoint holds \(count) arrays, this model and optimiser need \(expected) (another architecture or optimiser?)")
        }
        var arrays: [[Float]] = []
        for index in 0 ..< count {
            let length = Int(try reader.integer(UInt64.self))
            guard length == shapes[index % shapes.count] else {
                throw MarginalError("\(path): array \(index) has \(length) values, this model needs \(shapes[index % shapes.count]) (another width or class count?)")
            }
            var values = [Float](repeating: 0, count: length)
            for j in 0 ..< length { values[j] = Float(bitPattern: try reader.integer(UInt32.self)) }
            arrays.append(values)
        }
        guard reader.atEnd else { throw MarginalError("\(path): trailing bytes after the checkpoint") }
        var index = 0
        model.visitParameters { values, _ in values = arrays[index]; index += 1 }
        optimizer.restore(step: step, moments: Array(arrays[shapes.count...]))
    }

    private static func append<I: FixedWidthInteger>(_ value: I, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}

/// Reads little-endian values off a byte buffer, failing with a one-line error when it runs out.
struct ByteReader {
    let data: Data
    let path: String
    var offset = 0

    var atEnd: Bool { offset == data.count }

    mutating func bytes(_ count: Int) throws(MarginalError) -> Data {
        guard offset + count <= data.count else { throw MarginalError("\(path): file is truncated") }
        defer { offset += count }
        return data.subdata(in: data.startIndex + offset ..< data.startIndex + offset + count)
    }

    mutating func integer<I: FixedWidthInteger>(_: I.Type) throws(MarginalError) -> I {
        let raw = try bytes(MemoryLayout<I>.size)
        return raw.withUnsafeBytes { I(littleEndian: $0.loadUnaligned(as: I.self)) }
    }
}
