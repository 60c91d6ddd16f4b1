import COpenBLAS

// The only file that calls OpenBLAS: one internal function per C call (shim → these → the typed
// `EngineScalar.gemm` and `setMatrixThreads` below).

/// `cblas_sgemm`, row-major: C ← α op(A) op(B) + β C.
@inline(__always)
func blasSgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
               _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// `cblas_dgemm`, row-major: C ← α op(A) op(B) + β C.
@inline(__always)
func blasDgemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
               _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
               _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// `openblas_set_num_threads` (through the shim's `marginal_blas_set_threads`).
func blasSetThreads(_ threads: Int) { marginal_blas_set_threads(Int32(clamping: threads)) }

/// `openblas_get_num_threads` (through the shim's `marginal_blas_threads`).
func blasThreads() -> Int { Int(marginal_blas_threads()) }

/// Sets how many threads each OpenBLAS product uses (at least 1). The engine's own
/// `ComputeContext` spreads the images of a batch over its threads and calls it with 1, so that
/// two levels of threads never compete for the same cores.
public func setMatrixThreads(_ threads: Int) {
    let threads = max(1, threads)
    if blasThreads() != threads { blasSetThreads(threads) }
}

/// The kernel family OpenBLAS runs (`openblas_get_corename`), e.g. "Haswell" (AVX2) or
/// "Cooperlake" (AVX-512), for benchmark reports. A DYNAMIC_ARCH OpenBLAS picks it from the CPU
/// unless the environment variable OPENBLAS_CORETYPE names one.
public var matrixKernelName: String {
    return String(cString: marginal_blas_core_name())
}
