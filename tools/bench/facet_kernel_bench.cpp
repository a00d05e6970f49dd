// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// facet-kernel-bench: how fast one mat-vec runs per storage type, at a shape of a real
// model (default: Gemma 4 E2B's 6144 x 1536 FFN projection). Random block bytes with
// their f16 scales made finite; prints one JSON line per type: ms per call (median of
// 20 submits of `repeat` back-to-back dispatches) and GB/s of weight bytes read. A
// benchmark, not a test: the kernels' numbers are checked by tst_kernel_quant.
#include "facet/error.h"
#include "facet/ggml_type.h"
#include "vk/context.h"
#include "vk/kernels/matvec.h"
#include "vk/kernels/weight_types.h"
#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace facet;
using namespace facet::vk;

int main(int argc, char** argv)
{
    uint32_t rows = 6144, cols = 1536, repeat = 10, tokens = 1;
    ContextOptions options;
    std::vector<std::string> types = {"Q4_K", "Q6_K", "Q5_K", "Q8_0", "BF16", "F32"};
    for (int i = 1; i < argc; i += 2) {
        if (std::string(argv[i]) == "--storage") {
            options.texelReads = false; // the storage-buffer kernels, for comparison
            --i;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "facet-kernel-bench: %s needs a value\n", argv[i]);
            return 2;
        }
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--rows") rows = uint32_t(std::stoul(v));
        else if (k == "--cols") cols = uint32_t(std::stoul(v));
        else if (k == "--repeat") repeat = uint32_t(std::stoul(v));
        else if (k == "--tokens") tokens = uint32_t(std::stoul(v));
        else if (k == "--types") {
            types.clear();
            for (size_t a = 0, b; a <= v.size(); a = b + 1) {
                b = v.find(',', a);
                if (b == std::string::npos) b = v.size();
                types.push_back(v.substr(a, b - a));
            }
        } else {
            std::fprintf(stderr, "usage: facet-kernel-bench [--rows R] [--cols C] [--tokens T] [--repeat N] [--types Q4_K,Q6_K,...] [--storage]\n");
            return 2;
        }
    }
    try {
        Context ctx(options);
        PipelineCache pipes(ctx);
        Recorder rec(ctx);
        std::mt19937 rng(7);
        for (const std::string& name : types) {
            GgmlType type{};
            bool found = false;
            for (uint32_t t = 0; t < 64; ++t)
                if (const auto traits = ggmlTypeTraits(t); traits && traits->name == name) {
                    type = GgmlType(t);
                    found = true;
                }
            if (!found || !kernels::weightTypeKernels(type)) {
                std::fprintf(stderr, "facet-kernel-bench: no kernel for %s\n", name.c_str());
                continue;
            }
            const auto& tr = ggmlTypeTraits(type);
            const uint64_t rowBytes = uint64_t(cols) / tr.blockElements * tr.blockBytes;
            std::vector<uint8_t> bytes(rowBytes * rows);
            // Small exponents everywhere: every f16/bf16 pair and scale stays finite.
            for (auto& b : bytes)
                b = uint8_t(rng() & 0x3B);
            // In the layout the model would load it in (tiled on a CPU device).
            const kernels::DeviceMatrix m = kernels::uploadMatrix(ctx, std::as_bytes(std::span(bytes)), rows, type, cols);
            Buffer x(ctx, uint64_t(cols) * tokens * 4, MemoryUse::Device), y(ctx, uint64_t(rows) * tokens * 4, MemoryUse::Device);
            std::vector<float> xv(size_t(cols) * tokens, 0.01f);
            x.uploadValues(std::span<const float>(xv));
            std::vector<double> ms;
            for (int run = 0; run < 21; ++run) {
                rec.begin();
                for (uint32_t r = 0; r < repeat; ++r) {
                    kernels::recordMatvec(rec, pipes, m, x.range(), y.range(), tokens);
                    rec.computeBarrier();
                }
                const auto t0 = std::chrono::steady_clock::now();
                rec.submitAndWait();
                const double dt = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                if (run > 0) // the first run compiles the pipeline
                    ms.push_back(dt / repeat);
            }
            std::sort(ms.begin(), ms.end());
            const double med = ms[ms.size() / 2], best = ms.front();
            std::printf("{\"type\": \"%s\", \"rows\": %u, \"cols\": %u, \"tokens\": %u, \"ms\": %.3f, \"best_ms\": %.3f, \"weight_gb_s\": %.2f}\n",
                        name.c_str(), rows, cols, tokens, med, best, double(rowBytes) * rows / (med * 1e6));
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "facet-kernel-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
