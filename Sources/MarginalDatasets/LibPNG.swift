import CPNG
import Foundation
import MarginalCore

/// libpng's read and write, one Swift function per C call of `Sources/CPNG/shim.h`, each turning
/// the shim's status code and message into a throw. `PNGImage` is the typed API over these.
enum LibPNG {
    /// What `marginal_png_read` decoded.
    struct Decoded {
        let width: Int
        let height: Int
        /// 1 (gray, palette index) or 3 (RGB).
        let channels: Int
        /// `height × width × channels` samples of 1 byte, or of 2 big-endian bytes if `wide`.
        let bytes: [UInt8]
        let wide: Bool
        /// Whether the file is palette-indexed (PNG colour type 3).
        let isPalette: Bool
        /// The file's palette as RGB triples (empty unless `isPalette`).
        let palette: [UInt8]
    }

    enum ColorType {
        case gray, rgb, palette
    }

    /// Decodes a whole PNG file: as a picture (8-bit gray or RGB) or as labels (values as stored,
    /// palette not expanded). Throws libpng's message (or the shim's) without a file name.
    /// Underneath: `marginal_png_read`, which holds the setjmp for libpng's errors.
    static func read(_ data: Data, labels: Bool) throws(MarginalError) -> Decoded {
        var result = marginal_png_result()
        let status = data.withUnsafeBytes { bytes in
            marginal_png_read(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count,
                              Int32(labels ? MARGINAL_PNG_READ_LABELS : MARGINAL_PNG_READ_IMAGE), &result)
        }
        guard status == 0 else {
            let message = withUnsafeBytes(of: &result.message) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            throw MarginalError(message.isEmpty ? "cannot decode the PNG" : message)
        }
        defer { marginal_png_release(&result) }
        let width = Int(result.width), height = Int(result.height), channels = Int(result.channels)
        let wide = result.bytes_per_sample == 2
        let count = width * height * channels * (wide ? 2 : 1)
        let palette = withUnsafeBytes(of: &result.palette) { Array($0.prefix(3 * Int(result.palette_count))) }
        return Decoded(width: width, height: height, channels: channels, bytes: Array(UnsafeBufferPointer(start: result.pixels, count: count)),
                       wide: wide, isPalette: result.color_type == PNG_COLOR_TYPE_PALETTE, palette: palette)
    }

    /// Encodes 8-bit `pixels` (`height × width × (3 for RGB, else 1)`) as a PNG file; `palette`
    /// holds RGB triples for `.palette`. Underneath: `marginal_png_write`.
    static func write(_ pixels: [UInt8], width: Int, height: Int, as colorType: ColorType, palette: [UInt8] = []) throws(MarginalError) -> Data {
        let code = switch colorType {
        case .gray: PNG_COLOR_TYPE_GRAY
        case .rgb: PNG_COLOR_TYPE_RGB
        case .palette: PNG_COLOR_TYPE_PALETTE
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(MARGINAL_PNG_MESSAGE_SIZE))
        let status = pixels.withUnsafeBufferPointer { pixelBuffer in
            palette.withUnsafeBufferPointer { paletteBuffer in
                marginal_png_write(pixelBuffer.baseAddress, UInt32(width), UInt32(height), Int32(code), paletteBuffer.baseAddress,
                                   Int32(palette.count / 3), &output, &size, &message)
            }
        }
        guard status == 0, let output else {
            let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw MarginalError(reason.isEmpty ? "cannot encode the PNG" : reason)
        }
        defer { free(output) }
        return Data(bytes: output, count: size)
    }
}
