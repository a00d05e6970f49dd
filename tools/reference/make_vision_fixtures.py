#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Tiny random Gemma 4 vision encoders (transformers Gemma4VisionModel + the
multimodal embedder into the text width) and what they make of one image.

Two kinds, as in the spec (gemma4-multimodal §1.1): "ondevice" (E2B/E4B: clipped
linears, no standardisation) and "large" (26B/31B: standardisation after pooling).
Each is written as an mmproj GGUF named the way llama.cpp names it (§1.6: v.patch_embd
as a [d, 3, 16, 16] convolution, v.position_embd, v.blk.N.*, mm.input_projection,
v.std_bias/v.std_scale, <linear>.input_min/max and .output_min/max scalars), with the
expected soft-token embeddings for tests/data/vision/images/tiny-64x64.png at budget 70
(576 patches, 64 soft tokens), f32, in the same folder.

    .venv/bin/python tools/reference/make_vision_fixtures.py
"""
import json
import sys
from pathlib import Path

import gguf
import numpy as np
import torch
from transformers import Gemma4VisionConfig
from transformers.image_utils import load_image
from transformers.models.gemma4.image_processing_pil_gemma4 import Gemma4ImageProcessorPil
from transformers.models.gemma4.modeling_gemma4 import Gemma4MultimodalEmbedder, Gemma4VisionModel

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/vision/encoder"
TEXT_HIDDEN = 80
KINDS = {
    "ondevice": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                     num_key_value_heads=4, head_dim=16, use_clipped_linears=True, standardize=False),
    "large": dict(hidden_size=96, intermediate_size=160, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=4, head_dim=24, use_clipped_linears=False, standardize=True),
}
LINEARS = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
           "self_attn.o_proj": "attn_out", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
NORMS = {"input_layernorm": "ln1", "post_attention_layernorm": "attn_post_norm", "pre_feedforward_layernorm": "ln2",
         "post_feedforward_layernorm": "ffn_post_norm", "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm"}


def make(kind, seed, text_hidden=TEXT_HIDDEN):
    torch.manual_seed(seed)
    cfg = Gemma4VisionConfig(position_embedding_size=64, rms_norm_eps=1e-6, **KINDS[kind])
    model = Gemma4VisionModel(cfg).float().eval()
    embed = Gemma4MultimodalEmbedder(cfg, type("T", (), {"hidden_size": text_hidden})()).float().eval()
    with torch.no_grad():
        for name, p in list(model.named_parameters()) + list(embed.named_parameters()):
            if name.endswith("norm.weight") or "layernorm" in name:
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.08 * torch.randn_like(p))
        for name, b in model.named_buffers():
            if name.endswith("input_min") or name.endswith("output_min"):
                b.fill_(-float(torch.empty(()).uniform_(0.6, 1.5)))
            elif name.endswith("input_max") or name.endswith("output_max"):
                b.fill_(float(torch.empty(()).uniform_(0.6, 1.5)))
        if cfg.standardize:
            model.std_bias.copy_(0.5 * torch.randn_like(model.std_bias))
            model.std_scale.copy_(1.0 + 0.2 * torch.randn_like(model.std_scale))
    return cfg, model, embed


def write_gguf(path, cfg, model, embed, text_hidden=TEXT_HIDDEN, audio=None):
    """audio: a callable adding an audio encoder's keys and tensors to the writer (an
    E2B/E4B mmproj holds both encoders)."""
    w = gguf.GGUFWriter(str(path), "clip")
    w.add_type("mmproj")
    w.add_bool("clip.has_vision_encoder", True)
    w.add_bool("clip.has_audio_encoder", audio is not None)
    add_vision(w, cfg, model, embed, text_hidden)
    if audio is not None:
        audio(w)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def add_vision(w, cfg, model, embed, text_hidden):
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    w.add_string("clip.vision.projector_type", "gemma4v")
    w.add_uint32("clip.vision.embedding_length", cfg.hidden_size)
    w.add_uint32("clip.vision.feed_forward_length", cfg.intermediate_size)
    w.add_uint32("clip.vision.block_count", cfg.num_hidden_layers)
    w.add_uint32("clip.vision.attention.head_count", cfg.num_attention_heads)
    w.add_float32("clip.vision.attention.layer_norm_epsilon", cfg.rms_norm_eps)
    w.add_uint32("clip.vision.projection_dim", text_hidden)
    w.add_uint32("clip.vision.patch_size", cfg.patch_size)
    w.add_uint32("clip.vision.image_size", 224)
    w.add_uint32("clip.vision.projector.scale_factor", cfg.pooling_kernel_size)
    # What the converter copies from the processor (no normalisation: the model maps
    # [0, 1] to [-1, 1] itself); llama.cpp refuses an mmproj without them.
    w.add_array("clip.vision.image_mean", [0.0, 0.0, 0.0])
    w.add_array("clip.vision.image_std", [1.0, 1.0, 1.0])
    # The converter marks the tanh GELU (hidden_act gelu_pytorch_tanh); without the key
    # llama.cpp falls back to the "quick" sigmoid GELU.
    w.add_bool("clip.use_gelu", True)
    # The patch projection as llama.cpp stores it: a convolution over (c, y, x).
    proj = sd["patch_embedder.input_proj.weight"].reshape(cfg.hidden_size, 16, 16, 3).transpose(0, 3, 1, 2)
    w.add_tensor("v.patch_embd.weight", np.ascontiguousarray(proj))
    w.add_tensor("v.position_embd.weight", sd["patch_embedder.position_embedding_table"])
    for i in range(cfg.num_hidden_layers):
        h, b = f"encoder.layers.{i}.", f"v.blk.{i}."
        for hf, g in NORMS.items():
            w.add_tensor(b + g + ".weight", sd[h + hf + ".weight"])
        for hf, g in LINEARS.items():
            w.add_tensor(b + g + ".weight", sd[h + hf + ".linear.weight"])
            if cfg.use_clipped_linears:
                for bound in ("input_min", "input_max", "output_min", "output_max"):
                    w.add_tensor(f"{b}{g}.{bound}", sd[f"{h}{hf}.{bound}"].reshape(1))
    if cfg.standardize:
        w.add_tensor("v.std_bias", sd["std_bias"])
        w.add_tensor("v.std_scale", sd["std_scale"])
    w.add_tensor("mm.input_projection.weight", embed.embedding_projection.weight.detach().float().numpy())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    image = load_image(str(ROOT / "tests/data/vision/images/tiny-64x64.png"))
    proc = Gemma4ImageProcessorPil(max_soft_tokens=70)(images=[image], return_tensors="pt")
    meta = {}
    for seed, kind in enumerate(KINDS):
        cfg, model, embed = make(kind, 100 + seed)
        with torch.no_grad():
            soft = model(pixel_values=proc["pixel_values"], pixel_position_ids=proc["image_position_ids"]).last_hidden_state
            out = embed(soft)
        write_gguf(OUT / f"{kind}.gguf", cfg, model, embed)
        out.float().numpy().astype("<f4").tofile(OUT / f"{kind}-embeddings.f32")
        meta[kind] = {"soft_tokens": int(out.shape[0]), "text_hidden": TEXT_HIDDEN, "image": "tiny-64x64.png", "budget": 70,
                      "max_abs": float(out.abs().max())}
    (OUT / "reference.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
