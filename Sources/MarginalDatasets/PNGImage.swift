import Foundation
import MarginalCore

/// An 8-bit PNG picture held in memory: gray, RGB, or palette indices with their palette.
///
/// Reading and writing go through libpng (`LibPNG`, over `marginal_png_read` / `marginal_png_write`
/// in `Sources/CPNG/shim.h`, which hold the setjmp that libpng's error handling needs); every
/// failure is one `MarginalError` line naming the file.
public struct PNGImage: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        /// One byte a pixel, 0 black … 255 white.
        case gray
        /// Three bytes a pixel, red green blue.
        case rgb
        /// One byte a pixel, an index into the palette's RGB colours (at most 256).
        case palette([PaletteColor])
    }

    public struct PaletteColor: Sendable, Equatable {
        public var red: UInt8, green: UInt8, blue: UInt8
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }
    }

    /// How a file is decoded.
    public enum ReadMode: Sendable {
        /// A picture: gray or RGB, 8 bits (palettes expanded to RGB, 1/2/4-bit gray scaled to
        /// 0…255, 16 bits scaled to 8, alpha dropped).
        case picture
        /// A label map: one value a pixel as stored — palette indices, not their colours; gray
        /// values unscaled. Colour (RGB) files and values above 255 are refused.
        case labels
    }

    public let width: Int
    public let height: Int
    public let format: Format
    /// `height × width × channels` bytes, row-major, channels interleaved.
    public let pixels: [UInt8]

    public var channels: Int { format == .rgb ? 3 : 1 }

    /// Checks that `pixels` holds `height × width × channels` bytes.
    public init(width: Int, height: Int, format: Format, pixels: [UInt8]) throws(MarginalError) {
        guard width > 0, height > 0 else { throw MarginalError("PNG size \(width) x \(height) has an empty side") }
        let channels = format == .rgb ? 3 : 1
        guard pixels.count == width * height * channels else {
            throw MarginalError("PNG \(width) x \(height) x \(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        }
        if case .palette(let colors) = format {
            guard (1 ... 256).contains(colors.count) else { throw MarginalError("a PNG palette holds 1 to 256 colours, not \(colors.count)") }
            if let index = pixels.first(where: { Int($0) >= colors.count }) {
                throw MarginalError("palette index \(index) is beyond the palette's \(colors.count) colours")
            }
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// A label map as a palette PNG: class `k` gets colour `k` of `labelPalette` (255, the ignore
    /// index, is white), so the file shows the classes and still holds their ids.
    public static func labelMap(_ labels: [UInt8], width: Int, height: Int) throws(MarginalError) -> PNGImage {
        try PNGImage(width: width, height: height, format: .palette(labelPalette), pixels: labels)
    }

    /// 256 colours for class ids: PASCAL VOC's bit-interleaved colour map (0 black, 1 dark red,
    /// 2 dark green, … 15 (192, 128, 128)), with 255 (ignore) white.
    public static let labelPalette: [PaletteColor] = (0 ..< 256).map { index in
        if index == 255 { return PaletteColor(255, 255, 255) }
        var (r, g, b) = (0, 0, 0)
        var value = index
        for shift in stride(from: 7, through: 0, by: -1) {
            r |= (value & 1) << shift
            g |= ((value >> 1) & 1) << shift
            b |= ((value >> 2) & 1) << shift
            value >>= 3
            if value == 0 { break }
        }
        return PaletteColor(UInt8(r), UInt8(g), UInt8(b))
    }

    /// A standardised `channels × height × width` image (a sample's, or a network input) as a
    /// picture to look at: gray for 1 channel, RGB for 3; value `v` becomes
    /// `128 + 40·v` clamped to 0…255, so ±3.2 deviations span the range.
    public static func picture(standardised image: [Float], channels: Int, height: Int, width: Int) throws(MarginalError) -> PNGImage {
        guard channels == 1 || channels == 3 else { throw MarginalError("a picture has 1 or 3 channels, not \(channels)") }
        guard image.count == channels * height * width else {
            throw MarginalError("an image of \(channels) x \(height) x \(width) needs \(channels * height * width) values, got \(image.count)")
        }
        let pixels = height * width
        var bytes = [UInt8](repeating: 0, count: image.count)
        for channel in 0 ..< channels {
            for i in 0 ..< pixels {
                let value = image[channel * pixels + i]
                bytes[i * channels + channel] = value.isNaN ? 0 : UInt8(max(0, min(255, (128 + 40 * value).rounded())))
            }
        }
        return try PNGImage(width: width, height: height, format: channels == 3 ? .rgb : .gray, pixels: bytes)
    }

    /// The first bytes of every PNG file.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads the PNG file at `path`.
    public static func read(contentsOf path: String, as mode: ReadMode = .picture) throws(MarginalError) -> PNGImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MarginalError("\(path): missing or unreadable")
        }
        return try decode(data, path: path, as: mode)
    }

    /// Decodes PNG bytes; `path` names them in errors.
    public static func decode(_ data: Data, path: String, as mode: ReadMode = .picture) throws(MarginalError) -> PNGImage {
        guard data.count >= 8, data.prefix(8).elementsEqual(signature) else {
            throw MarginalError("\(path): not a PNG file (bad signature)")
        }
        let decoded: LibPNG.Decoded
        do { decoded = try LibPNG.read(data, labels: mode == .labels) } catch { throw MarginalError("\(path): \(error.description)") }
        let (width, height, channels) = (decoded.width, decoded.height, decoded.channels)
        var pixels: [UInt8]
        if decoded.wide {
            // 16-bit label maps: big-endian values, which must fit a byte.
            let samples = width * height * channels
            pixels = [UInt8](repeating: 0, count: samples)
            for i in 0 ..< samples {
                let value = Int(decoded.bytes[2 * i]) << 8 | Int(decoded.bytes[2 * i + 1])
                guard value <= 255 else {
                    throw MarginalError("\(path): 16-bit value \(value) at row \(i / width), column \(i % width) does not fit a class id (0…255)")
                }
                pixels[i] = UInt8(value)
            }
        } else {
            pixels = decoded.bytes
        }
        let format: Format
        if channels == 3 {
            format = .rgb
        } else if mode == .labels, decoded.isPalette {
            let colors = stride(from: 0, to: decoded.palette.count, by: 3).map {
                PaletteColor(decoded.palette[$0], decoded.palette[$0 + 1], decoded.palette[$0 + 2])
            }
            // libpng accepts indices past the palette's end; a label map may hold them (e.g. 255).
            format = colors.isEmpty ? .gray : .palette(colors)
        } else {
            format = .gray
        }
        if case .palette(let colors) = format, pixels.contains(where: { Int($0) >= colors.count }) {
            // Keep the ids; pad the palette so that the image stays valid and writable.
            let padded = colors + labelPalette[colors.count...]
            return try PNGImage(width: width, height: height, format: .palette(Array(padded)), pixels: pixels)
        }
        return try PNGImage(width: width, height: height, format: format, pixels: pixels)
    }

    /// The PNG file's bytes.
    public func encoded() throws(MarginalError) -> Data {
        do {
            switch format {
            case .gray: return try LibPNG.write(pixels, width: width, height: height, as: .gray)
            case .rgb: return try LibPNG.write(pixels, width: width, height: height, as: .rgb)
            case .palette(let colors):
                return try LibPNG.write(pixels, width: width, height: height, as: .palette, palette: colors.flatMap { [$0.red, $0.green, $0.blue] })
            }
        } catch {
            throw MarginalError("cannot encode a \(width) x \(height) PNG (\(error.description))")
        }
    }

    /// Writes the PNG file at `path` atomically (see `writeAtomically`).
    public func write(to path: String) throws(MarginalError) {
        let data: Data
        do { data = try encoded() } catch { throw MarginalError("\(path): \(error.description)") }
        try writeAtomically(data, to: URL(fileURLWithPath: path))
    }
}
