import Foundation

/// The element types of NumPy's `.npy` files that marginal reads (little-endian or byte-sized).
public enum NPYDType: String, Sendable, CaseIterable {
    case float32 = "<f4", float64 = "<f8"
    case int8 = "|i1", uint8 = "|u1", bool = "|b1"
    case int16 = "<i2", uint16 = "<u2", int32 = "<i4", uint32 = "<u4", int64 = "<i8", uint64 = "<u8"

    var byteCount: Int {
        switch self {
        case .int8, .uint8, .bool: 1
        case .int16, .uint16: 2
        case .float32, .int32, .uint32: 4
        case .float64, .int64, .uint64: 8
        }
    }

    /// numpy writes one-byte types with `|`; `<` and `=` mean the same for them.
    init?(descriptor: String) {
        if let exact = NPYDType(rawValue: descriptor) { self = exact; return }
        let body = descriptor.dropFirst()
        switch (descriptor.first, body) {
        case ("<", "i1"), ("=", "i1"): self = .int8
        case ("<", "u1"), ("=", "u1"): self = .uint8
        case ("<", "b1"), ("=", "b1"): self = .bool
        case ("=", _): self.init(rawValue: "<" + body)  // native order on a little-endian machine
        default: return nil
        }
    }
}

/// An array read from a `.npy` file: its shape, element type and raw little-endian bytes.
public struct NPYArray: Sendable, Equatable {
    public let shape: [Int]
    public let dtype: NPYDType
    public let payload: Data
    /// The file's path, for error messages about its contents.
    public let path: String

    public var count: Int { shape.reduce(1, *) }

    /// The elements as `T`; only float arrays (`<f4`, `<f8`) convert.
    public func floatingValues<T: MarginalScalar>(as _: T.Type) throws(MarginalError) -> [T] {
        switch dtype {
        case .float32: return payload.withUnsafeBytes { raw in (0 ..< count).map { T(Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian)) } }
        case .float64: return payload.withUnsafeBytes { raw in (0 ..< count).map { T(Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self).littleEndian)) } }
        default: throw MarginalError("\(path): expected a float array (<f4 or <f8), found \(dtype.rawValue)")
        }
    }

    /// The elements as integers; only integer and bool arrays convert (a uint64 above Int.max is refused).
    public func integerValues() throws(MarginalError) -> [Int] {
        let count = self.count
        func load<I: FixedWidthInteger>(_: I.Type) -> [Int]? {
            payload.withUnsafeBytes { raw -> [Int]? in
                var values = [Int](repeating: 0, count: count)
                for i in 0 ..< count {
                    guard let value = Int(exactly: I(littleEndian: raw.loadUnaligned(fromByteOffset: i * I.bitWidth / 8, as: I.self))) else { return nil }
                    values[i] = value
                }
                return values
            }
        }
        let values: [Int]?
        switch dtype {
        case .int8: values = load(Int8.self)
        case .uint8, .bool: values = load(UInt8.self)
        case .int16: values = load(Int16.self)
        case .uint16: values = load(UInt16.self)
        case .int32: values = load(Int32.self)
        case .uint32: values = load(UInt32.self)
        case .int64: values = load(Int64.self)
        case .uint64: values = load(UInt64.self)
        case .float32, .float64: throw MarginalError("\(path): expected an integer array, found \(dtype.rawValue)")
        }
        guard let values else { throw MarginalError("\(path): a value does not fit in a 64-bit signed integer") }
        return values
    }
}

/// Reads a `.npy` file (format 1.0, 2.0 or 3.0). Every failure is one line naming the file:
/// missing, not NPY, a malformed header, Fortran order, big-endian or unsupported types, or a
/// data size that does not match the shape. No input crashes it.
public func readNPY(_ url: URL) throws(MarginalError) -> NPYArray {
    let path = url.path
    guard FileManager.default.fileExists(atPath: path) else { throw MarginalError("\(path): no such file") }
    guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { throw MarginalError("\(path): cannot be read") }
    return try decodeNPY(data, path: path)
}

/// Decodes the bytes of a `.npy` file; `path` names them in errors. What `readNPY` does once the
/// file is read, for bytes from elsewhere (and the fuzzer).
public func decodeNPY(_ data: Data, path: String) throws(MarginalError) -> NPYArray {
    let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    guard data.count >= 10, Array(data.prefix(6)) == magic else { throw MarginalError("\(path): not an NPY file (bad magic)") }
    let major = data[data.startIndex + 6]
    let headerLength: Int, headerStart: Int
    switch major {
    case 1:
        headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
        headerStart = 10
    case 2, 3:
        guard data.count >= 12 else { throw MarginalError("\(path): header is truncated") }
        headerLength = (0 ..< 4).reduce(0) { $0 | Int(data[data.startIndex + 8 + $1]) << (8 * $1) }
        headerStart = 12
    default:
        throw MarginalError("\(path): NPY format version \(major) is not supported (1, 2 or 3 are)")
    }
    guard headerStart + headerLength <= data.count else { throw MarginalError("\(path): header is truncated") }
    let headerBytes = data.subdata(in: data.startIndex + headerStart ..< data.startIndex + headerStart + headerLength)
    guard let header = String(data: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
        throw MarginalError("\(path): header is malformed")
    }
    let fields = try parseHeader(header, path: path)
    let payload = data.subdata(in: data.startIndex + headerStart + headerLength ..< data.endIndex)
    let (count, overflow) = fields.shape.reduce((1, false)) { partial, next in
        let product = partial.0.multipliedReportingOverflow(by: next)
        return (product.partialValue, partial.1 || product.overflow)
    }
    let (needed, overflowBytes) = count.multipliedReportingOverflow(by: fields.dtype.byteCount)
    guard !overflow, !overflowBytes, payload.count == needed else {
        let shape = "(" + fields.shape.map(String.init).joined(separator: ", ") + ")"
        throw MarginalError("\(path): file holds \(payload.count) bytes of data but shape \(shape) of \(fields.dtype.rawValue) needs \(overflow || overflowBytes ? "more" : String(needed))")
    }
    return NPYArray(shape: fields.shape, dtype: fields.dtype, payload: payload, path: path)
}

/// Parses the header dictionary, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
private func parseHeader(_ header: String, path: String) throws(MarginalError) -> (dtype: NPYDType, shape: [Int]) {
    func value(of key: String) -> Substring? {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        return rest.dropFirst().drop { $0 == " " }
    }
    // A structured dtype (numpy's record arrays) has a list or a dict for its descr.
    if let descrText = value(of: "descr"), descrText.first == "[" || descrText.first == "{" {
        var depth = 0, end = descrText.endIndex
        for index in descrText.indices {
            if "[{(".contains(descrText[index]) { depth += 1 }
            if "]})".contains(descrText[index]) { depth -= 1 }
            if depth == 0 { end = descrText.index(after: index); break }
        }
        let descriptor = descrText[..<end]
        let shown = descriptor.count > 60 ? descriptor.prefix(59) + "…" : descriptor
        throw MarginalError("\(path): unsupported dtype \(shown): a structured dtype; save a plain array of floats (<f4 <f8), integers or bool")
    }
    guard let descrText = value(of: "descr"), let quote = descrText.first, quote == "'" || quote == "\"",
          let end = descrText.dropFirst().firstIndex(of: quote) else {
        throw MarginalError("\(path): header is malformed (no 'descr')")
    }
    let descriptor = String(descrText[descrText.index(after: descrText.startIndex) ..< end])
    guard let fortran = value(of: "fortran_order") else { throw MarginalError("\(path): header is malformed (no 'fortran_order')") }
    if fortran.hasPrefix("True") {
        throw MarginalError("\(path): Fortran order is not supported; save a C-ordered array (np.ascontiguousarray)")
    }
    guard fortran.hasPrefix("False") else { throw MarginalError("\(path): header is malformed ('fortran_order')") }
    guard let dtype = NPYDType(descriptor: descriptor) else {
        if descriptor.hasPrefix(">") { throw MarginalError("\(path): big-endian dtype \(descriptor) is not supported; save with '<' byte order") }
        throw MarginalError("\(path): unsupported dtype \(descriptor) (floats <f4 <f8, integers, bool)")
    }
    guard let shapeText = value(of: "shape"), shapeText.first == "(", let close = shapeText.firstIndex(of: ")") else {
        throw MarginalError("\(path): header is malformed (no 'shape')")
    }
    var shape: [Int] = []
    for part in shapeText[shapeText.index(after: shapeText.startIndex) ..< close].split(separator: ",") {
        let trimmed = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
        if trimmed.isEmpty { continue }
        guard let dimension = Int(trimmed), dimension >= 0 else { throw MarginalError("\(path): header is malformed (shape)") }
        shape.append(dimension)
    }
    return (dtype, shape)
}

/// Writes `values` as a C-ordered `.npy` (`<f4` for Float, `<f8` for Double), format 1.0, the
/// header padded so the data starts at a multiple of 64 bytes, through `writeAtomically`.
public func writeNPY<T: MarginalScalar>(_ values: [T], shape: [Int], to url: URL) throws(MarginalError) {
    precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
    var payload = Data(capacity: values.count * MemoryLayout<T>.size)
    let dtype: NPYDType
    if let floats = values as? [Float] {
        dtype = .float32
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
    } else {
        dtype = .float64
        for value in values { withUnsafeBytes(of: Double(value).bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
    }
    try writeAtomically(npyHeader(dtype, shape) + payload, to: url)
}

/// Writes labels (or any bytes) as a `|u1` `.npy`.
public func writeNPY(labels: [UInt8], shape: [Int], to url: URL) throws(MarginalError) {
    precondition(shape.reduce(1, *) == labels.count, "shape \(shape) does not hold \(labels.count) values")
    try writeAtomically(npyHeader(.uint8, shape) + Data(labels), to: url)
}

private func npyHeader(_ dtype: NPYDType, _ shape: [Int]) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
    // magic (6) + version (2) + length (2) + header + newline ≡ 0 (mod 64)
    let padding = (64 - (10 + header.utf8.count + 1) % 64) % 64
    header += String(repeating: " ", count: padding) + "\n"
    var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
    data.append(UInt8(header.utf8.count & 0xFF))
    data.append(UInt8(header.utf8.count >> 8))
    data.append(Data(header.utf8))
    return data
}
