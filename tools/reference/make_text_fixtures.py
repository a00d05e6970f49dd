#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Tiny random-weight Gemma 4 text models and what transformers computes with them.

For each variant (E2B-like, E4B-like, 31B-like; see VARIANTS) this writes, under
tests/data/text/<variant>/ (or OUT_DIR/<variant>/):

  hf/            config.json + model.safetensors, as transformers saves them
  model.gguf     the same weights in llama.cpp's gemma4 layout (names, metadata keys,
                 per-layer arrays, rope_freqs), F32
  reference.json prompt ids, 64 greedy continuation ids, shapes, per-step top-2 margins
  logits.f32     [prompt + 64, vocab] little-endian f32: transformers' logits after each
                 prompt token, then after each greedy token (full recompute, no cache)
  hidden.f32     [layers + 1, prompt, hidden]: hidden states after each layer (debugging)
  routing.json   MoE variants: per layer, per prompt+greedy token, the experts chosen, their
                 final weights (after renormalisation and the per-expert scale), and the
                 router probability gap between the k-th and (k+1)-th expert (a near-tie
                 there lets any rounding pick another expert)

Everything is computed in float32 on the CPU with fixed seeds, so running the script
again gives the same bytes. tools/reference/check_text_fixtures_llamacpp.py runs the
GGUF files through llama.cpp and records its logits as the second oracle.

    .venv/bin/python tools/reference/make_text_fixtures.py [OUT_DIR]
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
import gguf

from gguf_vocab import add_tokenizer
from transformers import Gemma4ForCausalLM, Gemma4TextConfig

VOCAB = 512
PROMPT_LEN = 48
GEN_LEN = 64
WINDOW = 8

COMMON = dict(
    vocab_size=VOCAB,
    hidden_size=48,
    num_attention_heads=4,
    head_dim=16,                 # sliding layers
    global_head_dim=32,          # global layers: twice as wide, as in every real size
    intermediate_size=64,
    sliding_window=WINDOW,
    max_position_embeddings=256,
    rms_norm_eps=1e-6,
    final_logit_softcapping=30.0,
    pad_token_id=0, eos_token_id=1, bos_token_id=2,
    tie_word_embeddings=True,
    hidden_activation="gelu_pytorch_tanh",
    vocab_size_per_layer_input=VOCAB,
)


def pattern(layers, period):
    return ["full_attention" if (i + 1) % period == 0 else "sliding_attention" for i in range(layers)]


VARIANTS = {
    # 4 sliding + 1 global, last layer global, PLE, KV sharing of layers 5-9 (sliding
    # ones read layer 3, global 9 reads 4), double-wide MLP there. As in the real E2B the
    # last non-shared layer is global and the one before it sliding: llama.cpp relies on it.
    "tiny-e2b": dict(num_hidden_layers=10, layer_types=pattern(10, 5), num_key_value_heads=1,
                     hidden_size_per_layer_input=16, num_kv_shared_layers=5, use_double_wide_mlp=True),
    # 5:1, PLE, KV sharing of layers 6-11 (sliding ones read 4, global 11 reads 5).
    "tiny-e4b": dict(num_hidden_layers=12, layer_types=pattern(12, 6), num_key_value_heads=2,
                     hidden_size_per_layer_input=16, num_kv_shared_layers=6),
    # 5:1, K=V on global layers with their own KV-head count, no PLE, no sharing.
    "tiny-31b": dict(num_hidden_layers=12, layer_types=pattern(12, 6), num_key_value_heads=2,
                     num_global_key_value_heads=1, attention_k_eq_v=True,
                     hidden_size_per_layer_input=0),
    # 26B-A4B: every layer MoE (an always-on dense MLP 3x an expert's width beside 128
    # routed experts, top 8), K=V global layers. Six layers keep the 128 experts small.
    "tiny-26b": dict(num_hidden_layers=6, layer_types=pattern(6, 6), num_key_value_heads=2,
                     num_global_key_value_heads=1, attention_k_eq_v=True, hidden_size_per_layer_input=0,
                     enable_moe_block=True, num_experts=128, top_k_experts=8, moe_intermediate_size=8,
                     intermediate_size=24),
    # The same layer with another expert count and top-k, to catch sizes taken as given.
    "tiny-26b-e24": dict(num_hidden_layers=6, layer_types=pattern(6, 6), num_key_value_heads=2,
                         num_global_key_value_heads=1, attention_k_eq_v=True, hidden_size_per_layer_input=0,
                         enable_moe_block=True, num_experts=24, top_k_experts=4, moe_intermediate_size=8,
                         intermediate_size=24),
    # (Last, so the variants above keep their seeds.) Quantized weights: an E2B-like model whose sizes are whole quant blocks, each kind
    # of tensor in another type (QUANT below). Transformers runs on the dequantized
    # values, so the reference is exact for "quantized storage, f32 arithmetic".
    "tiny-quant": dict(num_hidden_layers=4, layer_types=["sliding_attention", "full_attention"] * 2,
                       num_key_value_heads=1, hidden_size_per_layer_input=32, num_kv_shared_layers=2,
                       hidden_size=64, head_dim=32, global_head_dim=64, intermediate_size=64),
}


# tiny-quant: GGUF tensor name suffix -> storage type (gguf-py can write these).
QUANT = {
    "token_embd.weight": gguf.GGMLQuantizationType.Q8_0,
    "per_layer_token_embd.weight": gguf.GGMLQuantizationType.Q5_1,
    "per_layer_model_proj.weight": gguf.GGMLQuantizationType.Q8_0,
    "attn_q.weight": gguf.GGMLQuantizationType.Q4_0,
    "attn_k.weight": gguf.GGMLQuantizationType.Q4_1,
    "attn_v.weight": gguf.GGMLQuantizationType.Q5_0,
    "attn_output.weight": gguf.GGMLQuantizationType.Q8_0,
    "ffn_gate.weight": gguf.GGMLQuantizationType.MXFP4,
    "ffn_up.weight": gguf.GGMLQuantizationType.Q5_1,
    "ffn_down.weight": gguf.GGMLQuantizationType.Q4_0,
    "inp_gate.weight": gguf.GGMLQuantizationType.Q8_0,
    "proj.weight": gguf.GGMLQuantizationType.Q4_1,
}


def quant_type(gguf_name):
    for suffix, t in QUANT.items():
        if gguf_name == suffix or gguf_name.endswith("." + suffix):
            return t
    return None


@torch.no_grad()
def quantize_model(model, names):
    """Replaces each weight named in `names` (HF name -> GGUF name) that QUANT covers by
    its dequantized value; returns GGUF name -> (type, raw blocks) for the writer."""
    blocks = {}
    params = dict(model.named_parameters())
    for hf_name, gguf_name in names.items():
        t = quant_type(gguf_name)
        if t is None or hf_name not in params:
            continue
        w = params[hf_name].detach().numpy().astype(np.float32)
        raw = gguf.quants.quantize(w, t)
        params[hf_name].copy_(torch.from_numpy(gguf.quants.dequantize(raw, t).reshape(w.shape)))
        blocks[gguf_name] = (t, raw)
    return blocks


def make_model(name, seed):
    cfg = Gemma4TextConfig(**{**COMMON, **VARIANTS[name]})  # a variant may override a common value
    torch.manual_seed(seed)
    model = Gemma4ForCausalLM(cfg).float().eval()
    # transformers' init (std 0.02, norms 1, scalars 1) makes every logit a near-tie;
    # scale weights so signals stay O(1), and move norms and layer scalars off 1.
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if p.dim() == 1:
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in pname:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / np.sqrt(p.shape[1]))
        for layer in model.model.layers:
            layer.layer_scalar.copy_(0.6 + 0.8 * torch.rand(1, generator=g))
    return model


@torch.no_grad()
def reference(model, prompt):
    out = model(torch.tensor([prompt]), output_hidden_states=True, use_cache=False)
    logits = [out.logits[0].numpy()]
    hidden = torch.stack([h[0] for h in out.hidden_states]).numpy()
    ids = list(prompt)
    gen = []
    for _ in range(GEN_LEN):
        nxt = int(np.argmax(logits[-1][-1]))
        gen.append(nxt)
        ids.append(nxt)
        step = model(torch.tensor([ids]), use_cache=False).logits[0, -1:].numpy()
        logits.append(step)
    # Row i < PROMPT_LEN: after prompt token i. Row PROMPT_LEN + k: after greedy token k
    # (teacher-forced), so the token sequence prompt + greedy yields exactly these rows.
    full = np.concatenate(logits, axis=0)
    return full.astype(np.float32), hidden.astype(np.float32), gen


@torch.no_grad()
def routing(model, tokens):
    """Expert ids and weights per layer and token, from the router modules themselves."""
    seen = {}
    hooks = []
    for i, layer in enumerate(model.model.layers):
        if getattr(layer, "enable_moe_block", False):
            def record(mod, inp, out, i=i):
                k = out[2].shape[-1]
                probs = torch.sort(out[0], dim=-1, descending=True).values
                gap = (probs[:, k - 1] - probs[:, k]).tolist()
                seen[i] = (out[2].tolist(), out[1].tolist(), gap)
            hooks.append(layer.router.register_forward_hook(record))
    model(torch.tensor([tokens]), use_cache=False)
    for h in hooks:
        h.remove()
    return [{"layer": i, "experts": seen[i][0], "weights": [[round(w, 7) for w in row] for row in seen[i][1]],
             "topk_gap": [float(f"{g:.3e}") for g in seen[i][2]]}
            for i in sorted(seen)]


def top2_margins(logits):
    s = np.sort(logits, axis=1)
    return (s[:, -1] - s[:, -2]).tolist()


def write_gguf(path, model, name, blocks=None):
    cfg = model.config
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    L = cfg.num_hidden_layers
    types = cfg.layer_types
    swa = [t == "sliding_attention" for t in types]
    glb = [i for i, s in enumerate(swa) if not s]
    kv_heads = [cfg.per_layer_config[i].num_key_value_heads for i in range(L)]
    ghd = cfg.per_layer_config[glb[0]].head_dim
    shd = cfg.per_layer_config[[i for i, x in enumerate(swa) if x][0]].head_dim
    first_shared = L - cfg.num_kv_shared_layers
    ff = [cfg.intermediate_size * (2 if cfg.use_double_wide_mlp and i >= first_shared else 1) for i in range(L)]

    w = gguf.GGUFWriter(str(path), "gemma4")
    w.add_name(name)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_block_count(L)
    if len(set(ff)) == 1:
        w.add_feed_forward_length(ff[0])
    else:
        w.add_feed_forward_length(ff)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(kv_heads if len(set(kv_heads)) > 1 else kv_heads[0])
    w.add_key_length(ghd)
    w.add_value_length(ghd)
    w.add_key_length_swa(shd)
    w.add_value_length_swa(shd)
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    w.add_sliding_window(cfg.sliding_window)
    w.add_array("gemma4.attention.sliding_window_pattern", swa)
    w.add_uint32("gemma4.attention.shared_kv_layers", cfg.num_kv_shared_layers)
    w.add_uint32("gemma4.embedding_length_per_layer_input", cfg.hidden_size_per_layer_input or 0)
    w.add_rope_freq_base(cfg.rope_parameters["full_attention"]["rope_theta"])
    w.add_float32("gemma4.rope.freq_base_swa", cfg.rope_parameters["sliding_attention"]["rope_theta"])
    w.add_rope_dimension_count(ghd)
    w.add_uint32("gemma4.rope.dimension_count_swa", shd)
    w.add_final_logit_softcapping(cfg.final_logit_softcapping)
    if cfg.enable_moe_block:
        w.add_expert_count(cfg.num_experts)
        w.add_expert_used_count(cfg.top_k_experts)
        w.add_expert_feed_forward_length(cfg.moe_intermediate_size)
    add_tokenizer(w, VOCAB)

    def t(gname, hname):
        if blocks and gname in blocks:
            qt, raw = blocks[gname]
            w.add_tensor(gname, raw, raw_dtype=qt)
        else:
            w.add_tensor(gname, sd[hname])

    t("token_embd.weight", "model.embed_tokens.weight")
    t("output_norm.weight", "model.norm.weight")
    # Proportional RoPE on global layers as llama.cpp encodes it: 1.0 for the rotated
    # pairs, 1e30 (no rotation) for the rest.
    rot_pairs = int(cfg.rope_parameters["full_attention"]["partial_rotary_factor"] * ghd // 2)
    w.add_tensor("rope_freqs.weight", np.array([1.0] * rot_pairs + [1e30] * (ghd // 2 - rot_pairs), dtype=np.float32))
    if cfg.hidden_size_per_layer_input:
        t("per_layer_token_embd.weight", "model.embed_tokens_per_layer.weight")
        t("per_layer_model_proj.weight", "model.per_layer_model_projection.weight")
        t("per_layer_proj_norm.weight", "model.per_layer_projection_norm.weight")
    for i in range(L):
        h = f"model.layers.{i}."
        b = f"blk.{i}."
        t(b + "attn_norm.weight", h + "input_layernorm.weight")
        t(b + "attn_q.weight", h + "self_attn.q_proj.weight")
        t(b + "attn_q_norm.weight", h + "self_attn.q_norm.weight")
        if h + "self_attn.k_proj.weight" in sd:
            t(b + "attn_k.weight", h + "self_attn.k_proj.weight")
            t(b + "attn_k_norm.weight", h + "self_attn.k_norm.weight")
        if h + "self_attn.v_proj.weight" in sd:
            t(b + "attn_v.weight", h + "self_attn.v_proj.weight")
        t(b + "attn_output.weight", h + "self_attn.o_proj.weight")
        t(b + "post_attention_norm.weight", h + "post_attention_layernorm.weight")
        t(b + "ffn_norm.weight", h + "pre_feedforward_layernorm.weight")
        t(b + "ffn_gate.weight", h + "mlp.gate_proj.weight")
        t(b + "ffn_up.weight", h + "mlp.up_proj.weight")
        t(b + "ffn_down.weight", h + "mlp.down_proj.weight")
        t(b + "post_ffw_norm.weight", h + "post_feedforward_layernorm.weight")
        t(b + "layer_output_scale.weight", h + "layer_scalar")
        if cfg.enable_moe_block:
            t(b + "ffn_gate_inp.weight", h + "router.proj.weight")
            t(b + "ffn_gate_inp.scale", h + "router.scale")
            t(b + "ffn_down_exps.scale", h + "router.per_expert_scale")
            t(b + "ffn_gate_up_exps.weight", h + "experts.gate_up_proj")  # [E, 2I, d]: gate rows first
            t(b + "ffn_down_exps.weight", h + "experts.down_proj")        # [E, d, I]
            t(b + "pre_ffw_norm_2.weight", h + "pre_feedforward_layernorm_2.weight")
            t(b + "post_ffw_norm_1.weight", h + "post_feedforward_layernorm_1.weight")
            t(b + "post_ffw_norm_2.weight", h + "post_feedforward_layernorm_2.weight")
        if cfg.hidden_size_per_layer_input:
            t(b + "inp_gate.weight", h + "per_layer_input_gate.weight")
            t(b + "proj.weight", h + "per_layer_projection.weight")
            t(b + "post_norm.weight", h + "post_per_layer_input_norm.weight")
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def hf_to_gguf_names(model):
    """HF parameter name -> GGUF tensor name, for the tensors QUANT may cover."""
    names = {"model.embed_tokens.weight": "token_embd.weight",
             "model.embed_tokens_per_layer.weight": "per_layer_token_embd.weight",
             "model.per_layer_model_projection.weight": "per_layer_model_proj.weight"}
    per_layer = {"self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
                 "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
                 "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
                 "mlp.down_proj.weight": "ffn_down.weight", "per_layer_input_gate.weight": "inp_gate.weight",
                 "per_layer_projection.weight": "proj.weight"}
    for i in range(model.config.num_hidden_layers):
        for hf, g in per_layer.items():
            names[f"model.layers.{i}.{hf}"] = f"blk.{i}.{g}"
    return names


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "tests" / "data" / "text"
    torch.set_num_threads(1)  # same bytes on every machine
    for seed, name in enumerate(VARIANTS, start=10):
        d = out / name
        (d / "hf").mkdir(parents=True, exist_ok=True)
        model = make_model(name, seed)
        blocks = quantize_model(model, hf_to_gguf_names(model)) if name == "tiny-quant" else None
        rng = np.random.default_rng(seed)
        prompt = [2] + rng.integers(5, VOCAB, PROMPT_LEN - 1).tolist()
        logits, hidden, gen = reference(model, prompt)
        model.save_pretrained(d / "hf", safe_serialization=True)
        write_gguf(d / "model.gguf", model, name, blocks)
        logits.tofile(d / "logits.f32")
        hidden.tofile(d / "hidden.f32")
        cfg = model.config
        ref = {
            "variant": name,
            "prompt": prompt,
            "greedy": gen,
            "vocab": VOCAB,
            "hidden_size": cfg.hidden_size,
            "layers": cfg.num_hidden_layers,
            "logits_rows": PROMPT_LEN + GEN_LEN,
            "top2_margin": [round(m, 6) for m in top2_margins(logits)],
            "oracle": "transformers Gemma4ForCausalLM, float32, CPU, full recompute per step",
        }
        (d / "reference.json").write_text(json.dumps(ref, indent=1) + "\n")
        if cfg.enable_moe_block:
            (d / "routing.json").write_text(json.dumps(routing(model, prompt + gen)) + "\n")
        print(f"{name}: {sum(p.numel() for p in model.parameters())} params, "
              f"min top-2 margin {min(ref['top2_margin']):.4f}, greedy {gen[:8]}...")


if __name__ == "__main__":
    main()
