#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""A tiny E2B-like Gemma 4 with an image in its prompt: the oracle for splicing soft
tokens into the decoder (spec gemma4-multimodal §4.1-4.3).

The text model is make_text_fixtures' tiny-e2b recipe (PLE, KV sharing) with its own
seed; the vision encoder is make_vision_fixtures' "ondevice" kind projecting into the
text width. transformers computes, as Gemma4Model does: placeholder ids -> pad (0),
token embeddings scaled, the image's soft tokens written over the placeholder rows,
per-layer inputs from the pad ids and projected from the merged embeddings, then the
decoder, causal (E2B/E4B). Writes tests/data/vision/multimodal/{model.gguf,
mmproj.gguf, reference.json (prompt, image span, greedy continuation), logits.f32}.

And the same for a tiny 31B-like model (no PLE, K=V global layers, an 8-token sliding
window) with the "large" encoder, into tests/data/vision/multimodal-31b: there
use_bidirectional_attention is "vision", so transformers' own mask builder
(create_masks_for_vision_model with the image's token types) lets the image's tokens
see each other in the sliding layers (the window still bounds the past), global layers
stay causal.

    .venv/bin/python tools/reference/make_multimodal_fixtures.py
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from transformers.image_utils import load_image
from transformers.models.gemma4.modeling_gemma4 import create_masks_for_vision_model, get_block_sequence_ids_for_mask
from transformers.models.gemma4.image_processing_pil_gemma4 import Gemma4ImageProcessorPil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_text_fixtures as text  # noqa: E402
import make_vision_fixtures as vision  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/vision/multimodal"
OUT_31B = OUT.parent / (OUT.name + "-31b")
PLACEHOLDER, BOI, EOI = 500, 501, 502  # the tiny vocabulary's <|image|>, <|image>, <image|>
GEN = 16


@torch.no_grad()
def main():
    OUT.mkdir(parents=True, exist_ok=True)
    lm = text.make_model("tiny-e2b", 2026)
    cfg, venc, embed = vision.make("ondevice", 300, text_hidden=lm.config.hidden_size)
    image = load_image(str(ROOT / "tests/data/vision/images/tiny-64x64.png"))
    proc = Gemma4ImageProcessorPil(max_soft_tokens=70)(images=[image], return_tensors="pt")
    soft = embed(venc(pixel_values=proc["pixel_values"], pixel_position_ids=proc["image_position_ids"]).last_hidden_state)
    n_img = soft.shape[0]

    prompt = [2, 105, 17, 23, 108, BOI] + [PLACEHOLDER] * n_img + [EOI, 108, 31, 47, 106, 105, 59]
    first = prompt.index(PLACEHOLDER)
    ids = torch.tensor([prompt])
    ids_llm = ids.masked_fill(ids == PLACEHOLDER, 0)
    tm = lm.model
    embeds = tm.embed_tokens(ids_llm)
    embeds[0, first:first + n_img] = soft
    per_layer = tm.get_per_layer_inputs(ids_llm, embeds)
    logits = lm(inputs_embeds=embeds, per_layer_inputs=per_layer).logits[0].float()

    # Greedy continuation: later tokens are ordinary text, fed as ids.
    seq, gen = list(prompt), []
    all_embeds = embeds
    for _ in range(GEN):
        ids_now = torch.tensor([seq]).masked_fill(torch.tensor([seq]) == PLACEHOLDER, 0)
        e = tm.embed_tokens(ids_now)
        e[0, first:first + n_img] = soft
        out = lm(inputs_embeds=e, per_layer_inputs=tm.get_per_layer_inputs(ids_now, e)).logits[0, -1]
        nxt = int(out.argmax())
        gen.append(nxt)
        seq.append(nxt)

    text.write_gguf(OUT / "model.gguf", lm, "tiny-e2b-multimodal")
    vision.write_gguf(OUT / "mmproj.gguf", cfg, venc, embed, text_hidden=lm.config.hidden_size)
    logits.numpy().astype("<f4").tofile(OUT / "logits.f32")
    top2 = torch.topk(logits, 2, dim=-1).values
    (OUT / "reference.json").write_text(json.dumps({
        "prompt": prompt, "image_first": first, "image_tokens": n_img, "image": "tiny-64x64.png", "budget": 70,
        "greedy": gen, "min_top2_margin": float((top2[:, 0] - top2[:, 1]).min())}, indent=1) + "\n")
    print(f"prompt {len(prompt)} tokens with {n_img} soft tokens at {first}; greedy {gen}")


@torch.no_grad()
def main_31b():
    OUT_31B.mkdir(parents=True, exist_ok=True)
    lm = text.make_model("tiny-31b", 2033)
    lm.config.use_bidirectional_attention = "vision"
    cfg, venc, embed = vision.make("large", 302, text_hidden=lm.config.hidden_size)
    image = load_image(str(ROOT / "tests/data/vision/images/tiny-64x64.png"))
    proc = Gemma4ImageProcessorPil(max_soft_tokens=70)(images=[image], return_tensors="pt")
    soft = embed(venc(pixel_values=proc["pixel_values"], pixel_position_ids=proc["image_position_ids"]).last_hidden_state)
    n_img = soft.shape[0]
    prompt = [2, 105, 17, 23, 108, BOI] + [PLACEHOLDER] * n_img + [EOI, 108, 31, 47, 106, 105, 59]
    first = prompt.index(PLACEHOLDER)
    tm = lm.model

    def run(seq):
        ids = torch.tensor([seq])
        types = (ids == PLACEHOLDER).long()  # 1: image soft token (spec §4.4)
        e = tm.embed_tokens(ids.masked_fill(ids == PLACEHOLDER, 0))
        e[0, first:first + n_img] = soft
        positions = torch.arange(len(seq))[None]
        masks = create_masks_for_vision_model(
            config=lm.config, inputs_embeds=e, attention_mask=None, past_key_values=None, position_ids=positions,
            block_sequence_ids=get_block_sequence_ids_for_mask(types, e.device))
        return lm(inputs_embeds=e, attention_mask=masks, position_ids=positions, use_cache=False).logits[0].float()

    logits = run(prompt)
    seq, gen = list(prompt), []
    for _ in range(GEN):
        nxt = int(run(seq)[-1].argmax())
        gen.append(nxt)
        seq.append(nxt)
    text.write_gguf(OUT_31B / "model.gguf", lm, "tiny-31b-multimodal")
    vision.write_gguf(OUT_31B / "mmproj.gguf", cfg, venc, embed, text_hidden=lm.config.hidden_size)
    logits.numpy().astype("<f4").tofile(OUT_31B / "logits.f32")
    top2 = torch.topk(logits, 2, dim=-1).values
    (OUT_31B / "reference.json").write_text(json.dumps({
        "prompt": prompt, "image_first": first, "image_tokens": n_img, "image": "tiny-64x64.png", "budget": 70,
        "greedy": gen, "min_top2_margin": float((top2[:, 0] - top2[:, 1]).min())}, indent=1) + "\n")
    print(f"31B-like: prompt {len(prompt)} tokens with {n_img} soft tokens at {first}; greedy {gen}")


if __name__ == "__main__":
    main()
    main_31b()
