// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/gguf.h"
#include "util/mapped_file.h"

#include <map>
#include <string>
#include <vector>

namespace facet::gguf {

// One .gguf file (a whole model, or one part of a split model), parsed and checked
// against its own size. Values and tensor data point into `file`.
struct Part {
    MappedFile file;
    uint32_t version = 0;
    uint64_t alignment = 32;
    std::vector<std::string> keys;
    std::map<std::string, Value, std::less<>> values;
    std::vector<TensorInfo> tensors;

    const Value* find(std::string_view key) const;
};

// Throws facet::Error naming the file and the first problem found.
Part parsePart(const std::filesystem::path& path, uint32_t fileIndex);

} // namespace facet::gguf
