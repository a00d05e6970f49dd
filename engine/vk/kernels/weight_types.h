// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/ggml_type.h"
#include "vk/pipeline_cache.h"

#include <optional>
#include <string>

namespace facet::vk::kernels {

// The kernels that read weights stored in one type (shaders/common/weights.glsl).
struct WeightTypeKernels {
    GgmlType type;
    ShaderId matvec;
    ShaderId moeMatmul;
    ShaderId gather;
    std::optional<ShaderId> dequant; // block types only
    // The mat-vec reading weights and x as texels (DeviceLimits::texelReads).
    std::optional<ShaderId> matvecTexels = std::nullopt;
    // The expert mat-mul reading weights and x as texels, one workgroup per routed pair.
    std::optional<ShaderId> moeTexels = std::nullopt;
    // matvecTexels with the GELU product applied as it stores (recordMatvecGated).
    std::optional<ShaderId> matvecGatedTexels = std::nullopt;
};

// Null when the engine cannot compute with weights of this type.
const WeightTypeKernels* weightTypeKernels(GgmlType type);
// "F32, F16, BF16, Q4_0, …" for messages.
std::string supportedWeightTypes();

} // namespace facet::vk::kernels
