#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""A tiny random Gemma 4 audio encoder (transformers Gemma4AudioModel + the audio
embedder into the text width) and what it makes of test clips.

The conformer keeps the real structure (spec gemma4-multimodal §2.3-2.6): two stride-2
convolutions with channel LayerNorms, clipped linears, half-step FFNs, chunked causal
local attention (chunk 12, 12 keys) with the relative position table and soft cap 50,
the light depthwise convolution with GLU, the output projection with bias and the
weightless RMSNorm before the projection into the text model. It is narrow (64 wide,
4 heads of 16, 2 layers); the first convolution keeps its 128 channels because
transformers sizes the input projection as channels[0] / 4 x channels[1].

Written as an mmproj GGUF the way llama.cpp's converter names it (gemma4a):
a.conv1d.{0,1}.weight (F32) and .norm.weight, a.input_projection, a.blk.N.{ffn_norm,
ffn_up, ffn_down, ffn_post_norm, attn_pre_norm, attn_q, attn_k, attn_v, attn_out,
attn_k_rel, per_dim_scale (after softplus), attn_post_norm, conv_norm (the light conv's
pre-norm: llama.cpp swaps the two names), conv_pw1, conv_dw [C, 5], norm_conv, conv_pw2,
ffn_norm_1, ffn_up_1, ffn_down_1, ffn_post_norm_1, ln2}, the clip bounds as
<linear>.input_min/... scalars, a.pre_encode.out (output projection, with bias) and
mm.a.input_projection.

For each clip in tests/data/audio (features by Gemma4AudioFeatureExtractor on the WAV
read as int16 / 32768), the soft tokens with padding steps removed, f32
[tokens, 80] as <clip>.f32; reference.json lists the clips and token counts.

    .venv/bin/python tools/reference/make_audio_encoder_fixtures.py [OUT]
"""
import json
import sys
import wave
from pathlib import Path

import gguf
import numpy as np
import torch
import torch.nn.functional as F
from transformers import Gemma4AudioConfig
from transformers.models.gemma4.feature_extraction_gemma4 import Gemma4AudioFeatureExtractor
from transformers.models.gemma4.modeling_gemma4 import Gemma4AudioModel, Gemma4MultimodalEmbedder

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/audio/encoder"
TEXT_HIDDEN = 80
CLIPS = ["tone-440hz", "chirp", "odd-length", "silence"]
CONFIG = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, subsampling_conv_channels=[128, 8],
              output_proj_dims=48, rms_norm_eps=1e-6)

LINEARS = {"feed_forward1.ffw_layer_1": "ffn_up", "feed_forward1.ffw_layer_2": "ffn_down",
           "feed_forward2.ffw_layer_1": "ffn_up_1", "feed_forward2.ffw_layer_2": "ffn_down_1",
           "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
           "self_attn.post": "attn_out", "lconv1d.linear_start": "conv_pw1", "lconv1d.linear_end": "conv_pw2"}
NORMS = {"feed_forward1.pre_layer_norm": "ffn_norm", "feed_forward1.post_layer_norm": "ffn_post_norm",
         "feed_forward2.pre_layer_norm": "ffn_norm_1", "feed_forward2.post_layer_norm": "ffn_post_norm_1",
         "norm_pre_attn": "attn_pre_norm", "norm_post_attn": "attn_post_norm", "norm_out": "ln2",
         "lconv1d.pre_layer_norm": "conv_norm", "lconv1d.conv_norm": "norm_conv"}


def make(seed, text_hidden=TEXT_HIDDEN):
    torch.manual_seed(seed)
    cfg = Gemma4AudioConfig(**CONFIG)
    model = Gemma4AudioModel(cfg).float().eval()
    embed = Gemma4MultimodalEmbedder(cfg, type("T", (), {"hidden_size": text_hidden})()).float().eval()
    with torch.no_grad():
        for name, p in list(model.named_parameters()) + list(embed.named_parameters()):
            if name.endswith("norm.weight") or name.endswith("norm_out.weight") or "norm_" in name:
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif name.endswith("per_dim_scale"):
                p.copy_(0.3 * torch.randn_like(p))
            elif "conv.weight" in name and "subsample" in name:
                p.copy_(0.3 * torch.randn_like(p))
            else:
                p.copy_(0.12 * torch.randn_like(p))
        for name, b in model.named_buffers():
            if name.endswith("input_min") or name.endswith("output_min"):
                b.fill_(-float(torch.empty(()).uniform_(1.5, 4.0)))
            elif name.endswith("input_max") or name.endswith("output_max"):
                b.fill_(float(torch.empty(()).uniform_(1.5, 4.0)))
    return cfg, model, embed


def add_audio(w, cfg, model, embed, text_hidden):
    """Adds the audio encoder's keys and tensors to an mmproj GGUF writer."""
    sd = {k: v.detach().float() for k, v in model.state_dict().items()}
    w.add_string("clip.audio.projector_type", "gemma4a")
    w.add_uint32("clip.audio.embedding_length", cfg.hidden_size)
    w.add_uint32("clip.audio.feed_forward_length", cfg.hidden_size * 4)
    w.add_uint32("clip.audio.block_count", cfg.num_hidden_layers)
    w.add_uint32("clip.audio.attention.head_count", cfg.num_attention_heads)
    w.add_float32("clip.audio.attention.layer_norm_epsilon", cfg.rms_norm_eps)
    w.add_uint32("clip.audio.num_mel_bins", 128)
    w.add_uint32("clip.audio.projection_dim", text_hidden)
    npy = lambda t: np.ascontiguousarray(t.numpy().astype(np.float32))  # noqa: E731
    for i in range(2):
        s = f"subsample_conv_projection.layer{i}."
        w.add_tensor(f"a.conv1d.{i}.weight", npy(sd[s + "conv.weight"]))
        w.add_tensor(f"a.conv1d.{i}.norm.weight", npy(sd[s + "norm.weight"]))
    w.add_tensor("a.input_projection.weight", npy(sd["subsample_conv_projection.input_proj_linear.weight"]))
    for i in range(cfg.num_hidden_layers):
        h, b = f"layers.{i}.", f"a.blk.{i}."
        for hf, g in NORMS.items():
            w.add_tensor(b + g + ".weight", npy(sd[h + hf + ".weight"]))
        for hf, g in LINEARS.items():
            w.add_tensor(b + g + ".weight", npy(sd[h + hf + ".linear.weight"]))
            for bound in ("input_min", "input_max", "output_min", "output_max"):
                w.add_tensor(f"{b}{g}.{bound}", npy(sd[f"{h}{hf}.{bound}"].reshape(1)))
        w.add_tensor(b + "attn_k_rel.weight", npy(sd[h + "self_attn.relative_k_proj.weight"]))
        w.add_tensor(b + "per_dim_scale.weight", npy(F.softplus(sd[h + "self_attn.per_dim_scale"])))
        dw = sd[h + "lconv1d.depthwise_conv1d.weight"]
        w.add_tensor(b + "conv_dw.weight", npy(dw.reshape(dw.shape[0], dw.shape[2])))
    w.add_tensor("a.pre_encode.out.weight", npy(sd["output_proj.weight"]))
    w.add_tensor("a.pre_encode.out.bias", npy(sd["output_proj.bias"]))
    w.add_tensor("mm.a.input_projection.weight", npy(embed.embedding_projection.weight.detach().float()))


def write_gguf(path, cfg, model, embed, text_hidden=TEXT_HIDDEN):
    w = gguf.GGUFWriter(str(path), "clip")
    w.add_type("mmproj")
    w.add_bool("clip.has_vision_encoder", False)
    w.add_bool("clip.has_audio_encoder", True)
    add_audio(w, cfg, model, embed, text_hidden)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def read_wav(path):
    with wave.open(str(path)) as f:
        return np.frombuffer(f.readframes(f.getnframes()), "<i2").astype(np.float32) / 32768.0


@torch.no_grad()
def encode(model, embed, samples):
    """Soft tokens of one clip, padding steps removed, as Gemma4Model.get_audio_features does."""
    feats = Gemma4AudioFeatureExtractor()([samples], return_tensors="pt")
    out = model(feats["input_features"], feats["input_features_mask"], return_dict=True)
    rows = embed(out.last_hidden_state)[0]
    return rows[out.attention_mask[0].bool()]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    cfg, model, embed = make(400)
    write_gguf(OUT / "encoder.gguf", cfg, model, embed)
    meta = {}
    for name in CLIPS:
        rows = encode(model, embed, read_wav(ROOT / f"tests/data/audio/{name}.wav"))
        rows.numpy().astype("<f4").tofile(OUT / f"{name}.f32")
        meta[name] = {"tokens": int(rows.shape[0]), "max_abs": float(rows.abs().max())}
    (OUT / "reference.json").write_text(json.dumps({"text_hidden": TEXT_HIDDEN, "clips": meta}, indent=1) + "\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
