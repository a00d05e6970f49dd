// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "model/weight_source.h"
#include "vk/kernels/matvec.h"

#include <optional>
#include <string>

namespace facet::model {

// A linear layer of Gemma 4's encoders with the optional bounds of its "clipped
// linears" (input and output clamped to learned scalars; spec gemma4-multimodal §1.1).
struct ClippedLinear {
    std::optional<vk::kernels::DeviceMatrix> w;
    uint32_t rows = 0, cols = 0;
    bool clipped = false;
    float inMin = 0, inMax = 0, outMin = 0, outMax = 0;
};

// Uploads `<base>.weight` and reads `<base>.input_min/max`, `.output_min/max` when the
// file has them. Throws facet::Error for a storage type the kernels do not read.
ClippedLinear loadClippedLinear(vk::Context& ctx, const WeightSource& weights, const std::string& base);

// A device buffer with a tensor's values as f32 (norm weights, tables).
vk::Buffer uploadFloats(vk::Context& ctx, const Weight& w);

// Records y[n, rows] = clamp(W · clamp(x)) (the clamps only when clipped); each
// projection clamps its own copy of x into `scratch` (at least n * cols floats), as q, k
// and v read one input but may bound it differently. Barriers included.
void recordClippedLinear(vk::Recorder& rec, vk::PipelineCache& pipelines, const ClippedLinear& l, const vk::Buffer& x,
                         const vk::Buffer& y, uint32_t n, const vk::Buffer* scratch);

} // namespace facet::model
