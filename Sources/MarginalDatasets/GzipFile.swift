import CZlib
import Foundation
import MarginalCore

/// The bytes of the file at `path`, gunzipped if it is gzip-compressed (zlib's gzopen/gzread,
/// which pass an uncompressed file through as it is).
func readGzipOrPlainFile(_ path: String) throws(MarginalError) -> Data {
    guard let file = gzopen(path, "rb") else {
        throw MarginalError("\(path): cannot open (\(String(cString: strerror(errno))))")
    }
    defer { gzclose(file) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
        if count < 0 {
            var code: Int32 = 0
            throw MarginalError("\(path): cannot decompress (\(String(cString: gzerror(file, &code))))")
        }
        if count == 0 { break }
        data.append(contentsOf: buffer[0 ..< Int(count)])
    }
    return data
}
