"""The two PNGs marginal reads: palette PNGs of class ids (masks, run previews) and 8-bit gray
pictures (a folder:PATH set's images). Written with zlib alone, no imaging library."""
import struct
import zlib


def label_palette():
    """PASCAL VOC's bit-interleaved colour map, 255 (ignore) white: MarginalDatasets' labelPalette."""
    colours = []
    for index in range(256):
        if index == 255:
            colours.append((255, 255, 255))
            continue
        r = g = b = 0
        value = index
        for shift in range(7, -1, -1):
            r |= (value & 1) << shift
            g |= ((value >> 1) & 1) << shift
            b |= ((value >> 2) & 1) << shift
            value >>= 3
            if value == 0:
                break
        colours.append((r, g, b))
    return colours


def palette_png(rows):
    """An 8-bit palette PNG of class ids (`rows`: equal-length lists of 0..255), class k in
    colour k of `label_palette`."""
    return _png(rows, colour_type=3, palette=b"".join(bytes(colour) for colour in label_palette()))


def gray_png(rows):
    """An 8-bit gray PNG (`rows`: equal-length lists of 0..255)."""
    return _png(rows, colour_type=0)


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(rows, colour_type, palette=None):
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
    body = (_chunk(b"PLTE", palette) if palette else b"") + _chunk(b"IDAT", zlib.compress(raw, 9))
    return b"\x89PNG\r\n\x1a\n" + header + body + _chunk(b"IEND", b"")


class PNGError(ValueError):
    """A file that is not a PNG marginal reads; the message names the problem (the caller adds the path)."""


def read_png(data, labels=False):
    """Decodes PNG bytes as marginal's PNGImage does (the libpng shim, Sources/CPNG/shim.h):
    returns an H x W x C numpy uint8 array, C = 1 (gray) or 3 (RGB).

    - `labels=False`, a picture: palettes expanded to RGB, 1/2/4-bit gray scaled to 0…255,
      16 bits scaled to 8 (libpng's png_set_scale_16: (v·255 + 32895) >> 16), alpha dropped;
    - `labels=True`, a label map: values as stored (palette indices, not colours; gray values
      unscaled); colour (RGB/RGBA) files and 16-bit values above 255 are refused.

    Every filter type and Adam7 interlacing are read; numpy and zlib only."""
    import numpy as np
    data = bytes(data)
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PNGError("not a PNG file (bad signature)")
    position, header, palette, compressed = 8, None, None, []
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if len(body) != length:
            raise PNGError(f"chunk {kind!r} cut short")
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            compressed.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise PNGError("no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    samples = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if samples is None or width == 0 or height == 0:
        raise PNGError(f"colour type {colour}, {width} x {height}: not a valid PNG header")
    if labels and colour in (2, 6):
        raise PNGError(f"is a colour ({'RGBA' if colour == 6 else 'RGB'}) PNG; a mask must be grayscale or "
                       "palette-indexed, one class id a pixel")
    if colour == 3 and palette is None:
        raise PNGError("a palette PNG without a PLTE chunk")
    try:
        raw = zlib.decompress(b"".join(compressed))
    except zlib.error as error:
        raise PNGError(f"broken image data ({error})") from None
    bits = depth * samples
    step = max(1, bits // 8)
    passes = ([(0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 4, 8), (0, 2, 4, 4), (2, 0, 2, 4), (0, 1, 2, 2), (1, 0, 1, 2)]
              if interlace else [(0, 0, 1, 1)])
    values = np.zeros((height, width, samples), dtype=np.uint16 if depth == 16 else np.uint8)
    offset = 0
    for x0, y0, dx, dy in passes:
        columns, rows = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if columns <= 0 or rows <= 0:
            continue
        stride = (columns * bits + 7) // 8
        size = rows * (stride + 1)
        if offset + size > len(raw):
            raise PNGError("image data cut short")
        block = _unfilter(raw[offset:offset + size], rows, stride, step)
        offset += size
        values[y0::dy, x0::dx] = _unpack(block, columns, depth, samples)
    if labels:
        if colour == 4:
            values = values[:, :, :1]
        if depth == 16:
            if (values > 255).any():
                row, column = np.argwhere(values[:, :, 0] > 255)[0]
                raise PNGError(f"16-bit value {int(values[row, column, 0])} at row {row}, column {column} "
                               "does not fit a class id (0…255)")
        return values.astype(np.uint8)
    if colour == 3:
        padded = np.zeros((256, 3), dtype=np.uint8)
        padded[:len(palette)] = palette[:256]
        return padded[values[:, :, 0]]
    if depth == 16:
        values = ((values.astype(np.uint32) * 255 + 32895) >> 16).astype(np.uint8)
    elif depth < 8:
        values = (values.astype(np.uint32) * 255 // ((1 << depth) - 1)).astype(np.uint8)
    return values[:, :, :3] if samples >= 3 else values[:, :, :1]


def _unfilter(raw, rows, stride, step):
    """Undoes the per-row filters (None, Sub, Up, Average, Paeth) of `rows` rows of `stride` bytes."""
    import numpy as np
    block = np.frombuffer(raw, dtype=np.uint8).reshape(rows, stride + 1)
    out = np.zeros((rows, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(rows):
        kind, line = block[y, 0], block[y, 1:].astype(np.int32)
        if kind == 0:
            row = line
        elif kind == 2:
            row = (line + previous) & 0xFF
        elif kind == 1 and stride % step == 0:
            row = np.cumsum(line.reshape(-1, step), axis=0).reshape(-1) & 0xFF
        elif kind in (1, 3, 4):
            row = _unfilter_sequential(kind, line.tolist(), previous.tolist(), step)
        else:
            raise PNGError(f"row {y}: unknown filter type {kind}")
        out[y] = row
        previous = np.asarray(row, dtype=np.int32)
    return out


def _unfilter_sequential(kind, line, previous, step):
    """Sub (odd strides), Average and Paeth: each byte depends on the one `step` before it."""
    row = [0] * len(line)
    for i, value in enumerate(line):
        left = row[i - step] if i >= step else 0
        up = previous[i]
        if kind == 1:
            predictor = left
        elif kind == 3:
            predictor = (left + up) >> 1
        else:
            corner = previous[i - step] if i >= step else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
        row[i] = (value + predictor) & 0xFF
    return row


def _unpack(block, columns, depth, samples):
    """Rows of bytes → rows x columns x samples values (sub-byte depths unpacked, 16 bits big-endian)."""
    import numpy as np
    rows = block.shape[0]
    if depth == 8:
        return block[:, :columns * samples].reshape(rows, columns, samples)
    if depth == 16:
        wide = block[:, :columns * samples * 2].reshape(rows, columns * samples, 2).astype(np.uint16)
        return ((wide[:, :, 0] << 8) | wide[:, :, 1]).reshape(rows, columns, samples)
    per_byte = 8 // depth
    shifts = np.arange(per_byte - 1, -1, -1, dtype=np.uint8) * depth
    unpacked = (block[:, :, None] >> shifts) & ((1 << depth) - 1)
    return unpacked.reshape(rows, -1)[:, :columns].reshape(rows, columns, 1)
