#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Writes the GGUF reader's test files into tests/data/gguf/ (or the folder given).

The valid files come from the `gguf` package's GGUFWriter, as llama.cpp's converters
write them; every damaged file is one of those with a few bytes edited, so each test
meets exactly one problem. Tensor values follow simple formulas that
tests/engine/tst_gguf_reader.cpp recomputes. Running the script twice gives the same
bytes (tests/engine/CMakeLists.txt checks that).

    .venv/bin/python tools/reference/make_gguf_fixtures.py [OUT_DIR]
"""
import struct
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGUFWriter, GGUFReader, GGMLQuantizationType as T, GGUFValueType as V


def ramp(n, scale=0.125, shift=-2.0):
    return (np.arange(n, dtype=np.float32) * np.float32(scale) + np.float32(shift)).astype(np.float32)


def write_valid(path, arch="gemma4", endianess=gguf.GGUFEndian.LITTLE, alignment=None):
    w = GGUFWriter(str(path), arch, endianess=endianess)
    if alignment is not None:
        w.data_alignment = alignment
        w.add_custom_alignment(alignment)
    w.add_name("tiny fixture")
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4000000000)
    w.add_int32("test.i32", -2000000000)
    w.add_float32("test.f32", 0.15625)
    w.add_bool("test.bool", True)
    w.add_uint64("test.u64", 2**63 + 5)
    w.add_int64("test.i64", -(2**62))
    w.add_float64("test.f64", -1.0e300)
    w.add_string("test.string", "héllo, wörld ✓")
    w.add_array("test.array_i32", [1, -2, 3, -4])
    w.add_array("test.array_f32", [0.5, 1.5, -2.25])
    w.add_array("test.array_str", ["<bos>", "▁the", "", "😀"])
    w.add_key_value("test.array_nested", [[1, 2], [3, 4, 5], [6]], V.ARRAY)
    w.add_key_value("test.array_nested_str", [["a", "b"], ["c"]], V.ARRAY)
    w.add_uint32(f"{arch}.block_count", 2)
    # [4, 8] f32 ramp, [2, 64] f16 ramp, [2, 64] bf16, [2, 64] Q8_0
    w.add_tensor("ramp.f32", ramp(32).reshape(4, 8))
    w.add_tensor("ramp.f16", ramp(128, 0.25, -16.0).astype(np.float16).reshape(2, 64))
    bf16 = (ramp(128, 0.5, -32.0).view(np.uint32) >> 16).astype(np.uint16).reshape(2, 64)
    w.add_tensor("ramp.bf16", bf16.view(np.uint8).reshape(2, 128), raw_dtype=T.BF16)
    q8 = gguf.quants.quantize(ramp(128, 0.0625, -4.0).reshape(2, 64), T.Q8_0)
    w.add_tensor("ramp.q8_0", q8, raw_dtype=T.Q8_0)
    w.add_tensor("blk.0.attn_q.weight", ramp(3 * 5 * 2 * 32, 1.0, 0.0).reshape(2, 5, 3, 32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write_split(out):
    w = GGUFWriter(str(out / "split.gguf"), "gemma4", split_max_tensors=2)
    w.add_name("split fixture")
    for i in range(5):
        w.add_tensor(f"t{i}", np.full((4, 8), float(i), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


class Layout:
    """Byte positions of fields in a valid little-endian file, found with GGUFReader."""

    def __init__(self, path):
        self.r = GGUFReader(str(path))
        self.data = bytearray(Path(path).read_bytes())

    def kv_start(self, key):
        return self.r.fields[key].offset

    def tensor_field(self, name):
        for t in self.r.tensors:
            if t.name == name:
                f = t.field
                pos = f.offset + 8 + len(name.encode())
                n_dims = struct.unpack_from("<I", self.data, pos)[0]
                return {"n_dims": pos, "dims": pos + 4, "type": pos + 4 + 8 * n_dims,
                        "offset": pos + 4 + 8 * n_dims + 4}
        raise KeyError(name)


def edited(src, dst, edits=(), cut=None):
    b = bytearray(Path(src).read_bytes())
    for pos, fmt, value in edits:
        struct.pack_into(fmt, b, pos, value)
    if cut is not None:
        b = b[:cut]
    Path(dst).write_bytes(bytes(b))


def write_nested_deep(path, depth):
    value = [1]
    for _ in range(depth):
        value = [value]
    w = GGUFWriter(str(path), "gemma4")
    w.add_key_value("test.deep", value, V.ARRAY)
    w.add_tensor("x", np.zeros(8, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "tests" / "data" / "gguf"
    out.mkdir(parents=True, exist_ok=True)
    tiny = out / "tiny.gguf"
    write_valid(tiny)
    write_valid(out / "aligned64.gguf", alignment=64)
    write_valid(out / "big-endian.gguf", endianess=gguf.GGUFEndian.BIG)
    write_valid(out / "llama-arch.gguf", arch="llama")  # a valid file of another architecture
    write_split(out)
    write_nested_deep(out / "nested-deep.gguf", 10)
    write_nested_deep(out / "nested-ok.gguf", 7)

    lay = Layout(tiny)
    size = len(lay.data)
    q = lay.tensor_field("ramp.q8_0")
    f16 = lay.tensor_field("ramp.f16")
    f32 = lay.tensor_field("ramp.f32")
    name_kv = lay.kv_start("general.name")
    arr_kv = lay.kv_start("test.array_i32")
    arr_count = arr_kv + 8 + len("test.array_i32") + 4 + 4

    edited(tiny, out / "version2.gguf", [(4, "<I", 2)])
    edited(tiny, out / "version1.gguf", [(4, "<I", 1)])
    edited(tiny, out / "version9.gguf", [(4, "<I", 9)])
    edited(tiny, out / "bad-magic.gguf", [(0, "4s", b"GGUX")])
    (out / "empty.gguf").write_bytes(b"")
    edited(tiny, out / "truncated.gguf", cut=size - 100)
    edited(tiny, out / "truncated-header.gguf", cut=name_kv + 20)
    edited(tiny, out / "huge-tensor-count.gguf", [(8, "<q", 2**40)])
    edited(tiny, out / "huge-kv-count.gguf", [(16, "<q", 2**40)])
    edited(tiny, out / "negative-tensor-count.gguf", [(8, "<q", -1)])
    edited(tiny, out / "huge-string.gguf", [(name_kv + 8 + len("general.name") + 4, "<Q", 2**60)])
    edited(tiny, out / "huge-array.gguf", [(arr_count, "<Q", 2**61)])
    edited(tiny, out / "bad-value-type.gguf", [(name_kv + 8 + len("general.name"), "<I", 13)])
    edited(tiny, out / "bad-tensor-type.gguf", [(q["type"], "<I", 99)])
    edited(tiny, out / "tensor-past-end.gguf", [(q["offset"], "<Q", 2**20)])
    edited(tiny, out / "offset-overflow.gguf", [(q["offset"], "<Q", 2**64 - 32)])
    f32_offset = struct.unpack_from("<Q", lay.data, f32["offset"])[0]
    edited(tiny, out / "overlap.gguf", [(f16["offset"], "<Q", f32_offset + 32)])
    edited(tiny, out / "misaligned.gguf", [(q["offset"], "<Q", struct.unpack_from("<Q", lay.data, q["offset"])[0] + 4)])
    edited(tiny, out / "too-many-dims.gguf", [(q["n_dims"], "<I", 5)])
    edited(tiny, out / "dim-overflow.gguf", [(f32["dims"], "<q", 2**40), (f32["dims"] + 8, "<q", 2**40)])
    edited(tiny, out / "negative-dim.gguf", [(f32["dims"] + 8, "<q", -4)])
    edited(tiny, out / "ragged-block.gguf", [(q["dims"], "<q", 40)])
    # general.alignment = 48: not a power of two.
    aligned = Layout(out / "aligned64.gguf")
    edited(out / "aligned64.gguf", out / "bad-alignment.gguf",
           [(aligned.kv_start("general.alignment") + 8 + len("general.alignment") + 4, "<I", 48)])
    # split part 2 missing / mismatched parts
    parts = sorted(out.glob("split-*-of-*.gguf"))
    miss = out / "missing"
    miss.mkdir(exist_ok=True)
    (miss / "split-00001-of-00003.gguf").write_bytes(parts[0].read_bytes())
    (miss / "split-00003-of-00003.gguf").write_bytes(parts[2].read_bytes())
    (out / "renamed-part.gguf").write_bytes(parts[0].read_bytes())


if __name__ == "__main__":
    main()
