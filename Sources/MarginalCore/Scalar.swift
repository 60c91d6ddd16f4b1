import Foundation

/// The floating-point types every loss, penalty and metric is generic over: `Float` for speed,
/// `Double` for the gradient checks and the reference comparisons.
///
/// Swift's `BinaryFloatingPoint` has no transcendental functions, so each conforming type
/// forwards to the C library's function of its own precision (`expf` for `Float`, `exp` for
/// `Double`, …).
public protocol MarginalScalar: BinaryFloatingPoint, SIMDScalar, Sendable {
    static func exp(_ x: Self) -> Self
    /// `exp(x) − 1`, accurate for small `x` (used for `1 − p` when `p` is close to 1).
    static func expm1(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    /// `log(1 + x)`, accurate for small `x`.
    static func log1p(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    /// `exp(x)` for x ≤ 0 (a shifted logit z − max z, or τ times one) in the hot loop of every
    /// softmax, where it is called once per logit: inlined so that the loop around it vectorises.
    /// exp(0) must be exactly 1 and no value above 1 (`SoftmaxTile.temperingPivot` relies on it).
    static func exponential(_ x: Self) -> Self
}

extension Float: MarginalScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    @inlinable public static func expm1(_ x: Float) -> Float { Foundation.expm1f(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.logf(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1pf(x) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.powf(x, y) }
    /// Branch-free (see `FastExp.swift`), so a loop of it vectorises: within 2 ulp of `expf`, 0
    /// below the normal range; the variant for x ≤ 0, which is all a softmax asks for.
    @inlinable @inline(__always) public static func exponential(_ x: Float) -> Float { fastExpOfNonPositive(x) }
}

extension Double: MarginalScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
    /// The C library's `exp`: `Double` is the precision of reference.
    @inlinable public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
}
