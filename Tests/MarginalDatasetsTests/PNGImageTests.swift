import Foundation
import Testing
import MarginalCore
@testable import MarginalDatasets

@Suite struct PNGImageTests {
    @Test func grayRoundTripKeepsEveryByte() throws {
        var random = SeededRandom(seed: 3)
        let pixels = (0 ..< 13 * 7).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let image = try PNGImage(width: 13, height: 7, format: .gray, pixels: pixels)
        let data = try image.encoded()
        #expect(data.prefix(8).elementsEqual(PNGImage.signature))
        #expect(try PNGImage.decode(data, path: "gray.png") == image)
    }

    @Test func rgbRoundTripKeepsEveryByte() throws {
        var random = SeededRandom(seed: 4)
        let pixels = (0 ..< 5 * 9 * 3).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let image = try PNGImage(width: 5, height: 9, format: .rgb, pixels: pixels)
        #expect(try PNGImage.decode(image.encoded(), path: "rgb.png") == image)
    }

    /// Palette indices come back as indices (not colours), 255 (ignore) included, with the palette.
    @Test func paletteIndicesArePreserved() throws {
        let labels: [UInt8] = [0, 1, 2, 3, 255, 254, 7, 0, 1, 19, 200, 255]
        let map = try PNGImage.labelMap(labels, width: 4, height: 3)
        let folder = DatasetCheck.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mask.png").path
        try map.write(to: path)
        let read = try PNGImage.read(contentsOf: path, as: .labels)
        #expect(read.pixels == labels)
        #expect(read.format == .palette(PNGImage.labelPalette))
        // The same file as a picture: the palette's colours.
        let picture = try PNGImage.read(contentsOf: path, as: .picture)
        #expect(picture.format == .rgb)
        let color = PNGImage.labelPalette[2]
        #expect(Array(picture.pixels[6 ..< 9]) == [color.red, color.green, color.blue])
        #expect(Array(picture.pixels[12 ..< 15]) == [255, 255, 255])
    }

    @Test func labelPaletteIsVOCs() {
        let palette = PNGImage.labelPalette
        #expect(palette.count == 256)
        #expect(palette[0] == .init(0, 0, 0) && palette[1] == .init(128, 0, 0) && palette[2] == .init(0, 128, 0))
        #expect(palette[3] == .init(128, 128, 0) && palette[15] == .init(192, 128, 128) && palette[255] == .init(255, 255, 255))
    }

    /// Files the writer cannot make, from `Scripts/reference/png_fixtures.py`.
    @Test func packedSixteenBitAlphaAndInterlacedFilesDecode() throws {
        func fixture(_ base64: String) -> Data { Data(base64Encoded: base64)! }
        // 4-bit palette, indices (r·5 + c) mod 12.
        let palette4 = fixture("iVBORw0KGgoAAAANSUhEUgAAAAUAAAADBAMAAACpGNjLAAAAMFBMVEUA/wAQ7wEg3wIwzwNAvwRQrwVgnwZwjweAfwiQbwmgXwqwTwvAPwzQLw3gHw7wDw/7euv+AAAAFElEQVR4nGNgVHZgCKuYwLCaUQEADdICj5GBtWgAAAAASUVORK5CYII=")
        let indices = try PNGImage.decode(palette4, path: "palette4.png", as: .labels)
        #expect(indices.width == 5 && indices.height == 3)
        #expect(indices.pixels == (0 ..< 15).map { UInt8($0 % 12) })
        if case .palette(let colors) = indices.format { #expect(colors.count == 16 && colors[3] == .init(48, 207, 3)) } else { Issue.record("not a palette") }
        // 16-bit gray labels 0…7.
        let gray16 = fixture("iVBORw0KGgoAAAANSUhEUgAAAAQAAAACEAAAAAAKU/78AAAAGUlEQVR4nAXBBQEAAAgAIOz/jwUIqWhj3QMApAAd5xDT1gAAAABJRU5ErkJggg==")
        #expect(try PNGImage.decode(gray16, path: "gray16.png", as: .labels).pixels == Array(0 ... 7))
        // 2-bit gray: unscaled as labels, scaled to 0…255 as a picture.
        let gray2 = fixture("iVBORw0KGgoAAAANSUhEUgAAAAYAAAACAgAAAAAUhuojAAAADklEQVR4nGOQFmDISQAAAgUA+E+1t0UAAAAASUVORK5CYII=")
        let values: [UInt8] = (0 ..< 12).map { UInt8(($0 / 6 + $0 % 6) % 4) }
        #expect(try PNGImage.decode(gray2, path: "gray2.png", as: .labels).pixels == values)
        #expect(try PNGImage.decode(gray2, path: "gray2.png").pixels == values.map { $0 * 85 })
        // Gray + alpha: the alpha is dropped.
        let grayAlpha = fixture("iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAQAAAA3fa6RAAAAFklEQVR4nGNgaNBoCGhgqGhY0HCiAQAe9gVZCmQe7QAAAABJRU5ErkJggg==")
        #expect(try PNGImage.decode(grayAlpha, path: "ga.png").pixels == (0 ..< 6).map { UInt8(40 * $0) })
        // Adam7-interlaced palette, indices (r·7 + c) mod 3.
        let interlaced = fixture("iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAMAAAHJQzZ8AAAACVBMVEUAAAD/AAAA/wD0g79+AAAAIUlEQVR4nGNgYGBkYGRiYGIAMZiACEQxgFmMDCAZEIIxAAMMACMUVTQsAAAAAElFTkSuQmCC")
        #expect(try PNGImage.decode(interlaced, path: "adam7.png", as: .labels).pixels == (0 ..< 35).map { UInt8($0 % 3) })
    }

    @Test func badFilesGiveOneLineNamingThem() throws {
        let png = try PNGImage(width: 8, height: 8, format: .rgb, pixels: [UInt8](repeating: 9, count: 192)).encoded()
        let cases: [(Data, PNGImage.ReadMode, String)] = [
            (Data("GIF89a not a png".utf8), .picture, "x.png: not a PNG file (bad signature)"),
            (Data(), .picture, "x.png: not a PNG file (bad signature)"),
            (png.prefix(40), .picture, "x.png: "),
            (png, .labels, "x.png: is a colour (RGB) PNG; a mask must be grayscale or palette-indexed"),
            // 1 x 1 RGBA (colour type 6): called RGBA, not RGB (issue 16, item 4).
            (Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgZGL+DwABFAEG1rmmRQAAAABJRU5ErkJggg==")!, .labels,
             "x.png: is a colour (RGBA) PNG; a mask must be grayscale or palette-indexed"),
        ]
        for (data, mode, expected) in cases {
            #expect {
                _ = try PNGImage.decode(data, path: "x.png", as: mode)
            } throws: { error in
                let text = (error as? MarginalError)?.description ?? ""
                return text.hasPrefix(expected) && !text.contains("\n") && text.count > "x.png: ".count
            }
        }
        // A corrupted pixel stream: libpng's message comes through, naming the file.
        var corrupt = [UInt8](png)
        corrupt[corrupt.count - 20] ^= 0xFF
        #expect(throws: MarginalError.self) { try PNGImage.decode(Data(corrupt), path: "x.png") }
        #expect(throws: MarginalError("/no/such/file.png: missing or unreadable")) { try PNGImage.read(contentsOf: "/no/such/file.png") }
    }

    @Test func standardisedImagesBecomePictures() throws {
        let gray = try PNGImage.picture(standardised: [0, 1, -1, 10, -10, .nan], channels: 1, height: 2, width: 3)
        #expect(gray.format == .gray && gray.pixels == [128, 168, 88, 255, 0, 0])
        // Planes (C × H × W) become interleaved RGB.
        let rgb = try PNGImage.picture(standardised: [0, 1, 2, 3, -1, -2], channels: 3, height: 1, width: 2)
        #expect(rgb.format == .rgb && rgb.pixels == [128, 208, 88, 168, 248, 48])
        #expect(throws: MarginalError.self) { try PNGImage.picture(standardised: [0, 1], channels: 2, height: 1, width: 1) }
    }

    @Test func invalidImagesAreRefusedBeforeEncoding() {
        #expect(throws: MarginalError.self) { try PNGImage(width: 2, height: 2, format: .gray, pixels: [1, 2, 3]) }
        #expect(throws: MarginalError.self) { try PNGImage(width: 0, height: 2, format: .gray, pixels: []) }
        #expect(throws: MarginalError.self) { try PNGImage(width: 1, height: 1, format: .palette([.init(0, 0, 0)]), pixels: [1]) }
    }
}
