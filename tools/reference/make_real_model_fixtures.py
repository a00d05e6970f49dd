#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Two oracles on the real Gemma 3 270M Q4_K_M, written to tests/data/real-model/gemma3-270m.json:

- llama.cpp (llama-cpp-python, CPU, f16 KV cache as both engines ship): for five
  prompts, the prompt's token ids (llama.cpp's tokenizer, with BOS) and 128 greedy tokens
  with the top-1/top-2 logit margin at every step; the perplexity of gettysburg.txt.
- transformers loading the same GGUF (its weights dequantized to f32, f32 arithmetic):
  for every row of prompt + llama.cpp's greedy tokens (teacher-forced), its five largest
  logits; the perplexity of the same text. This is the exact reference: llama.cpp's CPU
  kernels round activations to 8 bits before multiplying them with quantized weights,
  which moves its logits by up to ~2.7 and its perplexity by ~8% on this model.

    .venv/bin/python tools/reference/make_real_model_fixtures.py MODEL.gguf
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
from llama_cpp import Llama

PROMPTS = [
    "The capital of France is",
    "Here is a Python function that reverses a string:\n",
    "Once upon a time, in a small village by the sea,",
    "The three primary colors are",
    "Water boils at a temperature of",
]
GEN = 128


def add_transformers_reference(model, out):
    import torch
    from transformers import AutoModelForCausalLM
    path = Path(model)
    hf = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32).eval()
    torch.set_num_threads(1)
    with torch.no_grad():
        for p in out["prompts"]:
            logits = hf(torch.tensor([p["ids"] + p["greedy"][:-1]])).logits[0]
            values, ids = torch.topk(logits, 5, dim=-1)
            p["hf_top5"] = [[[int(i), round(float(v), 5)] for i, v in zip(ri, rv)] for ri, rv in zip(ids, values)]
        ids = out["perplexity"]["ids"]
        logits = hf(torch.tensor([ids])).logits[0].double()
        nll = torch.nn.functional.cross_entropy(logits[:-1], torch.tensor(ids[1:]), reduction="mean").item()
    out["perplexity"]["hf_ppl"] = math.exp(nll)
    out["hf_oracle"] = "transformers " + __import__("transformers").__version__ + " on the GGUF, float32"


def main():
    model = sys.argv[1]
    data = Path(__file__).resolve().parents[2] / "tests" / "data" / "real-model"
    llm = Llama(model_path=model, n_ctx=1024, n_batch=512, n_ubatch=512, logits_all=True, n_threads=2,
                verbose=False, seed=0)
    out = {"model": Path(model).name, "oracle": "llama-cpp-python " + __import__("llama_cpp").__version__, "prompts": []}
    for text in PROMPTS:
        ids = llm.tokenize(text.encode(), add_bos=True, special=False)
        llm.reset()
        llm.eval(ids)
        greedy, margins = [], []
        for _ in range(GEN):
            row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
            top = np.argsort(row)[-2:]
            greedy.append(int(top[1]))
            margins.append(round(float(row[top[1]] - row[top[0]]), 4))
            llm.eval([greedy[-1]])
        out["prompts"].append({"text": text, "ids": ids, "greedy": greedy, "margin": margins})
    text = (data / "gettysburg.txt").read_text()
    ids = llm.tokenize(text.encode(), add_bos=True, special=False)
    llm.reset()
    llm.eval(ids)
    nll = 0.0
    for i in range(len(ids) - 1):
        row = np.array(llm.scores[i], dtype=np.float64)
        m = row.max()
        nll -= row[ids[i + 1]] - m - math.log(np.exp(row - m).sum())
    out["perplexity"] = {"file": "gettysburg.txt", "ids": ids, "ppl": math.exp(nll / (len(ids) - 1))}
    add_transformers_reference(model, out)
    (data / "gemma3-270m.json").write_text(json.dumps(out) + "\n")
    print(f"{len(PROMPTS)} prompts x {GEN} greedy tokens; perplexity {out['perplexity']['ppl']:.4f} over {len(ids) - 1} tokens")


if __name__ == "__main__":
    main()
