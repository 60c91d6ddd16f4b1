import CMalloc

/// Asks glibc's allocator to keep freed memory for reuse instead of returning it to the kernel.
///
/// A training step allocates and frees the same few dozen large buffers (activations, gradients)
/// every time. By default glibc serves large blocks with fresh `mmap`s and trims freed heap, so
/// each step pays a page fault per 4 KiB touched (≈ 5 % of a UNet-S step here). Raising both
/// thresholds (to 512 MiB and 1 GiB) lets the next step reuse the same pages. A no-op elsewhere.
public func keepFreedMemoryForReuse() {
    marginal_keep_freed_memory(512 << 20, 1 << 30)
}
