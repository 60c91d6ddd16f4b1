import Foundation

/// Checks on figure files by their bytes, for the plot tests.
public enum FigureFiles {
    /// The PNG signature, `\x89PNG\r\n\x1a\n`.
    public static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Width and height from a PNG's IHDR chunk (the first chunk, big-endian, bytes 16–23);
    /// nil if the bytes are not a PNG.
    public static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, Array(bytes[0 ..< 8]) == pngSignature, bytes[12 ..< 16].elementsEqual("IHDR".utf8) else {
            return nil
        }
        func be32(_ i: Int) -> Int { bytes[i ..< i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    /// Whether the bytes look like a whole PDF: `%PDF-` first, `%%EOF` in the last bytes.
    public static func isPDF(_ data: Data) -> Bool {
        data.starts(with: Array("%PDF-".utf8)) && String(decoding: data.suffix(32), as: UTF8.self).contains("%%EOF")
    }

    /// The `/CreationDate (…)` string of a PDF's info dictionary, if any.
    public static func pdfCreationDate(_ data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.range(of: "/CreationDate (") else { return nil }
        guard let end = text[start.upperBound...].firstIndex(of: ")") else { return nil }
        return String(text[start.upperBound ..< end])
    }
}
