import Foundation
import MarginalCore

/// Parameters as bytes, for checkpoints.
///
/// Layout (all little-endian): "MRGNPARM", UInt32 version (1), UInt32 element width (4 = binary32,
/// 8 = binary64), UInt32 tensor count; per tensor a UInt32-length UTF-8 name, UInt32 rank and
/// rank UInt32 extents; then every tensor's elements in store order. Loading checks names and
/// shapes against the receiving store first, so a file of another architecture (width, classes,
/// input channels) is refused in one line before anything is overwritten.
extension ParameterStore {
    static var magic: Data { Data("MRGNPARM".utf8) }

    /// The parameters as bytes, elements in `T`'s own width.
    public func serialized() -> Data {
        var writer = LittleEndianWriter()
        writer.append(Self.magic)
        writer.append(UInt32(1))
        writer.append(UInt32(T.storageWidth))
        writer.append(UInt32(entries.count))
        for entry in entries {
            writer.append(entry.name)
            writer.append(UInt32(entry.shape.count))
            for extent in entry.shape { writer.append(UInt32(extent)) }
        }
        writer.append(values, width: T.storageWidth)
        return writer.data
    }

    /// Replaces the values by those in `data` (gradients are left alone); `source` names the bytes
    /// in errors. Throws, changing nothing, when the data is not a parameter file or holds another
    /// architecture.
    public mutating func load(_ data: Data, source: String) throws(MarginalError) {
        var reader = LittleEndianReader(data, source: source)
        try load(from: &reader)
        guard reader.isAtEnd else { throw MarginalError("\(source): \(reader.remaining) unexpected bytes after the parameters") }
    }

    mutating func load(from reader: inout LittleEndianReader) throws(MarginalError) {
        let source = reader.source
        guard reader.remaining >= 8, try reader.bytes(8) == Self.magic else {
            throw MarginalError("\(source): not a marginal parameter file")
        }
        let version = try reader.integer(UInt32.self)
        guard version == 1 else { throw MarginalError("\(source): parameter format version \(version); this marginal reads version 1") }
        let width = Int(try reader.integer(UInt32.self))
        guard width == 4 || width == 8 else { throw MarginalError("\(source): element width \(width) bytes; expected 4 or 8") }
        let tensors = try reader.count(UInt32.self, limit: 1 << 20, what: "tensor count")
        guard tensors == entries.count else {
            throw MarginalError("\(source): holds \(tensors) parameter tensors, this model has \(entries.count) (another architecture?)")
        }
        for entry in entries {
            let name = try reader.string()
            let rank = try reader.count(UInt32.self, limit: 8, what: "rank")
            var shape: [Int] = []
            for _ in 0 ..< rank { shape.append(Int(try reader.integer(UInt32.self))) }
            guard name == entry.name, shape == entry.shape else {
                throw MarginalError("\(source): tensor \(name) \(shape) where this model has \(entry.name) \(entry.shape) (another width, class count or input channels?)")
            }
        }
        values = try reader.values(values.count, width: width, as: T.self)
    }
}
