#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Writes a vocabulary-only GGUF shaped like a published Gemma 4 file's tokenizer, from
the real Gemma vocabulary and merges in shared/data/gemma3-tokenizer/tokenizer.json.

What llama.cpp's Gemma 4 converter writes (conversion/gemma.py, gguf-py LlamaHfVocab),
reproduced here from the facts, not the code: tokenizer.ggml.model "gemma4"; every score
-1000 (a placeholder, so the merge order lives only in tokenizer.ggml.merges); byte
pieces typed BYTE, special tokens CONTROL, seven chat-syntax tokens USER_DEFINED so they
print, everything else NORMAL; add_bos true, no space prefix. Gemma 3 and Gemma 4 share
the vocabulary; the special tokens get their Gemma 4 names (spec gemma4-multimodal §3).
Tokens past 262144 (Gemma 3's <image_soft_token>) do not exist in Gemma 4 and are left
out. The file is 15 MB, so it is built at test time, never committed.

    .venv/bin/python tools/reference/make_gemma4_tokenizer_gguf.py TOKENIZER_JSON OUT.gguf
"""
import json
import re
import sys
from pathlib import Path

import gguf

VOCAB = 262144
GEMMA4_NAMES = {
    46: "<|tool>", 47: "<tool|>", 48: "<|tool_call>", 49: "<tool_call|>",
    50: "<|tool_response>", 51: "<tool_response|>", 52: '<|"|>',
    98: "<|think|>", 100: "<|channel>", 101: "<channel|>",
    105: "<|turn>", 106: "<turn|>",
    255999: "<|image>", 256000: "<|audio>",
    258880: "<|image|>", 258881: "<|audio|>", 258882: "<image|>", 258883: "<audio|>",
    258884: "<|video|>",
}
VISIBLE = {"<|channel>", "<channel|>", "<|tool_call>", "<tool_call|>", "<|tool_response>",
           "<tool_response|>", '<|"|>'}
BYTE_PIECE = re.compile(r"<0x[0-9A-Fa-f]{2}>")


def add_vocab(w, source):
    """Writes the Gemma 4-style tokenizer keys from tokenizer.json `source` into writer `w`."""
    tok = json.loads(Path(source).read_text(encoding="utf-8"))
    model = tok["model"]
    pieces = [None] * VOCAB
    for piece, i in model["vocab"].items():
        if i < VOCAB:
            pieces[i] = piece
    special = {a["id"] for a in tok["added_tokens"] if a["special"] and a["id"] < VOCAB}
    special |= set(GEMMA4_NAMES)
    for i, name in GEMMA4_NAMES.items():
        pieces[i] = name
    if any(p is None for p in pieces):
        sys.exit("tokenizer.json does not fill all 262144 ids")

    types = []
    for i, p in enumerate(pieces):
        if BYTE_PIECE.fullmatch(p):
            types.append(gguf.TokenType.BYTE)
        elif p in VISIBLE:
            types.append(gguf.TokenType.USER_DEFINED)
        elif i in special:
            types.append(gguf.TokenType.CONTROL)
        else:
            types.append(gguf.TokenType.NORMAL)
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    w.add_tokenizer_model("gemma4")
    w.add_token_list(pieces)
    w.add_token_scores([-1000.0] * VOCAB)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(2)
    w.add_eos_token_id(1)
    w.add_unk_token_id(3)
    w.add_pad_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_space_prefix(False)
    return len(merges)


def main():
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    w = gguf.GGUFWriter(str(out), "gemma4")
    w.add_name("Gemma 4 vocabulary (test data, no weights)")
    merges = add_vocab(w, source)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"{out}: {VOCAB} pieces, {merges} merges")


if __name__ == "__main__":
    main()
