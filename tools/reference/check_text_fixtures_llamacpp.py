#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Checks that Facet's GGUF fixtures are what llama.cpp (llama-cpp-python) reads, and
records llama.cpp's logits for them.

Why two levels: ggml's CPU GELU reads an f16 table, y = f16(gelu(f16(x))) for |x| < 10.
Transformers rerun with exactly that GELU matches llama.cpp to ~1e-7, except where a
1-ulp f32 difference flips an f16 rounding (a ~5e-4 jump in one activation), which deep
random-weight models then amplify.

1. Conventions, tight. Shallow probes (4 layers with every E-model feature: PLE, KV
   sharing of both layer types, double-wide MLP; and a K=V model), built here with
   make_text_fixtures' code and GGUF writer. The median per-row relative error against
   transformers-with-ggml-GELU must be <= 1e-5 and the worst row <= 1e-3. A wrong
   tensor, key, layout or rule could not pass.
2. The committed fixtures (tests/data/text/*): the prompt and the reference greedy tokens
   are fed teacher-forced in one batch (f32 KV cache). llama.cpp's argmax must equal
   transformers' on every row whose top-2 margin exceeds 2 x LOOSE x max|logit|, and every
   row must be within LOOSE relative (max |llama - hf| / max |hf|), except rows where an
   MoE router nearly tied (k-th and (k+1)-th expert probabilities within ROUTE_TIE, from
   routing.json): any rounding may pick the other expert there, so those rows are listed,
   not judged. Files with quantized weights get QUANT_LOOSE instead of LOOSE: llama.cpp
   quantizes activations to 8 bits for those products. llama.cpp's logits are saved as
   llamacpp_logits.f32.

    .venv/bin/python tools/reference/check_text_fixtures_llamacpp.py [--write] [DATA_DIR]

--write saves llamacpp_logits.f32 (after regenerating the fixtures); without it the
committed file is checked against llama.cpp's output instead.

llama.cpp's CPU kernels depend on the instruction set the pip build found: its F32 logits
on these fixtures differ by up to 2.6e-3 (relative) between the build that wrote
llamacpp_logits.f32 and an AVX-512 (Zen 5) build. So a build whose output differs from the
committed file by more than the staleness tolerance keeps its own file,
llamacpp_logits-<key>.f32, key = the first 8 hex digits of the SHA-1 of
llama_print_system_info(); the check reads that file where it exists for this build, else
the shared one, and --write writes the one this build reads (the shared one when it is
absent or already equal).
"""
import json
import sys
from pathlib import Path

import numpy as np
import gguf
from llama_cpp import Llama

TIGHT_MEDIAN = 1e-5
TIGHT_WORST = 1e-3  # one f16 rounding flip in a shallow model
LOOSE = 2e-2  # f16 GELU table rounding flips, amplified over 10-12 random layers
ROUTE_TIE = 1e-6
# Files with quantized weights: ggml's CPU backend also quantizes the activations to
# 8 bits (q8_0/q8_1 dot products) before multiplying them with quantized weights.
QUANT_LOOSE = 5e-2

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_text_fixtures as fixtures  # noqa: E402

PROBES = {
    "probe-e2b": dict(num_hidden_layers=4, layer_types=["sliding_attention", "full_attention"] * 2,
                      num_key_value_heads=1, hidden_size_per_layer_input=16, num_kv_shared_layers=2,
                      use_double_wide_mlp=True),
    "probe-e4b": dict(num_hidden_layers=4, layer_types=["sliding_attention", "full_attention"] * 2,
                      num_key_value_heads=2, hidden_size_per_layer_input=16, num_kv_shared_layers=2),
    "probe-26b": dict(num_hidden_layers=2, layer_types=["sliding_attention", "full_attention"],
                      num_key_value_heads=2, num_global_key_value_heads=1, attention_k_eq_v=True,
                      hidden_size_per_layer_input=0, enable_moe_block=True, num_experts=128, top_k_experts=8,
                      moe_intermediate_size=8, intermediate_size=24),
    "probe-31b": dict(num_hidden_layers=4, layer_types=["sliding_attention", "full_attention"] * 2,
                      num_key_value_heads=2, num_global_key_value_heads=1, attention_k_eq_v=True,
                      hidden_size_per_layer_input=0),
}


def ggml_gelu_table(x):
    import torch
    y = torch.nn.functional.gelu(x.to(torch.float16).to(torch.float32), approximate="tanh").to(torch.float16).to(torch.float32)
    return torch.where(x <= -10.0, torch.zeros_like(x), torch.where(x >= 10.0, x, y))


def transformers_with_ggml_gelu(d, tokens):
    import torch
    from transformers import Gemma4ForCausalLM

    class TableGelu(torch.nn.Module):
        def forward(self, x):
            return ggml_gelu_table(x)

    model = Gemma4ForCausalLM.from_pretrained(d / "hf", dtype=torch.float32).eval()
    for layer in model.model.layers:
        layer.mlp.act_fn = TableGelu()
        if hasattr(layer, "act_fn"):
            layer.act_fn = TableGelu()
        if hasattr(layer, "experts"):
            layer.experts.act_fn = TableGelu()
    with torch.no_grad():
        return model(torch.tensor([tokens]), use_cache=False).logits[0].numpy()


def build_key():
    """Names this llama.cpp build's instruction-set choice (see the module notes)."""
    import hashlib
    import llama_cpp
    return hashlib.sha1(llama_cpp.llama_print_system_info()).hexdigest()[:8]


def llama_logits(gguf_path, tokens):
    llm = Llama(model_path=str(gguf_path), n_ctx=256, n_batch=256, n_ubatch=256, logits_all=True,
                n_threads=2, verbose=False, seed=0,
                type_k=0, type_v=0)  # f32 KV cache: the comparison is against an f32 reference
    llm.eval(tokens)
    return np.array(llm.scores[: len(tokens)], dtype=np.float32)


def probe(name, cfg, tmp):
    fixtures.VARIANTS[name] = cfg
    d = tmp / name
    (d / "hf").mkdir(parents=True)
    model = fixtures.make_model(name, 100)
    model.save_pretrained(d / "hf", safe_serialization=True)
    fixtures.write_gguf(d / "model.gguf", model, name)
    tokens = [2] + np.random.default_rng(100).integers(5, fixtures.VOCAB, fixtures.PROMPT_LEN - 1).tolist()
    got = llama_logits(d / "model.gguf", tokens)
    ref = transformers_with_ggml_gelu(d, tokens)
    rel = np.abs(got - ref).max(axis=1) / np.abs(ref).max(axis=1)
    ok = np.median(rel) <= TIGHT_MEDIAN and rel.max() <= TIGHT_WORST
    print(f"{name}: per-row error vs transformers with ggml's GELU: median {np.median(rel):.1e} "
          f"(limit {TIGHT_MEDIAN:g}), worst {rel.max():.1e} (limit {TIGHT_WORST:g}) -> {'ok' if ok else 'MISMATCH'}")
    return ok


def check(d):
    ref = json.loads((d / "reference.json").read_text())
    vocab, rows = ref["vocab"], ref["logits_rows"]
    hf = np.fromfile(d / "logits.f32", dtype=np.float32).reshape(rows, vocab)
    tokens = ref["prompt"] + ref["greedy"]
    got = llama_logits(d / "model.gguf", tokens)
    assert got.shape == hf.shape, (got.shape, hf.shape)
    rel = np.abs(got - hf).max(axis=1) / np.abs(hf).max(axis=1)
    ties = set()
    if (d / "routing.json").exists():
        for layer in json.loads((d / "routing.json").read_text()):
            ties |= {t for t, g in enumerate(layer["topk_gap"]) if g < ROUTE_TIE}
    judged = np.array([r not in ties for r in range(rows)])
    excused = [int(r) for r in np.nonzero(~judged & (rel > LOOSE))[0]]
    top = np.sort(hf, axis=1)
    margin = top[:, -1] - top[:, -2]
    quantized = any(t.tensor_type.name not in ("F32", "F16", "BF16") for t in gguf.GGUFReader(str(d / "model.gguf")).tensors)
    limit = QUANT_LOOSE if quantized else LOOSE
    decisive = margin > 2 * limit * np.abs(hf).max(axis=1)
    flips = [int(i) for i in np.nonzero(decisive & (got.argmax(1) != hf.argmax(1)))[0]]
    def differs(path):
        return not path.exists() or np.abs(np.fromfile(path, dtype=np.float32).reshape(got.shape) - got).max() > 1e-5 * np.abs(got).max()

    shared, own = d / "llamacpp_logits.f32", d / f"llamacpp_logits-{build_key()}.f32"
    saved = own if own.exists() else shared
    if WRITE:
        saved = own if own.exists() or (shared.exists() and differs(shared)) else shared
        got.tofile(saved)
    # The committed second-oracle file must be what llama.cpp computes now.
    stale = differs(saved)
    if stale:
        print(f"{d.name}: {saved.name} differs from llama.cpp's output; rerun with --write and commit it")
    flips = [r for r in flips if judged[r]]
    worst = rel[judged].max()
    ok = worst <= limit and not flips and not stale
    print(f"{d.name}: max relative logit error {worst:.1e} (limit {limit:g}), argmax identical on "
          f"{int(decisive.sum())}/{rows} decisive rows, flips {flips}"
          + (f", router near-ties excused at rows {excused}" if excused else "") + f" -> {'ok' if ok else 'MISMATCH'}")
    return ok


WRITE = "--write" in sys.argv


def main():
    args = [a for a in sys.argv[1:] if a != "--write"]
    data = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "tests" / "data" / "text"
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        results = [probe(name, cfg, Path(tmp)) for name, cfg in PROBES.items()]
    results += [check(d) for d in sorted(p for p in data.iterdir() if (p / "model.gguf").exists())]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
