// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/vocabulary.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace facet {
namespace gguf { class File; }

// Text to token ids, with the file's own vocabulary, by a SentencePiece BPE model built
// in memory from the GGUF tokenizer metadata. Gemma 3 files carry real piece scores;
// Gemma 4 files ("gemma4" tokenizer) carry placeholder scores and a merge list, so a
// piece's score is the rank of the first merge that makes it.
//
// encode() turns what a person typed into ordinary pieces only: control tokens and the
// chat-syntax markers (<|turn>, <|channel>, <start_of_turn>, ...) never come from text,
// so "<|turn>" typed in a message stays seven characters. The chat format inserts
// markers by id. Invalid UTF-8 bytes are replaced by U+FFFD before encoding.
class Tokenizer {
public:
    // Throws facet::Error naming the missing or inconsistent key.
    static Tokenizer fromGguf(const gguf::File& file);
    static Tokenizer fromGguf(const std::filesystem::path& path);
    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    std::vector<int32_t> encode(std::string_view text) const;

    // The id of the piece spelled exactly `piece` (special tokens included), -1 if none.
    int32_t pieceId(std::string_view piece) const;
    int32_t bos() const;
    bool addsBos() const; // tokenizer.ggml.add_bos_token (Gemma always wants <bos>)
    const Vocabulary& vocabulary() const;

private:
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

// `text` with every byte that does not belong to a valid UTF-8 character (overlong forms
// and surrogates included) replaced by U+FFFD.
std::string sanitizeUtf8(std::string_view text);

} // namespace facet
