#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Real-shape Gemma 4 GGUF files with random weights, for benchmarks only.

Speed depends on shapes and storage types, not on what the weights say, so these files
carry every tensor of E2B, E4B, 26B-A4B or 31B at its real size (spec gguf-gemma4.md
§1.2-1.4: PLE, KV-shared tail, per-layer arrays, MoE with fused gate/up experts) in one
of three storage mixes:
  q4_k_m  as llama.cpp's quantizer chooses per tensor for Q4_K_M (§1.5): token and
          per-layer embeddings Q6_K, attn_v/ffn_down Q6_K on the "more bits" layers,
          attn_k/attn_v Q5_K otherwise, the rest Q4_K; rows that are not a multiple of
          256 (the 26B's 704 and 2112) fall back to Q5_0/Q5_1/Q8_0; per_layer_model_proj
          stays BF16, norms and scales F32.
  q8_0, q4_0  every matrix in that type (per_layer_model_proj BF16).
Block bytes are random with sane f16 scales, so nothing overflows. llama.cpp loads and
runs them (synthetic 262144-piece vocabulary), which keeps the comparison fair.

    .venv/bin/python tools/bench/make_bench_model.py e2b q4_k_m OUT.gguf
"""
import sys
from pathlib import Path

import numpy as np
import gguf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))
from gguf_vocab import add_tokenizer  # noqa: E402

Q = gguf.GGMLQuantizationType
VOCAB = 262144
SHAPES = {
    #        layers  d     heads kv_swa kv_glob period window ffn    ple  shared experts top ffn_exp kv_eq_global
    "e2b": (35, 1536, 8, 1, 1, 5, 512, 6144, 256, 20, 0, 0, 0, False),
    "e4b": (42, 2560, 8, 2, 2, 6, 512, 10240, 256, 18, 0, 0, 0, False),
    "26b": (30, 2816, 16, 8, 2, 6, 1024, 2112, 0, 0, 128, 8, 704, True),
    "31b": (60, 5376, 32, 16, 4, 6, 1024, 21504, 0, 0, 0, 0, 0, True),
}
SWA_HD, GLOBAL_HD = 256, 512
# Where each block type keeps its f16 scale(s): byte offsets inside the block.
F16_FIELDS = {Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2], Q.Q8_0: [0],
              Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208]}
FALLBACK = {Q.Q4_K: Q.Q5_0, Q.Q5_K: Q.Q5_1, Q.Q6_K: Q.Q8_0}
rng = np.random.default_rng(1234)


def random_tensor(qtype, shape):
    """Random data of `shape` (numpy order, rows last-dim contiguous) stored as qtype."""
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    if qtype == Q.F32:
        return (rng.standard_normal(shape, dtype=np.float32) * 0.02 + (1.0 if len(shape) == 1 else 0.0)).astype(np.float32), None
    if qtype == Q.BF16:
        bits = (rng.standard_normal((rows, cols), dtype=np.float32) * 0.02).view(np.uint32) >> 16
        return bits.astype(np.uint16).reshape(shape[:-1] + (cols,)), qtype
    block, nbytes = gguf.GGML_QUANT_SIZES[qtype]
    assert cols % block == 0, (qtype, shape)
    nblocks = rows * cols // block
    raw = rng.integers(0, 256, size=(nblocks, nbytes), dtype=np.uint8)
    scales = (rng.random(nblocks, dtype=np.float32) * 0.004 + 0.001).astype(np.float16).view(np.uint8).reshape(nblocks, 2)
    for off in F16_FIELDS[qtype]:
        raw[:, off:off + 2] = scales
    return raw.reshape(shape[:-1] + (cols // block * nbytes,)), qtype


def more_bits(i, n):
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


def choose(mix, name, cols, layer, n_layers):
    if mix != "q4_k_m":
        want = {"q8_0": Q.Q8_0, "q4_0": Q.Q4_0}[mix]
    elif name in ("token_embd", "per_layer_token_embd"):
        want = Q.Q6_K
    elif name in ("attn_v", "ffn_down", "ffn_down_exps"):
        want = Q.Q6_K if more_bits(layer, n_layers) else (Q.Q5_K if name == "attn_v" else Q.Q4_K)
    elif name == "attn_k":
        want = Q.Q5_K
    else:
        want = Q.Q4_K
    block = gguf.GGML_QUANT_SIZES[want][0]
    return want if cols % block == 0 else FALLBACK.get(want, Q.Q8_0)


def main():
    shape_name, mix, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    (L, d, heads, kv_swa, kv_glob, period, window, ffn, ple, shared, experts, top, ffn_exp, kv_eq) = SHAPES[shape_name]
    swa = [(i + 1) % period != 0 for i in range(L)]
    kv = [kv_swa if s else kv_glob for s in swa]
    ffs = [ffn * (2 if shape_name == "e2b" and i >= L - shared else 1) for i in range(L)]

    w = gguf.GGUFWriter(str(out), "gemma4")
    w.add_name(f"Gemma 4 {shape_name.upper()} shape, random {mix} weights (benchmark only)")
    w.add_context_length(131072)
    w.add_embedding_length(d)
    w.add_block_count(L)
    w.add_feed_forward_length(ffs if len(set(ffs)) > 1 else ffs[0])
    w.add_head_count(heads)
    w.add_head_count_kv(kv if len(set(kv)) > 1 else kv[0])
    w.add_key_length(GLOBAL_HD)
    w.add_value_length(GLOBAL_HD)
    w.add_key_length_swa(SWA_HD)
    w.add_value_length_swa(SWA_HD)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_sliding_window(window)
    w.add_array("gemma4.attention.sliding_window_pattern", swa)
    w.add_uint32("gemma4.attention.shared_kv_layers", shared)
    w.add_uint32("gemma4.embedding_length_per_layer_input", ple)
    w.add_rope_freq_base(1e6)
    w.add_float32("gemma4.rope.freq_base_swa", 1e4)
    w.add_rope_dimension_count(GLOBAL_HD)
    w.add_uint32("gemma4.rope.dimension_count_swa", SWA_HD)
    w.add_final_logit_softcapping(30.0)
    if experts:
        w.add_expert_count(experts)
        w.add_expert_used_count(top)
        w.add_expert_feed_forward_length(ffn_exp)
    add_tokenizer(w, VOCAB)

    tensors = []  # (name, numpy shape, storage) in file order; data made while writing

    def mat(name, rows, cols, kind, layer=0):
        tensors.append((name, (rows, cols), choose(mix, kind, cols, layer, L)))

    def vec(name, n):
        tensors.append((name, (n,), Q.F32))

    mat("token_embd.weight", VOCAB, d, "token_embd")
    vec("output_norm.weight", d)
    tensors.append(("rope_freqs.weight", (GLOBAL_HD // 2,), "rope"))
    if ple:
        mat("per_layer_token_embd.weight", VOCAB, ple * L, "per_layer_token_embd")
        tensors.append(("per_layer_model_proj.weight", (ple * L, d), Q.BF16))
        vec("per_layer_proj_norm.weight", ple)
    for i in range(L):
        b = f"blk.{i}."
        hd = SWA_HD if swa[i] else GLOBAL_HD
        vec(b + "attn_norm.weight", d)
        mat(b + "attn_q.weight", heads * hd, d, "attn_q", i)
        vec(b + "attn_q_norm.weight", hd)
        mat(b + "attn_k.weight", kv[i] * hd, d, "attn_k", i)
        vec(b + "attn_k_norm.weight", hd)
        if not (kv_eq and not swa[i]):
            mat(b + "attn_v.weight", kv[i] * hd, d, "attn_v", i)
        mat(b + "attn_output.weight", d, heads * hd, "attn_output", i)
        vec(b + "post_attention_norm.weight", d)
        vec(b + "ffn_norm.weight", d)
        mat(b + "ffn_gate.weight", ffs[i], d, "ffn_gate", i)
        mat(b + "ffn_up.weight", ffs[i], d, "ffn_up", i)
        mat(b + "ffn_down.weight", d, ffs[i], "ffn_down", i)
        vec(b + "post_ffw_norm.weight", d)
        vec(b + "layer_output_scale.weight", 1)
        if experts:
            tensors.append((b + "ffn_gate_inp.weight", (experts, d), Q.F32))
            vec(b + "ffn_gate_inp.scale", d)
            vec(b + "ffn_down_exps.scale", experts)
            tensors.append((b + "ffn_gate_up_exps.weight", (experts, 2 * ffn_exp, d), choose(mix, "ffn_up_exps", d, i, L)))
            tensors.append((b + "ffn_down_exps.weight", (experts, d, ffn_exp), choose(mix, "ffn_down_exps", ffn_exp, i, L)))
            vec(b + "pre_ffw_norm_2.weight", d)
            vec(b + "post_ffw_norm_1.weight", d)
            vec(b + "post_ffw_norm_2.weight", d)
        if ple:
            mat(b + "inp_gate.weight", ple, d, "inp_gate", i)
            mat(b + "proj.weight", d, ple, "proj", i)
            vec(b + "post_norm.weight", d)

    def data(name, shape, storage):
        if storage == "rope":
            rot = GLOBAL_HD // 8  # 25 % of the pairs rotate
            return np.array([1.0] * rot + [1e30] * (GLOBAL_HD // 2 - rot), dtype=np.float32), None
        return random_tensor(storage, shape)

    for name, shape, storage in tensors:
        if storage == "rope" or storage == Q.F32:
            w.add_tensor_info(name, shape, np.dtype(np.float32), int(np.prod(shape)) * 4, raw_dtype=None)
        elif storage == Q.BF16:
            w.add_tensor_info(name, shape, np.dtype(np.uint16), int(np.prod(shape)) * 2, raw_dtype=storage)
        else:
            block, nbytes = gguf.GGML_QUANT_SIZES[storage]
            byte_shape = shape[:-1] + (shape[-1] // block * nbytes,)
            w.add_tensor_info(name, byte_shape, np.dtype(np.uint8), int(np.prod(byte_shape)), raw_dtype=storage)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    total = 0
    for name, shape, storage in tensors:
        arr, _ = data(name, shape, storage)
        w.write_tensor_data(arr)
        total += arr.nbytes
    w.close()
    print(f"{out}: {len(tensors)} tensors, {total / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
