// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace facet::vk {

// What a compute shader expects from whoever dispatches it, read from its SPIR-V so the
// C++ side never restates it by hand: buffer bindings in set 0 (0..n-1), which of them
// are uniform texel buffers (the rest are storage buffers), the push-constant block's
// size, and the specialization constant ids it declares.
struct ShaderInterface {
    uint32_t storageBindings = 0; // every binding, texel buffers included
    uint32_t texelMask = 0;       // bit b: binding b is a uniform texel buffer
    uint32_t pushConstantBytes = 0;
    std::vector<uint32_t> specIds;
};

// Throws std::runtime_error on SPIR-V it cannot read (a build problem, not a user one).
ShaderInterface reflect(std::span<const uint32_t> words);

} // namespace facet::vk
