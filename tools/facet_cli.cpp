// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// facet-cli: runs a Gemma 4 model on the Vulkan device and streams the greedy
// continuation to stdout (DESIGN.md). Errors: one sentence on stderr, exit code 1.
#include "cli_args.h"
#include "facet/error.h"
#include "facet/text_model.h"
#include "facet/vocabulary.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

using namespace facet;

namespace {

const char* kHelp =
    "usage: facet-cli --model FILE.gguf|HF_FOLDER --tokens ID,ID,... [-n N] [--dump-logits OUT.f32]\n"
    "                 [--temp T --top-k K --top-p P --min-p P --repeat-penalty R --seed S]\n"
    "                 [--device NAME] [--ctx N] [--f32-kv] [--print-ids]\n"
    "  Streams the continuation as text (token ids with --print-ids or when the model has\n"
    "  no token list): greedy, or sampled when any sampling option is given (the file's\n"
    "  general.sampling.* values fill the rest).\n"
    "  model has no token list). --dump-logits writes f32 logits after every token.\n"
    "  -p TEXT needs the tokenizer, which Facet does not have yet: pass token ids.\n";

std::vector<int32_t> parseIds(const std::string& s)
{
    std::vector<int32_t> ids;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
        char* end = nullptr;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end || v < 0 || v > INT32_MAX)
            throw Error("--tokens takes comma-separated token ids, and \"" + item + "\" is not one.");
        ids.push_back(static_cast<int32_t>(v));
    }
    if (ids.empty())
        throw Error("--tokens needs at least one token id.");
    return ids;
}

int run(int argc, char** argv)
{
    if (argc == 2 && std::string(argv[1]) == "--help") {
        std::fputs(kHelp, stdout);
        return 0;
    }
    const tools::Args args(argc, argv,
                           {"--model", "--tokens", "-p", "-n", "--dump-logits", "--device", "--ctx", "--temp", "--top-k",
                            "--top-p", "--min-p", "--repeat-penalty", "--seed"},
                           {"--f32-kv", "--print-ids"});
    if (!args.has("--model"))
        throw Error("Say which model to run with --model FILE.gguf.");
    if (args.has("-p"))
        throw Error("-p needs the tokenizer, which Facet does not have yet; pass token ids with --tokens.");
    if (!args.has("--tokens"))
        throw Error("Give the prompt as token ids with --tokens.");
    const auto prompt = parseIds(args.get("--tokens"));
    const long n = args.number("-n", 32, 0, 1 << 20);
    TextModelOptions opts;
    opts.device = args.get("--device");
    opts.contextLength = static_cast<uint32_t>(args.number("--ctx", 0, 0, 1 << 24));
    opts.f32KvCache = args.has("--f32-kv");
    const std::string path = args.get("--model");

    std::optional<Vocabulary> vocab;
    int32_t eos = -1;
    if (!args.has("--print-ids") && std::filesystem::is_regular_file(path)) {
        try {
            vocab = Vocabulary::fromGguf(path);
            eos = vocab->eos();
        } catch (const Error& e) {
            std::fprintf(stderr, "facet-cli: %s Printing token ids instead.\n", e.what());
        }
    }
    auto model = TextModel::open(path, opts);
    if (args.has("--temp") || args.has("--top-k") || args.has("--top-p") || args.has("--min-p") ||
        args.has("--repeat-penalty") || args.has("--seed")) {
        SamplingParams s = model->info().defaultSampling;
        auto real = [&](const char* k, float fallback) {
            if (!args.has(k))
                return fallback;
            char* end = nullptr;
            const std::string v = args.get(k);
            const float f = std::strtof(v.c_str(), &end);
            if (v.empty() || *end)
                throw Error(std::string(k) + " takes a number, not \"" + v + "\".");
            return f;
        };
        s.temperature = real("--temp", s.temperature);
        s.topP = real("--top-p", s.topP);
        s.minP = real("--min-p", s.minP);
        s.repeatPenalty = real("--repeat-penalty", s.repeatPenalty);
        s.topK = static_cast<uint32_t>(args.number("--top-k", s.topK, 1, 256));
        s.seed = static_cast<uint64_t>(args.number("--seed", 0, 0, INT64_MAX));
        model->setSampling(s);
    }
    std::fprintf(stderr, "facet-cli: %s on %s\n", model->info().fileName.c_str(), model->info().deviceName.c_str());

    std::ofstream dump;
    if (args.has("--dump-logits")) {
        dump.open(args.get("--dump-logits"), std::ios::binary | std::ios::trunc);
        if (!dump)
            throw Error(args.get("--dump-logits") + " cannot be written.");
    }
    auto write = [&](const std::vector<float>& rows) {
        if (dump)
            dump.write(reinterpret_cast<const char*>(rows.data()), static_cast<std::streamsize>(rows.size() * 4));
    };
    std::vector<float> logits;
    int32_t next = model->prefill(prompt, dump ? &logits : nullptr);
    write(logits);
    Utf8Stream text;
    for (long k = 0; k < n; ++k) {
        if (vocab)
            std::fputs(text.push(vocab->bytes(next)).c_str(), stdout);
        else
            std::printf("%d ", next);
        std::fflush(stdout);
        if (next == eos || k + 1 == n)
            break;
        next = model->decode(next, dump ? &logits : nullptr);
        write(logits);
    }
    if (vocab)
        std::fputs(text.finish().c_str(), stdout);
    std::fputs("\n", stdout);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    return facet::tools::guardedMain("facet-cli", [&] { return run(argc, argv); });
}
