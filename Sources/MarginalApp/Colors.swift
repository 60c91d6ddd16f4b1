import MarginalFigure
import TerminalUI

// The explorer's colours are the figure model's `Palette` (MarginalFigure): one palette for the
// screens and the files, each colour drawn on the terminal as its dark-background variant.

extension Color {
    /// The colour as the terminal shows it (`Color.onDark`, at the nearest palette entry).
    var terminal: TerminalColor { LineChartView.terminalColor(self) }
}

extension Palette {
    /// A pixel of a label map with `classes` classes: the class's colour, except the background
    /// near-black (an image is mostly background) and 255 (ignored) white; without colours, a
    /// grey level from the class id.
    static func labelPixel(_ label: Int, classes: Int) -> Pixel {
        if label == 255 { return Pixel(color: TerminalPalette.ignored, level: 1) }
        return Pixel(color: label == 0 ? TerminalPalette.background : TerminalPalette.classHues[(label - 1) % TerminalPalette.classHues.count],
                     level: Double(label) / Double(max(1, classes - 1)))
    }
}

/// The label-map colours at their terminal palette entries, found once (an image asks per pixel).
private enum TerminalPalette {
    static let background = Palette.backgroundPixel.terminal
    static let ignored = Palette.ignoredPixel.terminal
    static let classHues = Palette.classHues.map(\.terminal)
}
