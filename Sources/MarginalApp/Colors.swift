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
        if label == 255 { return Pixel(color: ignoredPixel.terminal, level: 1) }
        return Pixel(color: label == 0 ? backgroundPixel.terminal : classColor(label).terminal,
                     level: Double(label) / Double(max(1, classes - 1)))
    }
}
