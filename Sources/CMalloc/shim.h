#ifndef MARGINAL_CMALLOC_SHIM_H
#define MARGINAL_CMALLOC_SHIM_H
// glibc's mallopt and its M_* parameters are macros and a header Swift's Glibc module leaves out.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
/// mallopt(M_MMAP_THRESHOLD, mmap_bytes) and mallopt(M_TRIM_THRESHOLD, trim_bytes).
static inline void marginal_keep_freed_memory(int mmap_bytes, int trim_bytes) {
    mallopt(M_MMAP_THRESHOLD, mmap_bytes);
    mallopt(M_TRIM_THRESHOLD, trim_bytes);
}
#else
static inline void marginal_keep_freed_memory(int mmap_bytes, int trim_bytes) { (void)mmap_bytes; (void)trim_bytes; }
#endif
#endif
