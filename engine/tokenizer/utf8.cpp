// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "tokenizer/utf8.h"

#include "facet/tokenizer.h"

namespace facet {
namespace utf8 {

Check checkAt(std::string_view text)
{
    const auto b = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char c = b(0);
    if (c < 0x80)
        return {Status::Valid, 1};
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;       // overlong
        if (c == 0xED) hi = 0x9F;       // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;       // overlong
        if (c == 0xF4) hi = 0x8F;       // above U+10FFFF
    } else {
        return {Status::Invalid, 1};
    }
    for (size_t k = 1; k < n; ++k) {
        if (k >= text.size())
            return {Status::Incomplete, k};
        const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
        if (b(k) < min || b(k) > max)
            return {Status::Invalid, k};
    }
    return {Status::Valid, n};
}

} // namespace utf8

std::string sanitizeUtf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const utf8::Check c = utf8::checkAt(text.substr(i));
        if (c.status == utf8::Status::Valid) {
            out.append(text, i, c.length);
            i += c.length;
        } else {
            out += utf8::kReplacement;
            i += c.length;
        }
    }
    return out;
}

} // namespace facet
