#ifndef MARGINAL_CCAIRO_SHIM_H
#define MARGINAL_CCAIRO_SHIM_H

// Cairo's image, PNG and PDF surfaces, as Debian's libcairo2-dev installs them
// (pkg-config `cairo` puts /usr/include/cairo on the include path).
#include <cairo.h>
#include <cairo-pdf.h>

// Swift imports no C macros: the few that MarginalPlot needs, as functions.

/// CAIRO_VERSION_ENCODE(1, 16, 0): the first release with cairo_pdf_surface_set_metadata.
static inline int marginal_cairo_pdf_metadata_version(void) {
    return CAIRO_VERSION_ENCODE(1, 16, 0);
}

/// Whether this Cairo was built with the PDF backend (CAIRO_HAS_PDF_SURFACE).
static inline int marginal_cairo_has_pdf(void) {
#ifdef CAIRO_HAS_PDF_SURFACE
    return 1;
#else
    return 0;
#endif
}

/// Whether this Cairo was built with PNG support (CAIRO_HAS_PNG_FUNCTIONS).
static inline int marginal_cairo_has_png(void) {
#ifdef CAIRO_HAS_PNG_FUNCTIONS
    return 1;
#else
    return 0;
#endif
}

#endif
