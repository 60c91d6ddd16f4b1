/// A rectangle of terminal cells: columns `x ..< x + width`, rows `y ..< y + height`.
/// Widths and heights are never negative; an empty rectangle draws nothing.
public struct Rect: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var isEmpty: Bool { width == 0 || height == 0 }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var description: String { "\(width)×\(height) at (\(x), \(y))" }

    public func contains(x column: Int, y row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// The part of this rectangle inside `other` (empty, at this origin, if they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrunk by `horizontal` columns on the left and right and `vertical` rows at top and bottom.
    public func inset(horizontal: Int = 0, vertical: Int = 0) -> Rect {
        Rect(x: x + horizontal, y: y + vertical, width: width - 2 * horizontal, height: height - 2 * vertical)
    }

    /// The first `count` rows (fewer if the rectangle is shorter).
    public func top(_ count: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(count, height)) }
    /// The last `count` rows.
    public func bottom(_ count: Int) -> Rect {
        let rows = min(count, height)
        return Rect(x: x, y: maxY - rows, width: width, height: rows)
    }
    /// Everything below the first `count` rows.
    public func droppingTop(_ count: Int) -> Rect { Rect(x: x, y: y + min(count, height), width: width, height: height - count) }

    /// A `width × height` rectangle centred in this one (clipped to it).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}

/// How much of a row or column a part of a layout takes.
public enum LayoutSize: Sendable, Equatable {
    /// Exactly this many cells (fewer if the whole is too small).
    case fixed(Int)
    /// A share of what the fixed parts leave, in proportion to the weight.
    case fill(Int)

    public static var fill: LayoutSize { .fill(1) }
}

extension Rect {
    /// Side by side, left to right.
    public func columns(_ sizes: [LayoutSize]) -> [Rect] {
        split(total: width, sizes).map { Rect(x: x + $0.offset, y: y, width: $0.length, height: height) }
    }

    /// Stacked, top to bottom.
    public func rows(_ sizes: [LayoutSize]) -> [Rect] {
        split(total: height, sizes).map { Rect(x: x, y: y + $0.offset, width: width, height: $0.length) }
    }

    /// Fixed parts first, in order, as far as they fit; the rest goes to the fills by weight,
    /// the rounding remainder to the last fill.
    private func split(total: Int, _ sizes: [LayoutSize]) -> [(offset: Int, length: Int)] {
        var remaining = total
        var lengths = [Int](repeating: 0, count: sizes.count)
        for (index, size) in sizes.enumerated() {
            if case .fixed(let n) = size {
                lengths[index] = max(0, min(n, remaining))
                remaining -= lengths[index]
            }
        }
        let weights = sizes.map { if case .fill(let w) = $0 { max(0, w) } else { 0 } }
        let totalWeight = weights.reduce(0, +)
        if totalWeight > 0 {
            var given = 0
            let lastFill = weights.lastIndex { $0 > 0 }!
            for index in sizes.indices where weights[index] > 0 {
                lengths[index] = index == lastFill ? remaining - given : remaining * weights[index] / totalWeight
                given += lengths[index]
            }
        }
        var offset = 0
        return lengths.map { length in
            defer { offset += length }
            return (offset, length)
        }
    }
}
