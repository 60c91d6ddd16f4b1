/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing.
/// crc32c("123456789") = 0xE3069283 (RFC 3720, B.4).
public func crc32c<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    // Over contiguous bytes (Data, arrays: every caller's) a pointer's loop, else byte by byte.
    if let crc = bytes.withContiguousStorageIfAvailable({ crc32c(UnsafeRawBufferPointer($0)) }) { return crc }
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = crc32cTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

/// CRC-32C of raw bytes, eight at a time ("slice-by-8", Intel's): table k holds the CRC of a
/// byte followed by k zero bytes, so the CRC of 8 bytes is the XOR of 8 lookups, one a byte,
/// instead of 8 dependent steps; the bytes left over go one at a time.
func crc32c(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
    crc32cTables.withUnsafeBufferPointer { table in
        var crc: UInt32 = 0xFFFF_FFFF
        var index = 0
        let count = buffer.count
        while index + 8 <= count {
            let low = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
            let high = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
            crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
            index += 8
        }
        while index < count {
            crc = table[Int((crc ^ UInt32(buffer[index])) & 0xFF)] ^ (crc >> 8)
            index += 1
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// The masked CRC TFRecord stores: rotated right by 15 bits plus a constant, so that a CRC of
/// bytes that themselves hold CRCs is not degenerate (TensorFlow's `crc32c::Mask`).
public func maskedCRC32C<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    masked(crc32c(bytes))
}

/// `maskedCRC32C` of raw bytes.
func maskedCRC32C(_ buffer: UnsafeRawBufferPointer) -> UInt32 { masked(crc32c(buffer)) }

private func masked(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8 }

private let crc32cTable: [UInt32] = (0 ..< 256).map { index in
    var crc = UInt32(index)
    for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    return crc
}

/// Slice-by-8's tables, one after another: table 0 is `crc32cTable`, table k + 1 at byte b is
/// table k's CRC of b run through one more zero byte.
private let crc32cTables: [UInt32] = {
    var tables = crc32cTable + [UInt32](repeating: 0, count: 7 * 256)
    for k in 1 ..< 8 {
        for byte in 0 ..< 256 {
            let previous = tables[(k - 1) * 256 + byte]
            tables[k * 256 + byte] = crc32cTable[Int(previous & 0xFF)] ^ (previous >> 8)
        }
    }
    return tables
}()
