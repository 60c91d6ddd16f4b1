/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing.
/// crc32c("123456789") = 0xE3069283 (RFC 3720, B.4).
public func crc32c<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    // Over contiguous bytes (Data, arrays: every caller's) a pointer's loop, else byte by byte.
    if let crc = bytes.withContiguousStorageIfAvailable({ crc32c(buffer: $0) }) { return crc }
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = crc32cTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

private func crc32c(buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
    crc32cTable.withUnsafeBufferPointer { table in
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in buffer { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// The masked CRC TFRecord stores: rotated right by 15 bits plus a constant, so that a CRC of
/// bytes that themselves hold CRCs is not degenerate (TensorFlow's `crc32c::Mask`).
public func maskedCRC32C<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    let crc = crc32c(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
}

private let crc32cTable: [UInt32] = (0 ..< 256).map { index in
    var crc = UInt32(index)
    for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    return crc
}
