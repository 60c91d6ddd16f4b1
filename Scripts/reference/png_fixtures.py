#!/usr/bin/env python3
"""PNG files that marginal's own writer cannot make (it writes 8-bit only), for
Tests/MarginalEngineTests/PNGImageTests.swift: printed as base64, pasted into the test.

Standard library only (zlib, struct, base64). Run: python3 Scripts/reference/png_fixtures.py
"""
import base64
import struct
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, bit_depth, color_type, rows, palette=None, interlace=0):
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace))
    if palette:
        out += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pack(values, bits):
    """Packs values of `bits` bits, most significant first, padding the row to a byte."""
    per_byte = 8 // bits
    out = bytearray()
    for start in range(0, len(values), per_byte):
        group = values[start:start + per_byte] + [0] * (per_byte - len(values[start:start + per_byte]))
        byte = 0
        for v in group:
            byte = (byte << bits) | v
        out.append(byte)
    return bytes(out)


# 5 x 3 palette PNG, 4 bits a pixel: indices 0..11, 16-colour palette (colour i = (16 i, 255 - 16 i, i)).
indices4 = [[(r * 5 + c) % 12 for c in range(5)] for r in range(3)]
palette16 = [(16 * i, 255 - 16 * i, i) for i in range(16)]
print("palette4:", base64.b64encode(png(5, 3, 4, 3, [pack(row, 4) for row in indices4], palette16)).decode())

# 4 x 2 gray PNG, 16 bits: labels 0..7 as big-endian 16-bit values.
labels16 = [[r * 4 + c for c in range(4)] for r in range(2)]
print("gray16:", base64.b64encode(png(4, 2, 16, 0, [b"".join(struct.pack(">H", v) for v in row) for row in labels16])).decode())

# 6 x 2 gray PNG, 2 bits: values 0..3 (read as labels: 0..3; as a picture: 0, 85, 170, 255).
values2 = [[(r + c) % 4 for c in range(6)] for r in range(2)]
print("gray2:", base64.b64encode(png(6, 2, 2, 0, [pack(row, 2) for row in values2])).decode())

# 3 x 2 gray+alpha PNG, 8 bits: gray r*3+c times 40, alpha 128 (alpha is dropped).
print("grayAlpha:", base64.b64encode(png(3, 2, 8, 4, [bytes(sum(([40 * (r * 3 + c), 128] for c in range(3)), [])) for r in range(2)])).decode())

# 7 x 5 palette PNG, 8 bits, Adam7-interlaced: index (r * 7 + c) % 3.
interlaced = [[(r * 7 + c) % 3 for c in range(7)] for r in range(5)]
def adam7(rows, width, height):
    passes = [(0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1)]
    raw = b""
    for y0, x0, dy, dx in passes:
        for y in range(y0, height, dy):
            line = bytes(rows[y][x] for x in range(x0, width, dx))
            if line:
                raw += b"\x00" + line
    return raw
data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 7, 5, 8, 3, 0, 0, 1))
data += chunk(b"PLTE", bytes([0, 0, 0, 255, 0, 0, 0, 255, 0])) + chunk(b"IDAT", zlib.compress(adam7(interlaced, 7, 5))) + chunk(b"IEND", b"")
print("interlaced:", base64.b64encode(data).decode())
