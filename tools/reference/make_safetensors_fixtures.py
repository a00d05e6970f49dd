#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Writes Hugging Face-style model folders for the safetensors reader's tests into
tests/data/safetensors/ (or the folder given): a single-file model, a sharded one with
its index, and damaged copies, each with one problem. Files come from the
`safetensors` package; damaged ones are byte edits of them. Deterministic.

    .venv/bin/python tools/reference/make_safetensors_fixtures.py [OUT_DIR]
"""
import json
import shutil
import struct
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

CONFIG = {"architectures": ["Gemma4ForConditionalGeneration"], "model_type": "gemma4",
          "text_config": {"hidden_size": 8, "num_hidden_layers": 2}}


def tensors():
    return {
        "model.embed.weight": (np.arange(24, dtype=np.float32) * 0.5 - 3.0).reshape(6, 4),
        "model.norm.weight": np.arange(4, dtype=np.float16),
        "model.layers.0.ids": np.array([[1, -2, 3]], dtype=np.int64),
    }


def folder(out, name):
    d = out / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    (d / "config.json").write_text(json.dumps(CONFIG, indent=2) + "\n")
    return d


def header_of(path):
    b = Path(path).read_bytes()
    n = struct.unpack_from("<Q", b, 0)[0]
    return json.loads(b[8:8 + n]), b[8 + n:]


def rewrite(path, header, data, pad_to=None):
    text = json.dumps(header, separators=(",", ":")).encode()
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + data)


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "tests" / "data" / "safetensors"
    out.mkdir(parents=True, exist_ok=True)
    t = tensors()

    single = folder(out, "single")
    save_file(t, str(single / "model.safetensors"), metadata={"format": "pt"})

    sharded = folder(out, "sharded")
    names = sorted(t)
    shards = {"model-00001-of-00002.safetensors": names[:2], "model-00002-of-00002.safetensors": names[2:]}
    for fname, keys in shards.items():
        save_file({k: t[k] for k in keys}, str(sharded / fname))
    index = {"metadata": {"total_size": 0}, "weight_map": {k: f for f, ks in shards.items() for k in ks}}
    (sharded / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")

    no_config = folder(out, "no-config")
    (no_config / "config.json").unlink()
    save_file(t, str(no_config / "model.safetensors"))

    empty = folder(out, "no-weights")

    bad_config = folder(out, "bad-config")
    (bad_config / "config.json").write_text('{"model_type": "gemma4",}\n')
    save_file(t, str(bad_config / "model.safetensors"))

    src = single / "model.safetensors"
    header, data = header_of(src)

    d = folder(out, "truncated")
    (d / "model.safetensors").write_bytes(src.read_bytes()[:-8])

    d = folder(out, "header-past-end")
    b = bytearray(src.read_bytes())
    struct.pack_into("<Q", b, 0, len(b))
    (d / "model.safetensors").write_bytes(bytes(b))

    d = folder(out, "huge-header")
    b = bytearray(src.read_bytes())
    struct.pack_into("<Q", b, 0, 2**62)
    (d / "model.safetensors").write_bytes(bytes(b))

    d = folder(out, "bad-header-json")
    b = bytearray(src.read_bytes())
    b[8] = ord("[")  # the header's opening brace becomes a bracket
    (d / "model.safetensors").write_bytes(bytes(b))

    d = folder(out, "size-mismatch")
    h = json.loads(json.dumps(header))
    h["model.embed.weight"]["shape"] = [7, 4]
    rewrite(d / "model.safetensors", h, data)

    d = folder(out, "unknown-dtype")
    h = json.loads(json.dumps(header))
    h["model.norm.weight"]["dtype"] = "F4"
    rewrite(d / "model.safetensors", h, data)

    d = folder(out, "overlap")
    h = json.loads(json.dumps(header))
    start = h["model.embed.weight"]["data_offsets"][0]
    h["model.norm.weight"]["data_offsets"] = [start, start + 8]  # 4 x F16 inside model.embed.weight
    rewrite(d / "model.safetensors", h, data)

    d = folder(out, "index-missing-shard")
    for fname in shards:
        shutil.copy(sharded / fname, d / fname)
    (d / "model-00002-of-00002.safetensors").unlink()
    shutil.copy(sharded / "model.safetensors.index.json", d)

    d = folder(out, "index-wrong-shard")
    for fname in shards:
        shutil.copy(sharded / fname, d / fname)
    wrong = json.loads(json.dumps(index))
    wrong["weight_map"]["model.norm.weight"] = "model-00001-of-00002.safetensors"
    (d / "model.safetensors.index.json").write_text(json.dumps(wrong, indent=2) + "\n")


if __name__ == "__main__":
    main()
