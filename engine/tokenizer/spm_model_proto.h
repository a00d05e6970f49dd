// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace facet::spm {

// SentencePiece piece types, numbered as in sentencepiece_model.proto.
enum class PieceType : uint8_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

struct Piece {
    std::string text;
    float score = 0;
    PieceType type = PieceType::Normal;
};

struct ModelSpec {
    std::vector<Piece> pieces;
    int32_t unkId = 3, bosId = 2, eosId = 1, padId = 0;
    bool byteFallback = true;
    bool addDummyPrefix = false;
};

// Serialized sentencepiece ModelProto for a BPE model with an identity normalizer that
// escapes spaces as U+2581 and never collapses them. Debian's libsentencepiece ships no
// .proto and carries its own protobuf-lite, so the wire format is written by hand
// (field numbers: toolchain-notes §6).
std::string serializeBpeModel(const ModelSpec& spec);

} // namespace facet::spm
