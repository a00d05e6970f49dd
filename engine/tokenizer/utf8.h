// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstddef>
#include <string_view>

namespace facet::utf8 {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

enum class Status { Valid, Incomplete, Invalid };
struct Check {
    Status status;
    size_t length; // bytes of the character, or of the bad sequence's maximal valid prefix
};

// The character starting at text[0]: valid, a valid prefix cut short by the end of
// `text`, or invalid (stray continuation, overlong form, surrogate, > U+10FFFF). Bad
// sequences are measured as Unicode's "maximal subpart" so each becomes one U+FFFD,
// as Python and browsers replace them.
Check checkAt(std::string_view text);

} // namespace facet::utf8
