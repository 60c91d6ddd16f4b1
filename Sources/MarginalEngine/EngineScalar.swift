import MarginalCore

/// The element types the engine computes in: `Float` for training, `Double` for the gradient
/// checks (central differences need the extra digits). Each brings its own BLAS product, so the
/// generic layers cost nothing in `Float`: every hot entry point is specialised for it.
public protocol EngineScalar: MarginalScalar {
    /// C ← α op(A) op(B) + β C in row-major order (`cblas_sgemm` / `cblas_dgemm`): op(A) is
    /// M × K, op(B) is K × N, C is M × N; `lda`, `ldb`, `ldc` are the row strides as stored.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: EngineScalar {
    /// `cblas_sgemm`.
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        blasSgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}

extension Double: EngineScalar {
    /// `cblas_dgemm`.
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        blasDgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}
