#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""A tiny E2B-like Gemma 4 with an audio clip in its prompt: the oracle for splicing
audio soft tokens into the decoder (spec gemma4-multimodal §4.1-4.3).

The text model is make_text_fixtures' tiny-e2b recipe (PLE, KV sharing) with its own
seed; the audio encoder is make_audio_encoder_fixtures' tiny conformer projecting into
the text width. transformers computes what Gemma4Model does for audio: placeholder ids
-> pad (0), token embeddings scaled, the clip's soft tokens (padding steps removed)
written over the placeholder rows, per-layer inputs from the pad ids and projected from
the merged embeddings, then the decoder, causal. No newlines around the clip (the
template emits a bare <|audio|>). Writes tests/data/audio/multimodal/{model.gguf,
mmproj.gguf, reference.json (prompt, clip span, greedy continuation), logits.f32}.

    .venv/bin/python tools/reference/make_audio_multimodal_fixtures.py [OUT]
"""
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_audio_encoder_fixtures as audio  # noqa: E402
import make_text_fixtures as text  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/audio/multimodal"
PLACEHOLDER, BOA, EOA = 503, 504, 505  # the tiny vocabulary's <|audio|>, <|audio>, <audio|>
CLIP = "chirp"
GEN = 16


@torch.no_grad()
def main():
    OUT.mkdir(parents=True, exist_ok=True)
    lm = text.make_model("tiny-e2b", 2031)
    cfg, enc, embed = audio.make(402, text_hidden=lm.config.hidden_size)
    soft = audio.encode(enc, embed, audio.read_wav(ROOT / f"tests/data/audio/{CLIP}.wav"))
    n = soft.shape[0]

    prompt = [2, 105, 17, 23, BOA] + [PLACEHOLDER] * n + [EOA, 31, 47, 106, 105, 59]
    first = prompt.index(PLACEHOLDER)
    tm = lm.model

    def run(seq):
        ids = torch.tensor([seq])
        ids = ids.masked_fill(ids == PLACEHOLDER, 0)
        e = tm.embed_tokens(ids)
        e[0, first:first + n] = soft
        return lm(inputs_embeds=e, per_layer_inputs=tm.get_per_layer_inputs(ids, e)).logits[0].float()

    logits = run(prompt)
    seq, gen = list(prompt), []
    for _ in range(GEN):
        nxt = int(run(seq)[-1].argmax())
        gen.append(nxt)
        seq.append(nxt)

    text.write_gguf(OUT / "model.gguf", lm, "tiny-e2b-audio")
    audio.write_gguf(OUT / "mmproj.gguf", cfg, enc, embed, text_hidden=lm.config.hidden_size)
    logits.numpy().astype("<f4").tofile(OUT / "logits.f32")
    top2 = torch.topk(logits, 2, dim=-1).values
    (OUT / "reference.json").write_text(json.dumps({
        "prompt": prompt, "audio_first": first, "audio_tokens": n, "clip": f"{CLIP}.wav",
        "greedy": gen, "min_top2_margin": float((top2[:, 0] - top2[:, 1]).min())}, indent=1) + "\n")
    print(f"prompt {len(prompt)} tokens with {n} audio soft tokens at {first}; greedy {gen}")


if __name__ == "__main__":
    main()
