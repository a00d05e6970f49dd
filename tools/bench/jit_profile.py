#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Where lavapipe's JIT-compiled shaders spend their time, instruction by instruction.

lavapipe builds each pipeline's machine code at run time into anonymous executable
memory, so perf sees only addresses ("[JIT] tid ...") and Mesa's release build prints
no assembly. This runs a command under `perf record`, copies every anonymous executable
mapping out of the process while it runs (root: /proc/PID/mem), disassembles those with
objdump and writes each instruction with its sample count beside it. It is a tool for a
person reading kernels, not a test.

    tools/bench/jit_profile.py OUT_DIR [--delay S] -- build/bin/facet-kernel-bench \
        --rows 6144 --cols 1536 --repeat 400 --types Q4_K --tokens 1

Give the command enough repeats to run well past --delay (the mappings are copied
then, once the pipelines exist). Prints the hottest 1 KiB stretches and mnemonics; the
annotated listing is OUT_DIR/<address>.s. Needs perf (Debian: linux-perf) and objdump
(binutils); neither is needed to build or test Facet.

What it showed in session 12 (Mesa 22.3, LLVM 15, AVX2), for whoever tunes kernels:
- No FMA instructions: GLSL fma() comes out as vmulps + vaddps.
- A private array indexed by a variable (a row's accumulator acc[r], a token's x) is a
  gather and a scatter per access: making the token loop of the prefill mat-vec a
  real loop made it 5x slower.
- subgroupAdd() and a store from one lane are loops over the lanes. A dot product that
  feeds subgroupAdd() directly (not through a loop-carried value) is moved by LLVM
  into that loop and computed lane by lane in scalar code: about 12x slower.
- texelFetch() of a uvec4 is a called routine of about 40 instructions (bounds check,
  eight 16-byte loads, a transpose): 14-22 % of a Q4_K mat-vec's time.
- With eight tokens unrolled in one basic block, LLVM spills x and the decoded values
  to the stack and runs each token's sum as one dependent vaddps chain: the prefill
  mat-vec reaches about 1.5 multiply-adds per cycle per core.

What it showed in session 13 (same driver), about loads every lane shares:
- A push constant read inside a loop is a gather with a bounds check on every
  iteration; read once before the loops it is a register (matvec_kquant.comp's
  readPush(): Q4_K decode about 10 % faster).
- Storage-buffer loads are loops over the lanes even at an offset every lane shares.
- Uniform-buffer loads at offsets made only of constants and push constants are one
  scalar load and a broadcast, but only outside every loop: inside any loop (also
  one with [[unroll]] and a specialisation-constant bound) they are gathers again.
- subgroupBroadcast() with a constant lane is a loop over the lanes per call.
- A row-per-lane Q4_K decode kernel built on those rules (x in a uniform buffer, no
  loops, the blocks unrolled by macros, 64 rows a workgroup) ran 7x slower than the
  current kernel: its straight-line body spilled every broadcast x and LLVM moved the
  scales into the store's lane loop, computing them lane by lane.

What it showed in session 16 (same driver; this VM's CPU has AVX-512VL, so LLVM uses 32
vector registers, but still no FMA):
- subgroupAdd() is a loop over the lanes whose scalar adds go through the stack and a
  general register, each waiting on the last: 7-9 % of a Q4_K decode mat-vec and 17 %
  of a prefill one (64 and 256 of them per workgroup). subgroupShuffleXor() is a loop
  too, but its lanes do not wait on each other: recursive halving with shuffles
  (common/store_row_sums.glsl) was 10-15 % faster in prefill.
- subgroupAdd() of a vec4 is four scalar loops: no faster than four of a float.
- Not faster, measured with facet-kernel-bench against the old binary: several units a
  lane per pass over the rows, so acc[r] is written once a pass (decode: the same;
  prefill: 1.7x slower, its x of three units and eight tokens spilled to the stack);
  two rows per loop iteration (1.45x slower: both sides of the tail branch run, and
  twice the registers); LP_NATIVE_VECTOR_WIDTH=512 (2x slower).
What session 17 found (same driver and VM):
- lavapipe splits a dispatch's workgroups into LP_NUM_THREADS equal runs up front, so
  with one thread per core a slowed core leaves the other idle: about a fifth of
  decode's core time was idle. Twice the cores (engine/vk/instance.cpp) made E2B decode
  about 1.1x faster.
- A dispatch and its barrier cost about 65 us with 4 threads, 180 us with 1, almost all
  of it outside the kernel: an empty residual_norm took as long in FACET_PROFILE as a
  working one, and the recording of a whole token is about 1.3 ms.
- An R32UI texel view read with four texelFetch() per uvec4 is an AVX2 gather each
  (lp_build_gather): the Q4_K decode mat-vec ran 2x slower than with one RGBA32UI fetch.
- x weighed by the powers of two once per unit, and each vec4 summed with dot() into
  one accumulator per sub-block (so eight tokens' sums fit in registers): decode no
  faster, prefill's best time at 64 tokens 1.25x slower.
What session 18 found (same driver and VM):
- The cost of a dispatch is lavapipe's thread pool: perf of 2000 tiny mat-vecs shows
  futex waits, mutex contention and condition broadcasts in the kernel, not shader code.
  LP_NUM_THREADS=0 (work on the queue's own thread) makes a tiny dispatch 7 us instead of
  50-60, but leaves one core for the mat-vecs. A spinning idle-priority thread on each
  core did not lower it (the guest already polls before it halts: cpuidle haltpoll).
- A mat-vec whose last workgroup (an atomic count of the finished ones) ends the sublayer
  in place of residual_norm.comp: in facet-kernel-bench (with a --residual-norm option,
  not kept), 1536x256 Q4_K was 0.170 ms against 0.218 for mat-vec + residual_norm (0.146
  alone; so residual_norm's own work over 1536 elements is about a third of its cost,
  not nothing as the FACET_PROFILE reading above suggested), but E2B decode, old binary
  against new taking turns, was 1.000, 0.990, 0.981 and 1.004 in sets of 6-20 rounds,
  and compiling the new pipelines lengthened the first token. Not kept.
- The residual norm over 1536 elements with vec4 texel reads in that tail was no faster
  than with float storage-buffer reads (and four elements a lane changes the sum order,
  so it was no longer bit for bit rms_norm + add_scale + rms_norm).
- Prefill 8 tokens a workgroup against 4: E2B prefill at 64 tokens 0.92x with 4
  (facet-kernel-bench had 6144x1536 Q4_K a little faster, Q6_K slower); LP_NUM_THREADS=3
  against 4: decode 0.88x.
- A prefill Q4_K mat-vec's unrolled eight-token body is about 42 KiB of code, over the
  32 KiB L1 instruction cache; it runs about 22 G multiply-adds/s on the two cores,
  roughly a quarter of what separate vmulps and vaddps (two pipes each) issue at 3 GHz.
What session 19 found (same driver and VM; none of it kept):
- In the prefill Q4_K mat-vec, acc[r * TOKENS_PER_GROUP + t] (r a loop variable) is a
  gather of 8 lanes from the stack on every read and a masked scatter on every write:
  those instructions and the lane extracts feeding them are about 15-20 % of its samples.
  Row-outer loop orders that would make the index constant reload x per row, and several
  units a pass spill x past L1 (session 16); prefill and decode must keep one summation
  order (tst_forward_tiny compares their logits exactly).
- The prefill multiply-add is a vmovaps of v from the stack, a vmulps with x from the
  stack and a vaddps. Four tokens a v vec4 (each v taken for four tokens before the next,
  the sums in scaledDot's order) left LLVM reloading v all the same: 6144x1536x64 Q4_K
  25.9-30.5 ms against 26.3-29.8 before (three alternating runs).
- 64 rows a prefill workgroup instead of 32 (x's texels amortised over twice the rows):
  kernel bench perhaps 5 % faster, E2B prefill at 64 tokens 1.013x (8 alternating rounds),
  within noise.
- Weights read with imageLoad() from a storage texel buffer (rgba32ui) are inlined where
  texelFetch() of a uniform texel buffer is a call, but the inlined code is the same eight
  16-byte loads and transpose: 6144x1536 decode Q4_K 0.681 against 0.683 ms, Q6_K 0.740
  against 0.769 (medians of five alternating runs).
- The next row's texels fetched before this row's sums (one row of lookahead) were slower:
  Q4_K 6144x1536 0.73 against 0.71 ms, Q5_K 1.12 against 0.94, 65536x1536 8.9 against 8.2.
- Transparent huge pages ("always" instead of "madvise") made no difference to
  65536x1536 Q4_K and Q6_K mat-vecs out of cache (three alternating runs): TLB misses are
  not a cost here. LP_NUM_THREADS 6 or 8 against the default 4: decode 0.95x and 0.94x.
- E2B decode keeps both cores about 95 % busy (user + system time over wall time between
  runs of 8 and 48 tokens): the time is the kernels' instructions, not idle cores.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import time

INSN = re.compile(r"\s+([0-9a-f]+):\t(?:[0-9a-f]{2} )+\s*\t(\S+)\s*(.*)")


def copy_jit_mappings(pid, out_dir):
    """Anonymous executable mappings of `pid` copied to OUT_DIR/<start>.bin: (start, path) each."""
    copies = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
        for line in maps:
            fields = line.split()
            if "x" not in fields[1] or len(fields) >= 6:  # a named file: not JIT code
                continue
            start, end = (int(a, 16) for a in fields[0].split("-"))
            mem.seek(start)
            path = os.path.join(out_dir, f"{start:x}.bin")
            with open(path, "wb") as f:
                f.write(mem.read(end - start))
            copies.append((start, path))
    return copies


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--delay", type=float, default=8.0, help="seconds before the mappings are copied")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    a, cmd = ap.parse_args(argv[:split]), argv[split + 1:]
    if not cmd:
        ap.error("give the command to profile after --")
    os.makedirs(a.out_dir, exist_ok=True)
    data = os.path.join(a.out_dir, "perf.data")
    with open(os.path.join(a.out_dir, "command.out"), "w") as log:
        perf = subprocess.Popen(["perf", "record", "-o", data, "-F", "1000", "--"] + cmd, stdout=log, stderr=log)
        time.sleep(a.delay)
        # perf's child is the command; its pid is the one that maps the JIT code.
        with open(f"/proc/{perf.pid}/task/{perf.pid}/children") as f:
            children = f.read().split()
        if perf.poll() is not None or not children:
            sys.exit("the command ended before --delay; give it more repeats")
        copies = copy_jit_mappings(int(children[0]), a.out_dir)
        perf.wait()
    ips = subprocess.run(["perf", "script", "-i", data, "-F", "ip"], capture_output=True, text=True).stdout
    samples = collections.Counter(int(l, 16) for l in ips.split() if l)
    total = sum(samples.values())
    for start, path in copies:
        size = os.path.getsize(path)
        here = {ip - start: n for ip, n in samples.items() if start <= ip < start + size}
        if not here:
            continue
        listing = subprocess.run(["objdump", "-D", "-b", "binary", "-m", "i386:x86-64", path],
                                 capture_output=True, text=True).stdout
        stretches, mnemonics = collections.Counter(), collections.Counter()
        with open(path[:-4] + ".s", "w") as out:
            for line in listing.splitlines():
                m = INSN.match(line)
                offset = int(m.group(1), 16) if m else None
                n = here.get(offset, 0)
                out.write(f"{n:7d} {line}\n")
                if n:
                    stretches[offset // 1024] += n
                    stack = " (stack)" if "(%rsp" in m.group(3) else ""
                    mnemonics[m.group(2) + stack] += n
        inside = sum(here.values())
        print(f"{path[:-4]}.s: {inside} of {total} samples")
        for k, n in sorted(stretches.items()):
            if n > inside * 0.01:
                print(f"  +0x{k * 1024:x}: {100 * n / inside:.1f} %")
        print("  " + ", ".join(f"{k} {100 * n / inside:.1f} %" for k, n in mnemonics.most_common(16)))


if __name__ == "__main__":
    main()
