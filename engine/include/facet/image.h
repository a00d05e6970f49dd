// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace facet {

// 8-bit RGB pixels, row-major, 3 bytes per pixel.
struct RgbImage {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> pixels;
};

// Decodes PNG, JPEG, WebP, BMP or GIF (first frame) with FFmpeg, turned upright by its
// EXIF orientation, alpha dropped and grey replicated. Throws facet::Error with one
// sentence for unreadable, empty or absurdly large images.
RgbImage decodeImage(const std::filesystem::path& path);

// Gemma 4's image preprocessing (spec gemma4-multimodal §1.2), as transformers' image
// processor does it: scale the area to budget×9 patches of 16 px, floor both sides to
// a multiple of 48, bicubic resize (PIL's fixed-point filter, pixel for pixel), /255,
// 16×16 patches in raster order with (x, y) patch positions.
namespace vision {

inline constexpr uint32_t kPatch = 16, kPool = 3;
bool isBudget(uint32_t softTokens); // 70, 140, 280, 560 or 1120
std::string budgetList();            // "70, 140, 280, 560 or 1120"

struct TargetSize {
    uint32_t height = 0, width = 0;
    uint32_t softTokens() const { return (height / (kPatch * kPool)) * (width / (kPatch * kPool)); }
};
// Throws facet::Error when the budget is not one of the five, or the picture is so
// thin that no 48-pixel cell fits in either direction.
TargetSize targetSize(uint32_t height, uint32_t width, uint32_t budget);

// Bicubic resampling exactly as Pillow's Image.resize(BICUBIC) on 8-bit RGB.
RgbImage resizeBicubic(const RgbImage& in, uint32_t width, uint32_t height);

struct Patches {
    uint32_t rows = 0, cols = 0;            // patch grid
    std::vector<float> values;              // rows*cols patches × 768, (py, px, c) within a patch
    std::vector<int32_t> positions;         // (x, y) per patch
    uint32_t softTokens() const { return (rows / kPool) * (cols / kPool); }
};
Patches preprocess(const RgbImage& image, uint32_t budget);

} // namespace vision
} // namespace facet
