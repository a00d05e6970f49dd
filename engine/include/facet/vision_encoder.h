// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/image.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace facet {

struct VisionEncoderInfo {
    std::string fileName;
    std::string deviceName;
    uint32_t hidden = 0, layers = 0, heads = 0, intermediate = 0;
    uint32_t textHidden = 0;  // width of the soft tokens it hands the decoder
    bool clippedLinears = false; // E2B/E4B encoder
    bool standardize = false;    // 26B/31B encoder
};

// A Gemma 4 vision encoder (either kind) on a Vulkan device, from an mmproj GGUF
// ("gemma4v", as llama.cpp writes it) or a Hugging Face folder's vision tower: patch
// projection and learned 2-D positions,
// ViT layers with axial RoPE and bidirectional attention over the patches, 3×3
// average pooling, √d scaling, optional standardisation, weightless RMSNorm and the
// projection into the text model's width. Not thread-safe: one thread drives it.
class VisionEncoder {
public:
    // Throws facet::Error with one sentence (no vision tower, missing tensor, no device).
    static std::unique_ptr<VisionEncoder> open(const std::filesystem::path& mmproj, const std::string& device = {});
    virtual ~VisionEncoder() = default;
    virtual const VisionEncoderInfo& info() const = 0;
    // Soft-token embeddings [patches.softTokens(), textHidden], row-major.
    virtual std::vector<float> encode(const vision::Patches& patches) = 0;
};

} // namespace facet
