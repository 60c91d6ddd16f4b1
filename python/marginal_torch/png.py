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
