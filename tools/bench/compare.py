#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Facet against llama.cpp on the same GGUF, in alternating rounds; prints per-round
numbers and the median of the per-round ratios (Facet / llama.cpp), plus the
memory-bandwidth bound for decode.

Peers: llama.cpp's CPU backend through pip llama-cpp-python (what a user without a GPU
would run instead), with as many threads as cores. llama.cpp's Vulkan backend needs newer
Vulkan headers than Debian 12 ships; pass --llama-vulkan-bench PATH to a llama-bench
built against them (a local tool, never committed) to add it.

    .venv/bin/python tools/bench/compare.py MODEL.gguf [--rounds 3] [--prompt 512] [--gen 128]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
LLAMA_HELPER = r"""
import json, sys, time, llama_cpp
path, n_prompt, n_gen, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
m = llama_cpp.Llama(path, n_ctx=n_prompt + n_gen + 8, n_batch=512, n_threads=threads, n_threads_batch=threads,
                    verbose=False, n_gpu_layers=0)
t1 = time.perf_counter()
vocab = m.n_vocab()
state, prompt = 12345, []
for _ in range(n_prompt):
    state = (state * 1664525 + 1013904223) % 2**32
    prompt.append(3 + (state >> 8) % (vocab - 3))
p0 = time.perf_counter()
m.eval(prompt)
p1 = time.perf_counter()
tok = 5
for _ in range(n_gen):
    m.eval([tok])
d1 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "prefill_tok_s": n_prompt / (p1 - p0), "decode_tok_s": n_gen / (d1 - p1),
                  "time_to_first_token_ms": (p1 - p0) * 1000}))
"""


def read_rate_gbs():
    """Memory-read rate of all cores together: the best of a few passes summing a 1 GiB
    array, a slice per core, each in its own thread (NumPy lets go of the GIL while it
    sums). One core alone does not reach it: on this 2-core VM one thread read 21-26 GB/s
    and two 31-40, and llama.cpp's E4B decode (10.7 tokens/s of 3.05 GB) read at 32.6 GB/s,
    above a one-core bound. The peers decode on every core, so the bound is every core's."""
    a = np.ones(1 << 28, dtype=np.float32)
    parts = np.array_split(a, os.cpu_count() or 1)
    best = 0.0
    for _ in range(5):
        threads = [threading.Thread(target=part.sum) for part in parts]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        best = max(best, a.nbytes / (time.perf_counter() - t) / 1e9)
    return best


def facet(args):
    out = subprocess.run([str(ROOT / "build/bin/facet-bench"), "--model", args.model, "--prompt-tokens", str(args.prompt),
                          "--gen-tokens", str(args.gen)], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def llama_cpu(args):
    out = subprocess.run([sys.executable, "-c", LLAMA_HELPER, args.model, str(args.prompt), str(args.gen), str(os.cpu_count())],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def llama_vulkan(args):
    # llama-bench lists CPU-type Vulkan devices (lavapipe) only when asked for them by index.
    env = dict(os.environ, GGML_VK_VISIBLE_DEVICES=os.environ.get("GGML_VK_VISIBLE_DEVICES", "0"))
    out = subprocess.run([args.llama_vulkan_bench, "-m", args.model, "-p", str(args.prompt), "-n", str(args.gen), "-ngl", "99",
                          "-r", "1", "-t", str(os.cpu_count()), "-o", "json"],
                         check=True, capture_output=True, text=True, env=env).stdout
    rows = json.loads(out)
    prefill = next(r for r in rows if r["n_prompt"] > 0 and r["n_gen"] == 0)
    decode = next(r for r in rows if r["n_gen"] > 0 and r["n_prompt"] == 0)
    if "Vulkan" not in str(prefill.get("backends", "")):
        raise SystemExit(f"{args.llama_vulkan_bench} did not run on Vulkan: backends {prefill.get('backends')}")
    return {"prefill_tok_s": prefill["avg_ts"], "decode_tok_s": decode["avg_ts"], "device": prefill.get("gpu_info", "")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--prompt", type=int, default=512)
    p.add_argument("--gen", type=int, default=128)
    p.add_argument("--llama-vulkan-bench", help="llama-bench built with GGML_VULKAN (a local build, not committed)")
    args = p.parse_args()

    ratios = {"prefill": [], "decode": []}
    vk_ratios = {"prefill": [], "decode": []}
    last = None
    for r in range(args.rounds):
        f = facet(args)
        l = llama_cpu(args)
        last, last_llama = f, l
        for k in ratios:
            ratios[k].append(f[f"{k}_tok_s"] / l[f"{k}_tok_s"])
        line = (f"round {r + 1}: facet prefill {f['prefill_tok_s']:.2f} decode {f['decode_tok_s']:.3f} tok/s | "
                f"llama.cpp CPU prefill {l['prefill_tok_s']:.2f} decode {l['decode_tok_s']:.3f} tok/s")
        if args.llama_vulkan_bench:
            v = llama_vulkan(args)
            for k in vk_ratios:
                vk_ratios[k].append(f[f"{k}_tok_s"] / v[f"{k}_tok_s"])
            line += f" | llama.cpp Vulkan ({v['device']}) prefill {v['prefill_tok_s']:.3f} decode {v['decode_tok_s']:.3f} tok/s"
        print(line, flush=True)
    rate = read_rate_gbs()
    per_token = last["weights_read_per_token_bytes"]
    bound = rate * 1e9 / per_token
    summary = {
        "model": Path(args.model).name, "prompt_tokens": args.prompt, "gen_tokens": args.gen, "rounds": args.rounds,
        "facet_vs_llamacpp_cpu_prefill": statistics.median(ratios["prefill"]),
        "facet_vs_llamacpp_cpu_decode": statistics.median(ratios["decode"]),
        **({"facet_vs_llamacpp_vulkan_prefill": statistics.median(vk_ratios["prefill"]),
            "facet_vs_llamacpp_vulkan_decode": statistics.median(vk_ratios["decode"])} if args.llama_vulkan_bench else {}),
        "read_rate_gb_s": rate, "weights_read_per_token_bytes": per_token,
        "decode_bound_tok_s": bound, "facet_decode_share_of_bound": last["decode_tok_s"] / bound,
        "llamacpp_cpu_decode_share_of_bound": last_llama["decode_tok_s"] / bound,
        "facet_device_bytes": last["peak_device_bytes"], "file_bytes": os.path.getsize(args.model),
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
