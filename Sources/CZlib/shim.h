#ifndef MARGINAL_CZLIB_SHIM_H
#define MARGINAL_CZLIB_SHIM_H

// zlib as Debian's zlib1g-dev installs it: MarginalEngine reads the gzip-compressed IDX files
// of Fashion-MNIST with gzopen/gzread (which also read an uncompressed file as it is).
#include <zlib.h>

#endif
