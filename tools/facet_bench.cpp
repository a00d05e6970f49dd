// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// facet-bench: prefill and decode speed of a model on the Vulkan device, as one JSON
// object (DESIGN.md). The prompt is a fixed pseudo-random token sequence: speed depends
// on shapes and storage types, not on what the tokens say.
#include "cli_args.h"
#include "facet/error.h"
#include "facet/text_model.h"

#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace facet;

namespace {

// Resident set size now, from /proc/self/statm (pages).
uint64_t residentBytes()
{
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    unsigned long long size = 0, resident = 0;
    if (f) {
        if (std::fscanf(f, "%llu %llu", &size, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * uint64_t(sysconf(_SC_PAGESIZE));
}


std::string jsonString(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20)
            continue;
        out += c;
    }
    return out + "\"";
}

int run(int argc, char** argv)
{
    const tools::Args args(argc, argv, {"--model", "--prompt-tokens", "--gen-tokens", "--device"}, {"--f32-kv"});
    if (!args.has("--model"))
        throw Error("Say which model to measure with --model FILE.");
    const long promptN = args.number("--prompt-tokens", 512, 1, 1 << 20);
    const long genN = args.number("--gen-tokens", 128, 1, 1 << 20);
    TextModelOptions opts;
    opts.device = args.get("--device");
    opts.contextLength = static_cast<uint32_t>(promptN + genN + 1);
    opts.f32KvCache = args.has("--f32-kv");

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    auto model = TextModel::open(args.get("--model"), opts);
    const auto t1 = Clock::now();
    if (model->info().contextLength < promptN + genN)
        throw Error("The model holds " + std::to_string(model->info().contextLength) + " tokens, fewer than the " +
                    std::to_string(promptN + genN) + " asked for.");

    std::vector<int32_t> prompt;
    uint32_t state = 12345;
    const uint32_t vocab = model->info().vocab;
    for (long i = 0; i < promptN; ++i) {
        state = state * 1664525u + 1013904223u;
        prompt.push_back(static_cast<int32_t>(3 + (state >> 8) % (vocab - 3)));
    }
    const auto p0 = Clock::now();
    int32_t next = model->prefill(prompt);
    const auto p1 = Clock::now();
    // Host memory in use (not the peak) after the first decoded token and at the end:
    // decoding must not grow it (the KV cache is allocated up front, on the device).
    uint64_t rssFirst = 0;
    for (long k = 0; k < genN; ++k) {
        next = model->decode(next);
        if (k == 0)
            rssFirst = residentBytes();
    }
    const auto d1 = Clock::now();
    const uint64_t rssLast = residentBytes();

    const double load = std::chrono::duration<double>(t1 - t0).count();
    const double prefill = std::chrono::duration<double>(p1 - p0).count();
    const double decode = std::chrono::duration<double>(d1 - p1).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const auto& info = model->info();
    std::printf("{\"model\": %s, \"device\": %s, \"prompt_tokens\": %ld, \"gen_tokens\": %ld, "
                "\"load_s\": %.3f, \"prefill_tok_s\": %.3f, \"decode_tok_s\": %.3f, \"time_to_first_token_ms\": %.1f, "
                "\"peak_device_bytes\": %llu, \"weights_bytes\": %llu, \"weights_read_per_token_bytes\": %llu, "
                "\"kv_cache_bytes\": %llu, \"peak_host_bytes\": %llu, \"host_growth_during_decode_bytes\": %lld, "
                "\"prefill\": \"batched\"}\n",
                jsonString(info.fileName).c_str(), jsonString(info.deviceName).c_str(), promptN, genN, load,
                promptN / prefill, genN / decode, prefill * 1000.0, (unsigned long long)info.deviceBytes,
                (unsigned long long)info.weightBytesOnDevice, (unsigned long long)info.weightBytesPerToken,
                (unsigned long long)info.kvCacheBytes,
                (unsigned long long)ru.ru_maxrss * 1024ull, (long long)rssLast - (long long)rssFirst);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    return facet::tools::guardedMain("facet-bench", [&] { return run(argc, argv); });
}
