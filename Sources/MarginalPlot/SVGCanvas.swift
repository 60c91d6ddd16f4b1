import Foundation
import MarginalFigure

/// Writes SVG 1.1 text: real `<text>` elements (searchable, editable, selectable), paths with
/// coordinates rounded to 0.01 units, rasters as embedded PNG. The same figure gives the same bytes.
public final class SVGCanvas: Canvas {
    private var body = ""
    private var clipCount = 0
    private var groupDepth = 0
    public let width: Double
    public let height: Double
    public let title: String

    public init(width: Double, height: Double, title: String) {
        self.width = width; self.height = height; self.title = title
    }

    /// The finished document.
    public func document() -> Data {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\""
        out += " width=\"\(number(width))\" height=\"\(number(height))\" viewBox=\"0 0 \(number(width)) \(number(height))\""
        out += " font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n"
        out += "<title>\(escapeXML(title))</title>\n"
        out += body
        for _ in 0 ..< groupDepth { out += "</g>\n" }
        out += "</svg>\n"
        return Data(out.utf8)
    }

    public func fill(_ path: Path, color: Color) {
        guard !path.isEmpty else { return }
        body += "<path d=\"\(pathData(path))\" fill=\"\(color.hexString)\"\(opacity("fill-opacity", color))/>\n"
    }

    public func stroke(_ path: Path, style: StrokeStyle) {
        guard !path.isEmpty else { return }
        var attributes = "fill=\"none\" stroke=\"\(style.color.hexString)\" stroke-width=\"\(number(style.width))\""
        attributes += opacity("stroke-opacity", style.color)
        attributes += " stroke-linejoin=\"round\" stroke-linecap=\"round\""
        if !style.dash.isEmpty {
            attributes += " stroke-dasharray=\"\(style.dash.map(number).joined(separator: ","))\""
        }
        body += "<path d=\"\(pathData(path))\" \(attributes)/>\n"
    }

    public func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, angle: Double) {
        // xml:space="preserve": runs of spaces stay as wide as Cairo measured them.
        var attributes = "xml:space=\"preserve\" x=\"\(number(point.x))\" y=\"\(number(point.y))\" font-size=\"\(number(font.size))\""
        if font.bold { attributes += " font-weight=\"bold\"" }
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        attributes += " fill=\"\(color.hexString)\"\(opacity("fill-opacity", color))"
        if angle != 0 {
            // SVG turns clockwise for positive angles (y points down); ours turn counter-clockwise.
            attributes += " transform=\"rotate(\(number(-angle * 180 / .pi)) \(number(point.x)) \(number(point.y)))\""
        }
        body += "<text \(attributes)>\(escapeXML(text))</text>\n"
    }

    public func image(_ raster: Raster, in rect: Rect, clip: Path?) {
        guard let png = try? encodePNG(raster) else { return }
        var clipAttribute = ""
        if let clip {
            clipCount += 1
            let id = "clip\(clipCount)"
            body += "<clipPath id=\"\(id)\"><path d=\"\(pathData(clip))\"/></clipPath>\n"
            clipAttribute = " clip-path=\"url(#\(id))\""
        }
        body += "<image x=\"\(number(rect.x))\" y=\"\(number(rect.y))\" width=\"\(number(rect.width))\""
        body += " height=\"\(number(rect.height))\" preserveAspectRatio=\"none\"\(clipAttribute)"
        body += " xlink:href=\"data:image/png;base64,\(png.base64EncodedString())\"/>\n"
    }

    public func beginGroup(_ name: String, attributes: [(String, String)]) {
        var text = "<g class=\"\(escapeXML(name))\""
        for (key, value) in attributes { text += " \(key)=\"\(escapeXML(value))\"" }
        body += text + ">\n"
        groupDepth += 1
    }

    public func endGroup() {
        guard groupDepth > 0 else { return }
        body += "</g>\n"
        groupDepth -= 1
    }

    private func opacity(_ attribute: String, _ color: Color) -> String {
        color.alpha < 1 ? " \(attribute)=\"\(number(color.alpha))\"" : ""
    }

    private func pathData(_ path: Path) -> String {
        var parts: [String] = []
        for element in path.elements {
            switch element {
            case .move(let p): parts.append("M\(number(p.x)) \(number(p.y))")
            case .line(let p): parts.append("L\(number(p.x)) \(number(p.y))")
            case .close: parts.append("Z")
            case .circle(let c, let r):
                let rr = number(r)
                parts.append("M\(number(c.x + r)) \(number(c.y))A\(rr) \(rr) 0 1 0 \(number(c.x - r)) \(number(c.y))"
                    + "A\(rr) \(rr) 0 1 0 \(number(c.x + r)) \(number(c.y))Z")
            }
        }
        return parts.joined()
    }
}

/// `value` rounded to 0.01, without trailing zeros ("12.5", "3", "-0.25").
func number(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
    var text = String(format: "%.2f", rounded)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}

/// Escapes the five XML special characters.
func escapeXML(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}
