import CCairo
import MarginalFigure

/// Text widths from Cairo's toy text API, with metric hinting off, so that the layout (legend
/// boxes, margins) is the same in the SVG, the PNG and the PDF.
public enum TextMetrics {
    /// The advance width of `text` in `font`, in figure units.
    public static func width(_ text: String, font: Font) -> Double {
        guard !text.isEmpty else { return 0 }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else { return estimate(text, font) }
        defer { cairo_surface_destroy(surface) }
        guard let context = cairo_create(surface) else { return estimate(text, font) }
        defer { cairo_destroy(context) }
        configureFont(context, font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Height above the baseline of capital letters (DejaVu Sans: 0.73 em), for centring text vertically.
    public static func capHeight(_ font: Font) -> Double { 0.73 * font.size }

    /// Depth below the baseline of descenders (DejaVu Sans: 0.24 em).
    public static func descent(_ font: Font) -> Double { 0.24 * font.size }

    /// A fallback if Cairo cannot make even a 1×1 surface (out of memory).
    private static func estimate(_ text: String, _ font: Font) -> Double { Double(text.count) * 0.6 * font.size }
}

/// Selects "sans-serif" at `font`'s size and weight, with hinting off (the same in every backend).
func configureFont(_ context: OpaquePointer, _ font: Font) {
    cairo_select_font_face(
        context, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
        font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
    )
    cairo_set_font_size(context, font.size)
    if let options = cairo_font_options_create() {
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }
}
