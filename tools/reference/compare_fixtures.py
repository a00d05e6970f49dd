#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Compares freshly written fixtures with the committed ones.

    .venv/bin/python tools/reference/compare_fixtures.py FRESH_DIR COMMITTED_DIR

Files must match byte for byte, with one exception: numbers torch computed in f32.
PyTorch's CPU kernels pick their vector code by the instruction set they find
(torch.backends.cpu.get_cpu_capability(): AVX2, AVX512, ...), and the rounding of
sums and of softplus/GELU differs between those paths in the last bits. The committed
fixtures regenerate bit for bit on the instruction set that wrote them; on an AVX2-only
EPYC they were 2e-7..2.9e-5 of each file's largest value apart (the most in tiny-e4b,
26 layers deep). So f32 arrays, the floats in JSON files and the F32/F16 tensors of GGUF
files may differ by STALE_TOLERANCE of the file's largest magnitude (or of 1, when all
are smaller); everything else (file lists, shapes, integers, strings, metadata, quantized
blocks, token ids, expert choices) must be equal. A stale fixture, one a changed script no longer writes,
moves by far more than that: the engine tests hold the engine itself to 1e-3.
"""
import json
import sys
from pathlib import Path

import numpy as np

STALE_TOLERANCE = 1e-4


class Mismatch(Exception):
    pass


def within(fresh, committed, what):
    """Returns the deviation relative to the committed array's largest magnitude, or to 1
    where that is smaller: a JSON file's top-2 margins are differences of logits of order
    one, and are as far apart as those logits are."""
    fresh, committed = np.asarray(fresh, np.float64), np.asarray(committed, np.float64)
    if fresh.shape != committed.shape:
        raise Mismatch(f"{what}: shape {fresh.shape} against {committed.shape}")
    if not np.array_equal(np.isfinite(fresh), np.isfinite(committed)):
        raise Mismatch(f"{what}: non-finite values in different places")
    finite = np.isfinite(committed)
    if not np.array_equal(fresh[~finite], committed[~finite], equal_nan=True):
        raise Mismatch(f"{what}: non-finite values differ")
    if not finite.any():
        return 0.0
    scale = max(np.abs(committed[finite]).max(), 1.0)
    deviation = np.abs(fresh[finite] - committed[finite]).max() / scale
    if deviation > STALE_TOLERANCE:
        raise Mismatch(f"{what}: {deviation:.1e} of its scale apart (tolerance {STALE_TOLERANCE:g})")
    return float(deviation)


def compare_f32(fresh, committed, what):
    a, b = fresh.read_bytes(), committed.read_bytes()
    if len(a) != len(b) or len(a) % 4:
        raise Mismatch(f"{what}: {len(a)} bytes against {len(b)}")
    return within(np.frombuffer(a, np.float32), np.frombuffer(b, np.float32), what)


def json_floats(fresh, committed, path, out):
    """Checks everything but floats exactly; gathers float pairs into out."""
    if isinstance(committed, dict):
        if not isinstance(fresh, dict) or list(fresh) != list(committed):
            raise Mismatch(f"{path}: keys differ")
        for k in committed:
            json_floats(fresh[k], committed[k], f"{path}.{k}", out)
    elif isinstance(committed, list):
        if not isinstance(fresh, list) or len(fresh) != len(committed):
            raise Mismatch(f"{path}: lengths differ")
        for i, (f, c) in enumerate(zip(fresh, committed)):
            json_floats(f, c, f"{path}[{i}]", out)
    elif isinstance(committed, float) or isinstance(fresh, float):
        if isinstance(fresh, bool) or isinstance(committed, bool) or \
                not isinstance(fresh, (int, float)) or not isinstance(committed, (int, float)):
            raise Mismatch(f"{path}: {fresh!r} against {committed!r}")
        out.append((float(fresh), float(committed)))
    elif fresh != committed or type(fresh) is not type(committed):
        raise Mismatch(f"{path}: {fresh!r} against {committed!r}")


def compare_json(fresh, committed, what):
    pairs = []
    json_floats(json.loads(fresh.read_text()), json.loads(committed.read_text()), what, pairs)
    if not pairs:
        raise Mismatch(f"{what}: differs")
    return within([a for a, _ in pairs], [b for _, b in pairs], what)


def compare_gguf(fresh, committed, what):
    import gguf
    def metadata(reader):
        return {k: (f.types, [p.tobytes() for p in f.parts]) for k, f in reader.fields.items()}

    def tensor_list(reader):
        return [(t.name, t.tensor_type, list(t.shape)) for t in reader.tensors]

    a, b = gguf.GGUFReader(fresh), gguf.GGUFReader(committed)
    if metadata(a) != metadata(b):
        raise Mismatch(f"{what}: metadata differs")
    if tensor_list(a) != tensor_list(b):
        raise Mismatch(f"{what}: tensor list differs")
    worst = 0.0
    floats = (gguf.GGMLQuantizationType.F32, gguf.GGMLQuantizationType.F16)
    for ta, tb in zip(a.tensors, b.tensors):
        da, db = np.asarray(ta.data), np.asarray(tb.data)
        if da.tobytes() == db.tobytes():
            continue
        if ta.tensor_type not in floats:
            raise Mismatch(f"{what}: {ta.name} ({ta.tensor_type.name}) differs")
        worst = max(worst, within(da, db, f"{what}: {ta.name}"))
    return worst


def main():
    fresh_root, committed_root = Path(sys.argv[1]), Path(sys.argv[2])
    fresh = {p.relative_to(fresh_root) for p in fresh_root.rglob("*") if p.is_file()}
    committed = {p.relative_to(committed_root) for p in committed_root.rglob("*") if p.is_file()}
    problems = [f"only written now: {p}" for p in sorted(fresh - committed)]
    problems += [f"only committed: {p}" for p in sorted(committed - fresh)]
    identical, close = 0, []
    for rel in sorted(fresh & committed):
        f, c = fresh_root / rel, committed_root / rel
        if f.read_bytes() == c.read_bytes():
            identical += 1
            continue
        compare = {".f32": compare_f32, ".json": compare_json, ".gguf": compare_gguf}.get(rel.suffix)
        try:
            if compare is None:
                raise Mismatch(f"{rel}: differs")
            close.append((compare(f, c, str(rel)), str(rel)))
        except (Mismatch, ValueError) as e:
            problems.append(str(e))
    for p in problems:
        print(p)
    if close:
        import torch
        worst, name = max(close)
        print(f"{committed_root.name}: {identical} files bit for bit, {len(close)} within "
              f"{STALE_TOLERANCE:g} (worst {worst:.1e}, {name}) on torch's "
              f"{torch.backends.cpu.get_cpu_capability()} kernels")
    elif not problems:
        print(f"{committed_root.name}: {identical} files bit for bit")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
