import CCairo
import Foundation
import MarginalCore
import MarginalFigure

/// Draws on a Cairo context (`cairo_t`); the PNG and PDF files go through it.
final class CairoCanvas: Canvas {
    let context: OpaquePointer

    init(context: OpaquePointer) { self.context = context }

    func fill(_ path: Path, color: Color) {
        guard !path.isEmpty else { return }
        trace(path)
        setSource(color)
        cairo_fill(context)
    }

    func stroke(_ path: Path, style: StrokeStyle) {
        guard !path.isEmpty else { return }
        trace(path)
        setSource(style.color)
        cairo_set_line_width(context, style.width)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        style.dash.withUnsafeBufferPointer { dashes in
            cairo_set_dash(context, dashes.baseAddress, Int32(dashes.count), 0)
        }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, angle: Double) {
        guard !text.isEmpty else { return }
        cairo_save(context)
        configureFont(context, font)
        setSource(color)
        cairo_translate(context, point.x, point.y)
        // Cairo turns clockwise for positive angles (y points down); ours turn counter-clockwise.
        if angle != 0 { cairo_rotate(context, -angle) }
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        let shift: Double = switch anchor {
        case .start: 0
        case .middle: -extents.x_advance / 2
        case .end: -extents.x_advance
        }
        cairo_move_to(context, shift, 0)
        cairo_show_text(context, text)
        cairo_new_path(context)
        cairo_restore(context)
    }

    func image(_ raster: Raster, in rect: Rect, clip: Path?) {
        guard raster.width > 0, raster.height > 0 else { return }
        var pixels = raster.pixels
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(raster.width)))
        precondition(stride == raster.width * 4, "ARGB32 rows are 4 bytes a pixel")
        pixels.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  let surface = cairo_image_surface_create_for_data(
                    base, CAIRO_FORMAT_ARGB32, Int32(raster.width), Int32(raster.height), Int32(stride))
            else { return }
            defer { cairo_surface_destroy(surface) }
            cairo_save(context)
            if let clip {
                trace(clip)
                cairo_clip(context)
            }
            cairo_translate(context, rect.x, rect.y)
            cairo_scale(context, rect.width / Double(raster.width), rect.height / Double(raster.height))
            cairo_set_source_surface(context, surface, 0, 0)
            if let pattern = cairo_get_source(context) {
                cairo_pattern_set_filter(pattern, CAIRO_FILTER_GOOD)
                cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
            }
            cairo_rectangle(context, 0, 0, Double(raster.width), Double(raster.height))
            cairo_fill(context)
            cairo_restore(context)
        }
    }

    func beginGroup(_ name: String, attributes: [(String, String)]) {}
    func endGroup() {}

    private func setSource(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    private func trace(_ path: Path) {
        cairo_new_path(context)
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(context, p.x, p.y)
            case .line(let p): cairo_line_to(context, p.x, p.y)
            case .close: cairo_close_path(context)
            case .circle(let c, let r):
                cairo_new_sub_path(context)
                cairo_arc(context, c.x, c.y, r, 0, 2 * .pi)
                cairo_close_path(context)
            }
        }
    }
}

/// Collects the bytes a Cairo stream writer hands over (`cairo_write_func_t`'s closure).
private final class ByteSink {
    var data = Data()
}

/// The `cairo_write_func_t` that appends to a `ByteSink`.
private let appendToSink: cairo_write_func_t = { closure, bytes, length in
    guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    if let bytes, length > 0 { sink.data.append(bytes, count: Int(length)) }
    return CAIRO_STATUS_SUCCESS
}

/// Turns a Cairo status into a `MarginalError` naming what failed (`cairo_status_to_string`).
private func check(_ status: cairo_status_t, _ what: String) throws(MarginalError) {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw MarginalError("Cairo could not \(what): \(String(cString: cairo_status_to_string(status)))")
    }
}

/// Renders `draw` into a PNG of `width × height` figure units at `scale` pixels per unit, on
/// a white background (`cairo_image_surface_create` + `cairo_surface_write_to_png_stream`).
func renderPNG(width: Double, height: Double, scale: Double, _ draw: (Canvas) -> Void) throws(MarginalError) -> Data {
    let pixelWidth = Int32((width * scale).rounded()), pixelHeight = Int32((height * scale).rounded())
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixelWidth, pixelHeight) else {
        throw MarginalError("Cairo could not make a \(pixelWidth)×\(pixelHeight) image")
    }
    defer { cairo_surface_destroy(surface) }
    try check(cairo_surface_status(surface), "make a \(pixelWidth)×\(pixelHeight) image")
    guard let context = cairo_create(surface) else { throw MarginalError("Cairo could not make a drawing context") }
    defer { cairo_destroy(context) }
    cairo_scale(context, scale, scale)
    cairo_set_source_rgb(context, 1, 1, 1)
    cairo_paint(context)
    draw(CairoCanvas(context: context))
    try check(cairo_status(context), "draw the figure")
    cairo_surface_flush(surface)
    return try encodeSurfacePNG(surface)
}

/// The PNG encoding of a Cairo image surface.
private func encodeSurfacePNG(_ surface: OpaquePointer) throws(MarginalError) -> Data {
    let sink = ByteSink()
    let status = withExtendedLifetime(sink) {
        cairo_surface_write_to_png_stream(surface, appendToSink, Unmanaged.passUnretained(sink).toOpaque())
    }
    try check(status, "encode the PNG")
    return sink.data
}

/// A raster as a PNG (for the heat map embedded in an SVG).
func encodePNG(_ raster: Raster) throws(MarginalError) -> Data {
    var pixels = raster.pixels
    let stride = Int32(raster.width * 4)
    let result: Result<Data, MarginalError> = pixels.withUnsafeMutableBytes { bytes in
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
              let surface = cairo_image_surface_create_for_data(
                base, CAIRO_FORMAT_ARGB32, Int32(raster.width), Int32(raster.height), stride)
        else { return .failure(MarginalError("Cairo could not wrap a \(raster.width)×\(raster.height) image")) }
        defer { cairo_surface_destroy(surface) }
        do throws(MarginalError) { return .success(try encodeSurfacePNG(surface)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// The creation date written into every PDF, so that the same figure gives the same bytes:
/// `SOURCE_DATE_EPOCH` (reproducible-builds.org) when set, else 2000-01-01T00:00:00Z.
func pdfCreationDate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    var seconds: time_t = 946_684_800
    if let text = environment["SOURCE_DATE_EPOCH"], let value = Int(text), value >= 0 { seconds = time_t(value) }
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                  Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
}

/// Renders `draw` into a one-page PDF of `width × height` points
/// (`cairo_pdf_surface_create_for_stream`), with a fixed creation date
/// (`cairo_pdf_surface_set_metadata(CAIRO_PDF_METADATA_CREATE_DATE, …)`) and the title.
func renderPDF(width: Double, height: Double, title: String, _ draw: (Canvas) -> Void) throws(MarginalError) -> Data {
    let sink = ByteSink()
    return try withExtendedLifetime(sink) { () throws(MarginalError) -> Data in
        guard let surface = cairo_pdf_surface_create_for_stream(
            appendToSink, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        else { throw MarginalError("Cairo could not make a PDF") }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "make a PDF")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, pdfCreationDate())
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "marginal")
        guard let context = cairo_create(surface) else { throw MarginalError("Cairo could not make a drawing context") }
        draw(CairoCanvas(context: context))
        let drawStatus = cairo_status(context)
        cairo_destroy(context)
        try check(drawStatus, "draw the figure")
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "finish the PDF")
        return sink.data
    }
}
