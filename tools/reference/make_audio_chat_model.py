#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""A tiny random Gemma 4 E2B-like model that chats: the real Gemma 4-style vocabulary
(make_gemma4_tokenizer_gguf.py, from shared/data), a 4-layer decoder with PLE and KV
sharing, and an mmproj holding both tiny encoders (make_vision_fixtures' "ondevice"
kind and make_audio_encoder_fixtures' conformer) projecting into its width.

Its replies are random tokens; it exists so the app can be driven end to end (images,
audio, dictation) in tests without a real model. The vocabulary makes it about 40 MB,
so it is built at test time into OUT, never committed:

    .venv/bin/python tools/reference/make_audio_chat_model.py OUT   # OUT/model.gguf, OUT/mmproj.gguf
"""
import sys
from pathlib import Path

import gguf
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_audio_encoder_fixtures as audio  # noqa: E402
import make_gemma4_tokenizer_gguf as vocab  # noqa: E402
import make_text_fixtures as text  # noqa: E402
import make_vision_fixtures as vision  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOKENIZER = ROOT.parent / "shared/data/gemma3-tokenizer/tokenizer.json"


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    if not TOKENIZER.exists():
        sys.exit(f"{TOKENIZER} is missing: the chat model needs the shared Gemma vocabulary")
    text.VARIANTS["chat-e2b"] = dict(
        num_hidden_layers=4, layer_types=text.pattern(4, 2), num_key_value_heads=1, hidden_size_per_layer_input=8,
        num_kv_shared_layers=2, vocab_size=vocab.VOCAB, vocab_size_per_layer_input=vocab.VOCAB,
        max_position_embeddings=4096, sliding_window=512)
    lm = text.make_model("chat-e2b", 77)
    text.add_tokenizer = lambda w, _: vocab.add_vocab(w, TOKENIZER)
    # The two vocabulary-sized tables in f16 keep the file small.
    sd = lm.state_dict()
    big = {"token_embd.weight": "model.embed_tokens.weight",
           "per_layer_token_embd.weight": "model.embed_tokens_per_layer.weight"}
    blocks = {g: (gguf.GGMLQuantizationType.F16, sd[h].float().numpy().astype(np.float16)) for g, h in big.items()}
    text.write_gguf(out / "model.gguf", lm, "tiny-chat-e2b", blocks=blocks)

    hidden = lm.config.hidden_size
    vcfg, venc, vembed = vision.make("ondevice", 301, text_hidden=hidden)
    acfg, aenc, aembed = audio.make(401, text_hidden=hidden)
    vision.write_gguf(out / "mmproj.gguf", vcfg, venc, vembed, text_hidden=hidden,
                      audio=lambda w: audio.add_audio(w, acfg, aenc, aembed, hidden))
    print(f"{out}/model.gguf and mmproj.gguf")


if __name__ == "__main__":
    main()
