// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// facet-cli: runs a Gemma model on the Vulkan device. With -p it chats (the model's
// own chat format, the reply streamed to stdout); with --tokens it continues raw token
// ids (DESIGN.md). Errors: one sentence on stderr, exit code 1.
#include "cli_args.h"
#include "facet/chat_session.h"
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
    "usage: facet-cli [--model FILE.gguf] -p TEXT [--system TEXT] [--think] [-n N]\n"
    "                 [--mmproj FILE.gguf --image FILE [--image FILE ...] [--image-budget N]]\n"
    "                 [--mmproj FILE.gguf --audio FILE [--audio FILE ...]]\n"
    "       facet-cli --model FILE.gguf --mmproj FILE.gguf --audio FILE --transcribe [--language NAME]\n"
    "       facet-cli --model FILE.gguf|HF_FOLDER --tokens ID,ID,... [-n N] [--dump-logits OUT.f32] [--print-ids]\n"
    "  common: [--temp T --top-k K --top-p P --min-p P --repeat-penalty R --seed S]\n"
    "          [--device NAME] [--ctx N] [--f32-kv]\n"
    "  -p sends TEXT as a user message in the model's chat format and streams the reply\n"
    "  (thinking, with --think, goes to stderr); it stops at the end of the turn or after\n"
    "  N tokens (default 512). Without --model it uses the bundled demo model,\n"
    "  $XDG_DATA_HOME/Facet/models/gemma-3-270m-q4_k_m.gguf (tools/dev.sh run puts it there).\n"
    "  --image puts a picture (PNG, JPEG, WebP, BMP, GIF) before the text; it needs the\n"
    "  model's vision encoder (--mmproj) and costs --image-budget soft tokens at most\n"
    "  (70, 140, 280, 560 or 1120; default 280).\n"
    "  --audio puts a sound file (WAV, FLAC, MP3, OGG/Opus, M4A/AAC) before the text: 25\n"
    "  soft tokens a second, in 30 s segments; Gemma 4 E2B and E4B hear, with their mmproj.\n"
    "  --transcribe prints only the words spoken in each --audio file (the dictation\n"
    "  prompt, in --language, default English).\n"
    "  --tokens continues raw token ids and streams the continuation as text (ids with\n"
    "  --print-ids or when the model has no token list); --dump-logits writes f32 logits\n"
    "  after every token. Greedy, or sampled when any sampling option is given (the\n"
    "  file's general.sampling.* values fill the rest).\n";

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

int chat(std::unique_ptr<TextModel> model, const tools::Args& args, uint32_t maxTokens)
{
    const std::string device = model->info().deviceName;
    const uint32_t budget = uint32_t(args.number("--image-budget", 280, 1, 1 << 20));
    if (!vision::isBudget(budget))
        throw Error("--image-budget takes " + vision::budgetList() + " soft tokens, not " + std::to_string(budget) + ".");
    if (args.has("--image") && !args.has("--mmproj"))
        throw Error("--image needs the model's vision encoder: pass its mmproj file with --mmproj FILE.gguf.");
    if (args.has("--audio") && !args.has("--mmproj"))
        throw Error("--audio needs the model's audio encoder: pass its mmproj file with --mmproj FILE.gguf.");
    if (args.has("--transcribe") && !args.has("--audio"))
        throw Error("--transcribe needs a sound file: pass it with --audio FILE.");
    ChatSession session(std::move(model));
    // Each encoder is loaded only when something needs it (an mmproj may hold one or both).
    if (args.has("--image"))
        session.setVision(VisionEncoder::open(args.get("--mmproj"), device));
    if (args.has("--audio")) {
        if (!AudioEncoder::present(args.get("--mmproj")))
            throw Error(std::filesystem::path(args.get("--mmproj")).filename().string() +
                        " has no audio encoder: only Gemma 4 E2B and E4B hear, with their own mmproj file.");
        session.setAudio(AudioEncoder::open(args.get("--mmproj"), device));
    }
    const auto print = [](std::string_view text, bool thinking) {
        std::fwrite(text.data(), 1, text.size(), thinking ? stderr : stdout);
        std::fflush(thinking ? stderr : stdout);
    };
    if (args.has("--transcribe")) {
        for (const std::string& file : args.all("--audio")) {
            const std::vector<float> samples = decodeAudio(file);
            session.transcribe(samples, args.get("--language"), maxTokens, print);
            std::fputs("\n", stdout);
        }
        return 0;
    }
    std::vector<chat::Message> conversation;
    if (args.has("--system"))
        conversation.push_back({chat::Role::System, {{chat::Part::Kind::Text, args.get("--system")}}, {}, {}, {}, {}});
    chat::Message user{chat::Role::User, {}, {}, {}, {}, {}};
    for (const std::string& image : args.all("--image"))
        user.content.push_back({chat::Part::Kind::Image, image, budget});
    for (const std::string& clip : args.all("--audio"))
        user.content.push_back({chat::Part::Kind::Audio, clip});
    user.content.push_back({chat::Part::Kind::Text, args.get("-p")});
    conversation.push_back(std::move(user));
    const ReplyStats stats = session.generate(conversation, session.options(args.has("--think")), maxTokens, print);
    std::fputs("\n", stdout);
    std::fprintf(stderr, "facet-cli: %u prompt tokens, %u generated, first token after %.0f ms, %.1f tokens/s%s\n",
                 stats.promptTokens, stats.tokens, stats.firstTokenMs, stats.tokensPerSecond,
                 stats.contextFull ? "; the context is full" : stats.endOfTurn ? "" : "; stopped at -n");
    return 0;
}

int run(int argc, char** argv)
{
    if (argc == 2 && std::string(argv[1]) == "--help") {
        std::fputs(kHelp, stdout);
        return 0;
    }
    const tools::Args args(argc, argv,
                           {"--model", "--tokens", "-p", "--system", "-n", "--dump-logits", "--device", "--ctx", "--temp",
                            "--top-k", "--top-p", "--min-p", "--repeat-penalty", "--seed", "--image", "--image-budget",
                            "--mmproj", "--audio", "--language"},
                           {"--f32-kv", "--print-ids", "--think", "--transcribe"});
    if (int(args.has("-p")) + int(args.has("--tokens")) + int(args.has("--transcribe")) != 1)
        throw Error("Give one of a message with -p TEXT, token ids with --tokens, or --transcribe with --audio FILE; see --help.");
    std::string path = args.get("--model");
    if (path.empty()) {
        if (args.has("--tokens"))
            throw Error("--tokens needs a model: pass --model FILE.gguf.");
        path = defaultModelPath().string();
        if (!std::filesystem::exists(path))
            throw Error("No --model given and the demo model is not at " + path + "; run tools/dev.sh run once, or pass --model FILE.gguf.");
    }
    const long n = args.number("-n", args.has("--tokens") ? 32 : 512, 0, 1 << 20);
    TextModelOptions opts;
    opts.device = args.get("--device");
    opts.contextLength = static_cast<uint32_t>(args.number("--ctx", 0, 0, 1 << 24));
    opts.f32KvCache = args.has("--f32-kv");

    std::optional<Vocabulary> vocab;
    int32_t eos = -1;
    std::vector<int32_t> prompt;
    if (args.has("--tokens"))
        prompt = parseIds(args.get("--tokens"));
    if (args.has("--tokens") && !args.has("--print-ids") && std::filesystem::is_regular_file(path)) {
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
    if (!args.has("--tokens"))
        return chat(std::move(model), args, static_cast<uint32_t>(n));

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
