#ifndef MARGINAL_COPENBLAS_SHIM_H
#define MARGINAL_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config "openblas" adds the include path).
#include <cblas.h>

/// openblas_set_num_threads, declared in OpenBLAS's cblas.h; wrapped so Swift sees one stable name.
static inline void marginal_blas_set_threads(int threads) { openblas_set_num_threads(threads); }
/// openblas_get_num_threads: the number of threads OpenBLAS's products use now.
static inline int marginal_blas_threads(void) { return openblas_get_num_threads(); }
/// openblas_get_corename: the kernel family OpenBLAS chose ("Haswell", "SkylakeX", …).
static inline const char *marginal_blas_core_name(void) { return openblas_get_corename(); }
#endif
