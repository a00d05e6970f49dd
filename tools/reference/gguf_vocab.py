# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""A synthetic SentencePiece-style vocabulary for GGUF files that only ever see token ids."""
import gguf


def add_tokenizer(w, vocab):
    # A SentencePiece-style vocabulary so llama.cpp accepts the file; the parity tests
    # and benchmarks feed token ids, so the pieces only need to be distinct.
    tokens, scores, types = [], [], []
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>"]
    for i, s in enumerate(specials):
        tokens.append(s)
        scores.append(0.0)
        types.append(gguf.TokenType.UNKNOWN if s == "<unk>" else gguf.TokenType.CONTROL)
    for b in range(256):
        tokens.append(f"<0x{b:02X}>")
        scores.append(0.0)
        types.append(gguf.TokenType.BYTE)
    k = 0
    while len(tokens) < vocab:
        tokens.append("\u2581w" + str(k))
        scores.append(-float(k))
        types.append(gguf.TokenType.NORMAL)
        k += 1
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(2)
    w.add_eos_token_id(1)
    w.add_pad_token_id(0)
    w.add_unk_token_id(3)
