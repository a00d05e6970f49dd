// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <stdexcept>
#include <string>

namespace facet {

// Every failure a user can cause (a file, a setting, a device) reaches them as one
// plain sentence; Error carries that sentence and nothing else.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& sentence) : std::runtime_error(sentence) {}
};

} // namespace facet
