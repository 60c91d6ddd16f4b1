import Foundation
import MarginalCore
import MarginalFigure

extension Figure {
    /// Draws the figure on any canvas.
    public func draw(on canvas: Canvas) {
        switch self {
        case .lines(let chart): chart.draw(on: canvas)
        case .ternary(let map): map.draw(on: canvas)
        }
    }

    /// The figure as an SVG document (text as `<text>`, the heat map as an embedded PNG).
    public func svg() -> Data {
        let canvas = SVGCanvas(width: width, height: height, title: title)
        draw(on: canvas)
        return canvas.document()
    }

    /// The figure as a PNG of `width·scale × height·scale` pixels.
    public func png(scale: Double = 2) throws(MarginalError) -> Data {
        try renderPNG(width: width, height: height, scale: scale) { draw(on: $0) }
    }

    /// The figure as a one-page PDF of `width × height` points, byte-for-byte reproducible.
    public func pdf() throws(MarginalError) -> Data {
        try renderPDF(width: width, height: height, title: title) { draw(on: $0) }
    }
}
