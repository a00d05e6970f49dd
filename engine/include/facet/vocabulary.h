// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace facet {
namespace gguf { class File; }

// The decoding half of a SentencePiece-style vocabulary from GGUF metadata
// (tokenizer.ggml.tokens / token_type): token ids to text. "▁" is a space, "<0xAB>"
// pieces are raw bytes, control tokens print nothing. Encoding is facet::Tokenizer's.
class Vocabulary {
public:
    // Throws facet::Error when the file has no token list.
    static Vocabulary fromGguf(const std::filesystem::path& path);
    static Vocabulary fromGguf(const gguf::File& file);

    size_t size() const { return m_pieces.size(); }
    // The bytes token `id` stands for (possibly part of a UTF-8 character).
    const std::string& bytes(int32_t id) const;
    // tokenizer.ggml.eos_token_id, -1 when the file has none.
    int32_t eos() const { return m_eos; }

private:
    std::vector<std::string> m_pieces;
    int32_t m_eos = -1;
};

// Collects token bytes and hands out only whole UTF-8 characters, so a stream never
// shows half a character; an invalid byte becomes U+FFFD.
class Utf8Stream {
public:
    std::string push(const std::string& bytes);
    std::string finish(); // what is left, incomplete tails as U+FFFD
private:
    std::string m_pending;
};

} // namespace facet
