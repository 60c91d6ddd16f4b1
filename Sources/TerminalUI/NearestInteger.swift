extension Double {
    /// `Int(rounded())` — the nearest whole number, halves away from zero — without the call to
    /// the C library's `round` that `rounded()` makes on a machine without SSE4.1: truncation is
    /// one instruction, and the remainder says whether to step away from zero. The same result
    /// for every finite value (beyond ±2^52 every double is whole); a chart rounds each dot.
    @inline(__always)
    var nearestInteger: Int {
        guard abs(self) < 4_503_599_627_370_496 else { return Int(rounded()) }
        let whole = Int(self)  // toward zero
        let rest = self - Double(whole)  // exact: both are below 2^52
        return rest >= 0.5 ? whole + 1 : rest <= -0.5 ? whole - 1 : whole
    }
}
