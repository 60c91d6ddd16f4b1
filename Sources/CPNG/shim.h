#ifndef MARGINAL_CPNG_SHIM_H
#define MARGINAL_CPNG_SHIM_H

// libpng 1.6 as Debian's libpng-dev installs it (pkg-config `libpng` puts /usr/include/libpng16
// on the include path).
//
// libpng reports errors by longjmp-ing to a setjmp in its caller; Swift can neither call setjmp
// nor survive a longjmp across its frames. So the whole read and the whole write happen here, in
// C, each behind one setjmp, and come back to Swift as a status code and a message.
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGINAL_PNG_MESSAGE_SIZE 256

/// What marginal_png_read should deliver.
enum {
    /// 8 bits a sample, gray (1 channel) or RGB (3): palettes expanded, 1/2/4-bit gray scaled to
    /// 0…255, 16-bit scaled to 8, alpha dropped.
    MARGINAL_PNG_READ_IMAGE = 0,
    /// One value a pixel as stored: palette indices (not colours) or gray values (1/2/4-bit
    /// unscaled; 16-bit kept, big-endian); alpha dropped. A colour (RGB or RGBA) file is refused.
    MARGINAL_PNG_READ_LABELS = 1,
};

/// A decoded PNG. `pixels` is malloc-ed by marginal_png_read and freed by marginal_png_release.
typedef struct {
    unsigned char *pixels;          // height × width × channels samples, row-major, interleaved
    unsigned int width;
    unsigned int height;
    int channels;                   // 1 (gray, palette index) or 3 (RGB)
    int bytes_per_sample;           // 1, or 2 (16-bit labels, big-endian)
    int color_type;                 // the file's PNG_COLOR_TYPE_* (3 = palette)
    int bit_depth;                  // the file's bit depth
    int palette_count;              // entries of `palette` (palette files only)
    unsigned char palette[256 * 3]; // RGB triples
    char message[MARGINAL_PNG_MESSAGE_SIZE];
} marginal_png_result;

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} marginal_png_source;

typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
} marginal_png_sink;

/// libpng's error callback: keeps the message (in the buffer given as error pointer) and jumps
/// back to the setjmp of the read or write in progress.
static inline void marginal_png_on_error(png_structp png, png_const_charp message) {
    char *buffer = (char *)png_get_error_ptr(png);
    if (buffer) snprintf(buffer, MARGINAL_PNG_MESSAGE_SIZE, "%s", message);
    png_longjmp(png, 1);
}

/// libpng's warning callback: warnings (an odd iCCP profile, …) are not the user's problem.
static inline void marginal_png_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static inline void marginal_png_read_bytes(png_structp png, png_bytep out, size_t length) {
    marginal_png_source *source = (marginal_png_source *)png_get_io_ptr(png);
    if (source->size - source->offset < length) png_error(png, "file is truncated");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static inline void marginal_png_write_bytes(png_structp png, png_bytep bytes, size_t length) {
    marginal_png_sink *sink = (marginal_png_sink *)png_get_io_ptr(png);
    if (sink->capacity - sink->size < length) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        while (capacity - sink->size < length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(sink->data, capacity);
        if (!grown) png_error(png, "out of memory");
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, length);
    sink->size += length;
}

static inline void marginal_png_flush(png_structp png) { (void)png; }

/// Frees what marginal_png_read allocated.
static inline void marginal_png_release(marginal_png_result *result) {
    free(result->pixels);
    result->pixels = NULL;
}

/// Decodes the PNG file in `data` (`size` bytes) as `mode` says. Returns 0, or 1 with
/// `result->message` set (libpng's own message, or ours); nothing to free on failure.
/// Underneath: png_read_info, png_read_update_info, png_read_image, png_read_end.
static inline int marginal_png_read(const unsigned char *data, size_t size, int mode, marginal_png_result *result) {
    memset(result, 0, sizeof *result);
    marginal_png_source source = {data, size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, result->message, marginal_png_on_error,
                                             marginal_png_on_warning);
    if (!png) {
        snprintf(result->message, MARGINAL_PNG_MESSAGE_SIZE, "out of memory");
        return 1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(result->message, MARGINAL_PNG_MESSAGE_SIZE, "out of memory");
        return 1;
    }
    // Changed after setjmp, so volatile: a longjmp must see their current values.
    unsigned char *volatile decoded = NULL;
    png_bytep *volatile rows = NULL;
    unsigned char *volatile pixels = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(decoded);
        free(rows);
        free(pixels);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }
    // A corrupt header must not make us allocate gigabytes.
    png_set_user_limits(png, 16384, 16384);
    png_set_read_fn(png, &source, marginal_png_read_bytes);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, NULL, NULL, NULL);
    result->color_type = color_type;
    result->bit_depth = bit_depth;
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp palette = NULL;
        int count = 0;
        if (png_get_PLTE(png, info, &palette, &count) && palette) {
            if (count > 256) count = 256;
            for (int i = 0; i < count; i++) {
                result->palette[3 * i] = palette[i].red;
                result->palette[3 * i + 1] = palette[i].green;
                result->palette[3 * i + 2] = palette[i].blue;
            }
            result->palette_count = count;
        }
    }
    if (mode == MARGINAL_PNG_READ_LABELS) {
        if ((color_type & PNG_COLOR_MASK_COLOR) && color_type != PNG_COLOR_TYPE_PALETTE) {
            snprintf(result->message, MARGINAL_PNG_MESSAGE_SIZE,
                     "is a colour (%s) PNG; a mask must be grayscale or palette-indexed, one class id a pixel",
                     (color_type & PNG_COLOR_MASK_ALPHA) ? "RGBA" : "RGB");
            png_destroy_read_struct(&png, &info, NULL);
            return 1;
        }
        if (bit_depth < 8) png_set_packing(png); // one byte a value, not scaled
    } else {
        if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
        if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
        if (bit_depth == 16) png_set_scale_16(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    int bytes_per_sample = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    size_t row_bytes = png_get_rowbytes(png, info);
    decoded = (unsigned char *)malloc(row_bytes * height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!decoded || !rows) png_error(png, "out of memory");
    for (png_uint_32 row = 0; row < height; row++) rows[row] = decoded + row * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    // Keep gray (1 channel, of 1 or 2 = gray+alpha) or RGB (3, of 3 or 4 = RGBA).
    int kept = channels >= 3 ? 3 : 1;
    size_t pixel_bytes = (size_t)channels * bytes_per_sample, kept_bytes = (size_t)kept * bytes_per_sample;
    pixels = (unsigned char *)malloc((size_t)width * height * kept_bytes + 1);
    if (!pixels) png_error(png, "out of memory");
    for (png_uint_32 row = 0; row < height; row++) {
        for (png_uint_32 column = 0; column < width; column++) {
            memcpy(pixels + ((size_t)row * width + column) * kept_bytes, decoded + row * row_bytes + column * pixel_bytes,
                   kept_bytes);
        }
    }
    free(decoded);
    decoded = NULL;
    free(rows);
    rows = NULL;
    result->pixels = pixels;
    pixels = NULL;
    result->width = width;
    result->height = height;
    result->channels = kept;
    result->bytes_per_sample = bytes_per_sample;
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

/// Encodes 8-bit `pixels` (height × width × samples, row-major) as a PNG of `color_type`:
/// PNG_COLOR_TYPE_GRAY (0), PNG_COLOR_TYPE_RGB (2) or PNG_COLOR_TYPE_PALETTE (3, with
/// `palette_count` RGB triples in `palette`). Returns 0 with a malloc-ed `*out` of `*out_size`
/// bytes (free it with free), or 1 with `message` (MARGINAL_PNG_MESSAGE_SIZE bytes) set.
/// Underneath: png_set_IHDR, png_set_PLTE, png_write_info, png_write_image, png_write_end.
static inline int marginal_png_write(const unsigned char *pixels, unsigned int width, unsigned int height, int color_type,
                                     const unsigned char *palette, int palette_count, unsigned char **out,
                                     size_t *out_size, char *message) {
    *out = NULL;
    *out_size = 0;
    message[0] = 0;
    int samples = color_type == PNG_COLOR_TYPE_RGB ? 3 : 1;
    marginal_png_sink *sink = (marginal_png_sink *)calloc(1, sizeof(marginal_png_sink));
    png_bytep *rows = (png_bytep *)malloc(sizeof(png_bytep) * (height ? height : 1));
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, marginal_png_on_error,
                                              marginal_png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!sink || !rows || !png || !info) {
        snprintf(message, MARGINAL_PNG_MESSAGE_SIZE, "out of memory");
        if (png) png_destroy_write_struct(&png, info ? &info : NULL);
        free(rows);
        free(sink);
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(sink->data);
        free(sink);
        free(rows);
        return 1;
    }
    png_set_write_fn(png, sink, marginal_png_write_bytes, marginal_png_flush);
    png_set_IHDR(png, info, width, height, 8, color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color entries[256];
        int count = palette_count > 256 ? 256 : palette_count;
        for (int i = 0; i < count; i++) {
            entries[i].red = palette[3 * i];
            entries[i].green = palette[3 * i + 1];
            entries[i].blue = palette[3 * i + 2];
        }
        png_set_PLTE(png, info, entries, count);
    }
    png_write_info(png, info);
    for (unsigned int row = 0; row < height; row++) rows[row] = (png_bytep)(pixels + (size_t)row * width * samples);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    *out = sink->data;
    *out_size = sink->size;
    free(sink);
    return 0;
}

#endif
