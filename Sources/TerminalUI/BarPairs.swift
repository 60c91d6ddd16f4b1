import Foundation

/// One row of a bar-pair chart: two values side by side (a target and a prediction).
public struct BarPair: Sendable, Equatable {
    public var label: String
    public var first: Double
    public var second: Double
    /// Text after the bars (the values as numbers).
    public var annotation: String
    public var isSelected: Bool
    public init(label: String, first: Double, second: Double, annotation: String = "", isSelected: Bool = false) {
        self.label = label; self.first = first; self.second = second; self.annotation = annotation; self.isSelected = isSelected
    }
}

/// Horizontal bar pairs, one row each: the first value as the upper half of the row, the
/// second as the lower half ("▀" for the first alone, "▄" for the second, "█" for both), so the
/// two stay apart by shape as well as colour.
public struct BarPairsView: Widget, Sendable, Equatable {
    public var rows: [BarPair]
    public var firstColor: TerminalColor
    public var secondColor: TerminalColor
    /// The value of a full-length bar.
    public var maximum: Double
    /// nil for bars proportional to the value; a floor v₀ for bars proportional to log(v / v₀)
    /// (values at or below it draw nothing), so that 0.1 % and 30 % both show.
    public var logarithmicFloor: Double?

    public init(rows: [BarPair], firstColor: TerminalColor, secondColor: TerminalColor, maximum: Double,
                logarithmicFloor: Double? = nil) {
        self.rows = rows; self.firstColor = firstColor; self.secondColor = secondColor
        self.maximum = maximum; self.logarithmicFloor = logarithmicFloor
    }

    /// The fraction of the bar length a value fills.
    public func fraction(_ value: Double) -> Double {
        guard maximum > 0, value > 0 else { return 0 }
        if let floor = logarithmicFloor, floor > 0, maximum > floor {
            guard value > floor else { return 0 }
            return min(1, log10(value / floor) / log10(maximum / floor))
        }
        return min(1, value / maximum)
    }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.fill(area)
        let labelWidth = min(rows.map(\.label.count).max() ?? 0, area.width / 3)
        let annotationWidth = min(rows.map(\.annotation.count).max() ?? 0, max(0, area.width - labelWidth - 4))
        let barWidth = area.width - labelWidth - annotationWidth - 3
        for (index, row) in rows.prefix(area.height).enumerated() {
            let y = area.y + index
            let labelStyle: Style = row.isSelected ? .reverse : .plain
            buffer.write(row.label, x: area.x, y: y, labelStyle, limit: labelWidth)
            if labelWidth > row.label.count, row.isSelected {
                buffer.restyle(Rect(x: area.x, y: y, width: labelWidth, height: 1), .reverse)
            }
            guard barWidth > 0 else { continue }
            let barStart = area.x + labelWidth + 1
            buffer.put(theme.vertical, x: barStart, y: y, Style(foreground: theme.color(.gray)))
            let first = Int((fraction(row.first) * Double(barWidth)).rounded())
            let second = Int((fraction(row.second) * Double(barWidth)).rounded())
            for column in 0 ..< max(first, second) {
                let (inFirst, inSecond) = (column < first, column < second)
                let symbol: Character, style: Style
                if !theme.hasColor {
                    symbol = inFirst && inSecond ? theme.fullBlock : (inFirst ? theme.upperHalf : theme.lowerHalf)
                    style = .plain
                } else if inFirst && inSecond {
                    // The upper half in the first colour over a background of the second.
                    symbol = theme.upperHalf
                    style = Style(foreground: firstColor, background: secondColor)
                } else {
                    symbol = inFirst ? theme.upperHalf : theme.lowerHalf
                    style = Style(foreground: inFirst ? firstColor : secondColor, background: .default)
                }
                buffer.put(symbol, x: barStart + 1 + column, y: y, style)
            }
            buffer.write(row.annotation, x: area.maxX - annotationWidth, y: y, .plain, limit: annotationWidth)
        }
    }
}

