// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "tokenizer/spm_model_proto.h"

#include <cstring>

namespace facet::spm {
namespace {

enum WireType : uint32_t { Varint = 0, LengthDelimited = 2, Fixed32 = 5 };

void putVarint(std::string& out, uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void putKey(std::string& out, uint32_t field, WireType wire) { putVarint(out, (uint64_t{field} << 3) | wire); }

// int32 fields are sign-extended to 64 bits on the wire, so -1 takes ten bytes.
void putInt(std::string& out, uint32_t field, int64_t v)
{
    putKey(out, field, Varint);
    putVarint(out, static_cast<uint64_t>(v));
}

void putBytes(std::string& out, uint32_t field, const std::string& bytes)
{
    putKey(out, field, LengthDelimited);
    putVarint(out, bytes.size());
    out += bytes;
}

void putFloat(std::string& out, uint32_t field, float v)
{
    putKey(out, field, Fixed32);
    uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

} // namespace

std::string serializeBpeModel(const ModelSpec& spec)
{
    std::string model;
    model.reserve(spec.pieces.size() * 24);
    std::string piece;
    for (const Piece& p : spec.pieces) {
        piece.clear();
        putBytes(piece, 1, p.text);
        putFloat(piece, 2, p.score);
        putInt(piece, 3, static_cast<int64_t>(p.type));
        putBytes(model, 1, piece);
    }

    std::string trainer;
    putInt(trainer, 3, 2); // model_type BPE
    putInt(trainer, 4, static_cast<int64_t>(spec.pieces.size()));
    putInt(trainer, 35, spec.byteFallback ? 1 : 0);
    putInt(trainer, 40, spec.unkId);
    putInt(trainer, 41, spec.bosId);
    putInt(trainer, 42, spec.eosId);
    putInt(trainer, 43, spec.padId);
    putBytes(model, 2, trainer);

    std::string normalizer;
    putBytes(normalizer, 1, "identity");
    putInt(normalizer, 3, spec.addDummyPrefix ? 1 : 0);
    putInt(normalizer, 4, 0); // remove_extra_whitespaces: runs of spaces are text
    putInt(normalizer, 5, 1); // escape_whitespaces
    putBytes(model, 3, normalizer);
    return model;
}

} // namespace facet::spm
