// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace facet {

// Tensor storage types as numbered by ggml (ggml.h). Every id a GGUF file may carry is
// listed so the reader can size and bounds-check any tensor; which of them the shaders
// compute with is a separate question (see engine/model).
enum class GgmlType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21,
    IQ2_S = 22, IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28,
    IQ1_M = 29, BF16 = 30, TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41,
};

struct GgmlTypeTraits {
    GgmlType type;
    std::string_view name;
    uint32_t blockElements; // elements per block; a row length must be a multiple
    uint32_t blockBytes;    // bytes per block
};

// Traits of a raw type id, or nothing when the id is not a ggml type.
std::optional<GgmlTypeTraits> ggmlTypeTraits(uint32_t id);
const GgmlTypeTraits& ggmlTypeTraits(GgmlType type);

} // namespace facet
