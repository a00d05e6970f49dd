// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/vocabulary.h"

#include "facet/error.h"
#include "facet/gguf.h"
#include "tokenizer/utf8.h"

namespace facet {
namespace {

constexpr int kTokenControl = 3; // llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte
constexpr int kTokenByte = 6;
int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

} // namespace

Vocabulary Vocabulary::fromGguf(const std::filesystem::path& path)
{
    return fromGguf(gguf::File::open(path));
}

Vocabulary Vocabulary::fromGguf(const gguf::File& f)
{
    const gguf::Value* tokens = f.find("tokenizer.ggml.tokens");
    if (!tokens)
        throw Error(f.displayName() + " has no token list (tokenizer.ggml.tokens), so its output cannot be shown as text.");
    const auto& list = tokens->toArray("tokenizer.ggml.tokens");
    const gguf::Value* types = f.find("tokenizer.ggml.token_type");
    const gguf::Array* typeList = types ? &types->toArray("tokenizer.ggml.token_type") : nullptr;
    if (typeList && typeList->count != list.strings.size())
        throw Error(f.displayName() + " lists " + std::to_string(typeList->count) + " token types for " +
                    std::to_string(list.strings.size()) + " tokens.");
    Vocabulary v;
    if (const gguf::Value* e = f.find("tokenizer.ggml.eos_token_id"))
        v.m_eos = static_cast<int32_t>(e->toU64("tokenizer.ggml.eos_token_id"));
    v.m_pieces.reserve(list.strings.size());
    for (size_t i = 0; i < list.strings.size(); ++i) {
        const std::string_view p = list.strings[i];
        const int type = typeList ? static_cast<int>(typeList->integer(i)) : 1;
        std::string out;
        if (type == kTokenControl) {
            // nothing: <bos>, <eos>, turn markers are structure, not text
        } else if (type == kTokenByte && p.size() == 6 && p.substr(0, 3) == "<0x" && p[5] == '>' && hexValue(p[3]) >= 0 &&
                   hexValue(p[4]) >= 0) {
            out.push_back(static_cast<char>(hexValue(p[3]) * 16 + hexValue(p[4])));
        } else {
            for (size_t k = 0; k < p.size();) {
                if (p.compare(k, 3, "\xE2\x96\x81") == 0) { // U+2581 LOWER ONE EIGHTH BLOCK
                    out.push_back(' ');
                    k += 3;
                } else {
                    out.push_back(p[k++]);
                }
            }
        }
        v.m_pieces.push_back(std::move(out));
    }
    return v;
}

const std::string& Vocabulary::bytes(int32_t id) const
{
    static const std::string none;
    return id >= 0 && static_cast<size_t>(id) < m_pieces.size() ? m_pieces[id] : none;
}

std::string Utf8Stream::push(const std::string& bytes)
{
    m_pending += bytes;
    std::string out;
    size_t i = 0;
    while (i < m_pending.size()) {
        const utf8::Check c = utf8::checkAt(std::string_view(m_pending).substr(i));
        if (c.status == utf8::Status::Incomplete)
            break; // wait for the rest of this character
        if (c.status == utf8::Status::Invalid) {
            out += utf8::kReplacement;
            i += c.length;
            continue;
        }
        out.append(m_pending, i, c.length);
        i += c.length;
    }
    m_pending.erase(0, i);
    return out;
}

std::string Utf8Stream::finish()
{
    std::string out = m_pending.empty() ? "" : std::string(utf8::kReplacement);
    m_pending.clear();
    return out;
}

} // namespace facet
