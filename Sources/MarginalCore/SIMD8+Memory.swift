/// Eight lanes to and from memory, for the passes' sweeps over rows of a tile (`SoftmaxTile`,
/// `FusedPasses`): a row's start is any pixel, so neither load nor store assumes alignment.
extension SIMD8 {
    /// Eight values from `pointer`, which need not be aligned.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Scalar>) -> SIMD8 {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8.self)
    }

    /// Writes the eight values at `pointer`, which need not be aligned.
    @inline(__always)
    func store(_ pointer: UnsafeMutablePointer<Scalar>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8.self)
    }
}
