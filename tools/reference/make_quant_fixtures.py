#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Random quantized blocks and gguf-py's dequantization of them, for every type the
engine computes with: tests/data/quant/<TYPE>.bin (the raw blocks, as a GGUF file
stores them) and <TYPE>.f32 (gguf.quants.dequantize, little-endian f32).

Blocks are random bytes with their scale fields replaced by finite values of a
realistic size (f16 scales in [2^-10, 2^-2], either sign where the format allows,
E8M0 exponents 118..135), so every bit pattern of the quants is exercised.

    .venv/bin/python tools/reference/make_quant_fixtures.py [OUT_DIR]
"""
import sys
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize

# type -> byte offsets of f16 scale fields inside one block
F16_FIELDS = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208], T.IQ4_NL: [0], T.IQ4_XS: [0],
}
TYPES = list(F16_FIELDS) + [T.MXFP4]
ROWS, BLOCKS_PER_ROW = 6, 3  # 6 rows x 3 blocks: rows start at unaligned byte offsets


def random_blocks(rng, t):
    block_elems, block_bytes = GGML_QUANT_SIZES[t]
    n = ROWS * BLOCKS_PER_ROW
    raw = rng.integers(0, 256, size=(n, block_bytes), dtype=np.uint8)
    for off in F16_FIELDS.get(t, []):
        scale = (rng.uniform(2.0 ** -10, 2.0 ** -2, n) * rng.choice([-1.0, 1.0], n)).astype(np.float16)
        raw[:, off:off + 2] = scale.view(np.uint8).reshape(n, 2)
    if t == T.MXFP4:
        raw[:, 0] = rng.integers(118, 136, n, dtype=np.uint8)
    return raw


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "tests" / "data" / "quant"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    for t in TYPES:
        raw = random_blocks(rng, t)
        values = dequantize(raw.reshape(-1), t).astype(np.float32)
        raw.tofile(out / f"{t.name}.bin")
        values.tofile(out / f"{t.name}.f32")
    (out / "README").write_text(
        f"{ROWS} rows x {BLOCKS_PER_ROW} blocks per type; written by tools/reference/make_quant_fixtures.py\n")


if __name__ == "__main__":
    main()
