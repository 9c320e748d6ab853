#!/usr/bin/env python3
# Writes the tiny hand-made tensor files in this folder, byte by byte from the format specifications, with no NumPy and
# no safetensors library (so they are not produced by the code under test, nor by its conventions):
#   .npy:          numpy/lib/format.py (NEP 1): b"\x93NUMPY", major, minor, header length (uint16 LE for 1.0, uint32 LE
#                  for 2.0/3.0), a Python dict literal padded with spaces and ended by '\n', then the raw elements.
#   .safetensors:  huggingface/safetensors README: uint64 LE header length N, N bytes of JSON, then the data section.
# The expected values are restated independently in HandWrittenFileTests.cs. Run from this folder: python3 make_data.py
import json
import struct


def npy(path, major, header, payload, align=64):
    prefix = 10 if major == 1 else 12
    total = prefix + len(header) + 1
    header = header + " " * ((-total) % align) + "\n"
    length = struct.pack("<H", len(header)) if major == 1 else struct.pack("<I", len(header))
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY" + bytes([major, 0]) + length + header.encode("latin1" if major < 3 else "utf-8") + payload)


# 1.0, little-endian float32, C order, 2x3: 1, -2.5, 0.15625, -0, smallest subnormal (0x00000001), +inf.
npy("f4_c_v1.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
    struct.pack("<6I", 0x3F800000, 0xC0200000, 0x3E200000, 0x80000000, 0x00000001, 0x7F800000))

# 2.0, big-endian float64, Fortran order, logical [[1, 2, 3], [4, 5, 6]]: stored column by column 1, 4, 2, 5, 3, 6.
# Keys in another order, double quotes, no trailing comma, 16-byte alignment (older NumPy): still a valid header.
npy("f8_be_fortran_v2.npy", 2, '{"shape": (2, 3), "fortran_order": True, "descr": ">f8"}',
    struct.pack(">6d", 1, 4, 2, 5, 3, 6), align=16)

# 3.0 (UTF-8 header), bfloat16 stored as '<u2', shape (4,): 1.0, -2.0, 3.140625, +inf.
npy("bf16_u2_v3.npy", 3, "{'descr': '<u2', 'fortran_order': False, 'shape': (4,), }",
    struct.pack("<4H", 0x3F80, 0xC000, 0x4049, 0x7F80))

# 1.0, float16, 0-d (shape ()), Python 2 style header: 65504 (0x7BFF).
npy("f2_0d_v1.npy", 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (), }", struct.pack("<H", 0x7BFF))

# safetensors: tensors listed out of data order, metadata last, JSON not padded (N is not a multiple of 8).
data = [
    ("q.e4m3", "F8_E4M3", [4], bytes([0x38, 0x7E, 0xFE, 0x7F])),      # 1, 448, -448, NaN
    ("w.f32", "F32", [2, 2], struct.pack("<4f", 0.5, -1.0, 2.0, 0.25)),
    ("w.f16", "F16", [3], struct.pack("<3H", 0x3C00, 0xC000, 0x7BFF)),  # 1, -2, 65504
    ("w.bf16", "BF16", [2], struct.pack("<2H", 0x3F80, 0xC0A0)),        # 1, -5
    ("w.f64", "F64", [], struct.pack("<d", 0.1)),                       # 0-d
    ("q.e5m2", "F8_E5M2", [4], bytes([0x3C, 0x7B, 0x7C, 0x01])),      # 1, 57344, +inf, 2^-16
    ("ids.i8", "I8", [3], struct.pack("<3b", -128, 0, 127)),
    ("ids.u8", "U8", [2], bytes([0, 255])),
    ("empty", "F32", [0, 4], b""),
]
offset, header, body = 0, {}, b""
for name, dtype, shape, raw in data:
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
    offset += len(raw)
    body += raw
entries = sorted(header.items(), key=lambda kv: kv[0])
header = dict(entries)
header["__metadata__"] = {"format": "pt", "source": "hand-made"}
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
with open("handmade.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + body)
