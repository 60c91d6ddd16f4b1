import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014) with uniform and normal draws: every random input —
/// toys, datasets, benchmark arrays, test cases — is the same on every machine for a seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [low, high), from the top 53 bits.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }
    /// Standard normal by Box–Muller (one of the pair; simple, and speed does not matter here).
    public mutating func normal() -> Double {
        let u = uniform(0, 1), v = uniform(0, 1)
        return (-2 * log(1 - u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
