// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/tokenizer.h"

#include "facet/error.h"
#include "facet/gguf.h"
#include "tokenizer/spm_model_proto.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace facet {
namespace {

// llama.cpp token types as stored in tokenizer.ggml.token_type.
enum GgufTokenType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

const std::string kSpaceMark = "\xE2\x96\x81"; // U+2581, SentencePiece's space

// Chat syntax a person must not be able to type into existence: Gemma 4's <|…> and <…|>
// markers (files mark some USER_DEFINED so they print), Gemma 3's image markers.
bool isChatMarker(std::string_view p)
{
    const bool gemma4 = p.size() > 2 && p.front() == '<' && p.back() == '>' && (p[1] == '|' || p[p.size() - 2] == '|');
    return gemma4 || p.starts_with("<start_of_") || p.starts_with("<end_of_") || p == "[multimodal]";
}

std::string escapeSpaces(std::string_view p)
{
    std::string out;
    for (char c : p)
        out += c == ' ' ? kSpaceMark : std::string(1, c);
    return out;
}

int64_t optionalId(const gguf::File& f, std::string_view key, int64_t fallback)
{
    const gguf::Value* v = f.find(key);
    return v ? v->toI64(key) : fallback;
}

} // namespace

struct Tokenizer::Impl {
    Vocabulary vocabulary;
    sentencepiece::SentencePieceProcessor spm;
    std::vector<std::string> pieces;
    std::unordered_map<std::string_view, int32_t> ids;
    int32_t bos = -1;
    bool addBos = true;
    // llama.cpp's "gemma4" pre-tokenizer: runs of newlines are cut from the text around
    // them and a run that is itself a piece becomes that piece.
    bool splitNewlineRuns = false;

    void encodeRun(std::string_view run, std::vector<int32_t>& out) const
    {
        std::vector<int> encoded;
        const auto status = spm.Encode(run, &encoded);
        if (!status.ok())
            throw Error("The tokenizer could not encode the text: " + status.ToString() + ".");
        out.insert(out.end(), encoded.begin(), encoded.end());
    }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::fromGguf(const std::filesystem::path& path) { return fromGguf(gguf::File::open(path)); }

Tokenizer Tokenizer::fromGguf(const gguf::File& f)
{
    auto impl = std::make_unique<Impl>();
    impl->vocabulary = Vocabulary::fromGguf(f);
    const std::string name = f.displayName();

    const gguf::Value* modelKey = f.find("tokenizer.ggml.model");
    const std::string model = modelKey ? std::string(modelKey->toString("tokenizer.ggml.model")) : "";
    if (model != "llama" && model != "gemma4")
        throw Error(name + " has a \"" + model + "\" tokenizer; Facet reads the SentencePiece (\"llama\") and \"gemma4\" tokenizers of Gemma files.");
    const auto& tokens = f.require("tokenizer.ggml.tokens").toArray("tokenizer.ggml.tokens");
    const size_t n = tokens.strings.size();
    const gguf::Value* typeKey = f.find("tokenizer.ggml.token_type");
    const gguf::Array* types = typeKey ? &typeKey->toArray("tokenizer.ggml.token_type") : nullptr;
    const gguf::Value* scoreKey = f.find("tokenizer.ggml.scores");
    const gguf::Array* scores = scoreKey ? &scoreKey->toArray("tokenizer.ggml.scores") : nullptr;
    if (scores && scores->count != n)
        throw Error(name + " lists " + std::to_string(scores->count) + " token scores for " + std::to_string(n) + " tokens.");

    impl->pieces.reserve(n);
    for (size_t i = 0; i < n; ++i)
        impl->pieces.emplace_back(tokens.strings[i]);
    impl->ids.reserve(n);
    for (size_t i = 0; i < n; ++i)
        impl->ids.emplace(impl->pieces[i], static_cast<int32_t>(i)); // first spelling wins

    spm::ModelSpec spec;
    spec.unkId = static_cast<int32_t>(optionalId(f, "tokenizer.ggml.unknown_token_id", 3));
    spec.bosId = static_cast<int32_t>(optionalId(f, "tokenizer.ggml.bos_token_id", 2));
    spec.eosId = static_cast<int32_t>(optionalId(f, "tokenizer.ggml.eos_token_id", 1));
    spec.padId = static_cast<int32_t>(optionalId(f, "tokenizer.ggml.padding_token_id", -1));
    for (int32_t id : {spec.unkId, spec.bosId, spec.eosId, spec.padId})
        if (id < -1 || id >= static_cast<int64_t>(n))
            throw Error(name + " names special token id " + std::to_string(id) + " but has " + std::to_string(n) + " tokens.");
    if (spec.unkId < 0)
        throw Error(name + " names no unknown-token id, which its SentencePiece tokenizer needs.");
    if (const gguf::Value* v = f.find("tokenizer.ggml.add_space_prefix"))
        spec.addDummyPrefix = v->toBool("tokenizer.ggml.add_space_prefix");
    if (const gguf::Value* v = f.find("tokenizer.ggml.add_bos_token"))
        impl->addBos = v->toBool("tokenizer.ggml.add_bos_token");
    if (model == "gemma4")
        impl->addBos = true; // early Gemma 4 files said false; without <bos> the model degenerates
    impl->bos = spec.bosId;

    // "gemma4" files: score = -(rank of the earliest merge producing the piece).
    std::vector<float> mergeScore;
    if (model == "gemma4") {
        const gguf::Value* mergesKey = f.find("tokenizer.ggml.merges");
        if (!mergesKey)
            throw Error(name + " has a \"gemma4\" tokenizer without its merge list (tokenizer.ggml.merges).");
        const auto& merges = mergesKey->toArray("tokenizer.ggml.merges");
        const float unmerged = -static_cast<float>(merges.strings.size()) - 1.0f;
        mergeScore.assign(n, unmerged);
        std::string joined;
        for (size_t r = 0; r < merges.strings.size(); ++r) {
            const std::string_view m = merges.strings[r];
            const size_t space = m.find(' ', 1);
            if (space == std::string_view::npos)
                throw Error(name + " has a malformed merge at position " + std::to_string(r) + ".");
            joined.assign(m.substr(0, space));
            joined.append(m.substr(space + 1));
            const auto it = impl->ids.find(joined);
            if (it != impl->ids.end() && mergeScore[it->second] == unmerged)
                mergeScore[it->second] = -static_cast<float>(r);
        }
        impl->splitNewlineRuns = true;
    }

    spec.pieces.resize(n);
    for (size_t i = 0; i < n; ++i) {
        spm::Piece& p = spec.pieces[i];
        p.text = impl->pieces[i];
        p.score = !mergeScore.empty() ? mergeScore[i] : scores ? static_cast<float>(scores->number(i)) : 0.0f;
        const int type = types ? static_cast<int>(types->integer(i)) : Normal;
        switch (type) {
        case Normal: p.type = spm::PieceType::Normal; break;
        case Unused: p.type = spm::PieceType::Unused; break;
        case Byte: p.type = spm::PieceType::Byte; break;
        case UserDefined:
            // Gemma 3 files store user-defined space runs with real spaces; the model sees ▁.
            p.text = escapeSpaces(p.text);
            p.type = isChatMarker(p.text) ? spm::PieceType::Control : spm::PieceType::UserDefined;
            break;
        default: p.type = spm::PieceType::Control; break; // control, and unknown other than unk
        }
        if (static_cast<int32_t>(i) == spec.unkId)
            p.type = spm::PieceType::Unknown;
    }
    const auto status = impl->spm.LoadFromSerializedProto(spm::serializeBpeModel(spec));
    if (!status.ok())
        throw Error(name + "'s tokenizer could not be built: " + status.ToString() + ".");
    return Tokenizer(std::move(impl));
}

std::vector<int32_t> Tokenizer::encode(std::string_view raw) const
{
    const std::string text = sanitizeUtf8(raw);
    std::vector<int32_t> out;
    if (!m->splitNewlineRuns) {
        if (!text.empty())
            m->encodeRun(text, out);
        return out;
    }
    std::string_view rest = text;
    while (!rest.empty()) {
        const bool newlines = rest.front() == '\n';
        size_t end = newlines ? rest.find_first_not_of('\n') : rest.find('\n');
        end = std::min(end, rest.size());
        const std::string_view run = rest.substr(0, end);
        const auto whole = m->ids.find(run);
        if (newlines && whole != m->ids.end())
            out.push_back(whole->second);
        else
            m->encodeRun(run, out);
        rest.remove_prefix(end);
    }
    return out;
}

int32_t Tokenizer::pieceId(std::string_view piece) const
{
    const auto it = m->ids.find(piece);
    return it == m->ids.end() ? -1 : it->second;
}

int32_t Tokenizer::bos() const { return m->bos; }
bool Tokenizer::addsBos() const { return m->addBos; }
const Vocabulary& Tokenizer::vocabulary() const { return m->vocabulary; }

} // namespace facet
