import Foundation

/// How data values are laid along an axis.
public enum ScaleKind: String, Sendable, Equatable {
    case linear
    /// Base-10 logarithmic; only positive values can be placed.
    case logarithmic
}

/// Maps a data interval onto a figure interval, linearly or logarithmically. `map` is inlinable:
/// a terminal chart maps every sample of a long run at each frame.
public struct Scale: Sendable, Equatable {
    public var kind: ScaleKind
    /// The data interval (positive bounds for a logarithmic scale).
    public var domain: ClosedRange<Double>
    /// The figure interval; `range.lowerBound` is where `domain.lowerBound` lands, and it may be
    /// larger than the upper bound (a y axis grows upwards while figure y grows downwards).
    public var start: Double
    public var end: Double

    public init(kind: ScaleKind = .linear, domain: ClosedRange<Double>, start: Double, end: Double) {
        precondition(kind == .linear || domain.lowerBound > 0, "a logarithmic scale needs a positive domain")
        self.kind = kind
        self.domain = domain
        self.start = start
        self.end = end
    }

    /// Whether `value` can be placed at all (finite, and positive on a logarithmic scale).
    @inlinable
    public func canPlace(_ value: Double) -> Bool {
        value.isFinite && (kind == .linear || value > 0)
    }

    /// The position of `value` as a fraction of the domain (0 at the lower bound, 1 at the upper).
    @inlinable
    public func fraction(_ value: Double) -> Double {
        let (a, b, v): (Double, Double, Double) =
            kind == .linear
            ? (domain.lowerBound, domain.upperBound, value)
            : (log10(domain.lowerBound), log10(domain.upperBound), log10(value))
        return b == a ? 0.5 : (v - a) / (b - a)
    }

    /// The figure coordinate of `value`.
    @inlinable
    public func map(_ value: Double) -> Double { start + fraction(value) * (end - start) }

    /// The data value at figure coordinate `position` (the inverse of `map`).
    public func invert(_ position: Double) -> Double {
        let t = end == start ? 0.5 : (position - start) / (end - start)
        switch kind {
        case .linear: return domain.lowerBound + t * (domain.upperBound - domain.lowerBound)
        case .logarithmic:
            let a = log10(domain.lowerBound), b = log10(domain.upperBound)
            return pow(10, a + t * (b - a))
        }
    }
}
