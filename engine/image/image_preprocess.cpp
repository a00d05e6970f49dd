// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/error.h"
#include "facet/image.h"

#include <algorithm>
#include <cmath>

namespace facet::vision {
namespace {

constexpr uint32_t kCell = kPatch * kPool; // 48 px: one soft token
constexpr uint32_t kBudgets[] = {70, 140, 280, 560, 1120};

// Pillow's bicubic kernel (a = -0.5, support 2) and its 8-bit fixed point: weights
// normalised in double, scaled by 2^22 and rounded half away from zero; sums start at
// one half and are shifted back and clamped. Matching this is what makes the pixels
// equal transformers' PIL image processor's, not merely close.
constexpr int kPrecisionBits = 32 - 8 - 2;

double bicubic(double x)
{
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

struct Coefficients {
    int ksize = 0;
    std::vector<int> first, count; // per output pixel: first input pixel and how many
    std::vector<int32_t> weights;  // ksize per output pixel
};

Coefficients coefficients(uint32_t inSize, uint32_t outSize)
{
    const double scale = double(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 2.0 * filterScale;
    Coefficients c;
    c.ksize = int(std::ceil(support)) * 2 + 1;
    c.first.resize(outSize);
    c.count.resize(outSize);
    c.weights.assign(size_t(outSize) * c.ksize, 0);
    std::vector<double> k(c.ksize);
    for (uint32_t xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        int xmin = int(center - support + 0.5); // C truncation, as Pillow
        xmin = std::max(xmin, 0);
        int xmax = int(center + support + 0.5);
        xmax = std::min(xmax, int(inSize)) - xmin;
        double ww = 0;
        for (int x = 0; x < xmax; ++x) {
            k[x] = bicubic((x + xmin - center + 0.5) * ss);
            ww += k[x];
        }
        for (int x = 0; x < xmax; ++x) {
            const double w = ww != 0.0 ? k[x] / ww : k[x];
            c.weights[size_t(xx) * c.ksize + x] = w < 0 ? int32_t(-0.5 + w * (1 << kPrecisionBits)) : int32_t(0.5 + w * (1 << kPrecisionBits));
        }
        c.first[xx] = xmin;
        c.count[xx] = xmax;
    }
    return c;
}

uint8_t clip8(int64_t sum)
{
    const int64_t v = sum >> kPrecisionBits;
    return uint8_t(std::clamp<int64_t>(v, 0, 255));
}

// One horizontal pass: every row resampled to `width`.
RgbImage resizeRows(const RgbImage& in, uint32_t width)
{
    const Coefficients c = coefficients(in.width, width);
    RgbImage out;
    out.width = width;
    out.height = in.height;
    out.pixels.resize(size_t(width) * in.height * 3);
    for (uint32_t y = 0; y < in.height; ++y) {
        const uint8_t* row = &in.pixels[size_t(y) * in.width * 3];
        uint8_t* dst = &out.pixels[size_t(y) * width * 3];
        for (uint32_t xx = 0; xx < width; ++xx) {
            const int32_t* k = &c.weights[size_t(xx) * c.ksize];
            int64_t s[3] = {1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1)};
            for (int x = 0; x < c.count[xx]; ++x) {
                const uint8_t* p = row + size_t(x + c.first[xx]) * 3;
                for (int ch = 0; ch < 3; ++ch)
                    s[ch] += int64_t(p[ch]) * k[x];
            }
            for (int ch = 0; ch < 3; ++ch)
                dst[xx * 3 + ch] = clip8(s[ch]);
        }
    }
    return out;
}

// One vertical pass: every column resampled to `height`.
RgbImage resizeColumns(const RgbImage& in, uint32_t height)
{
    const Coefficients c = coefficients(in.height, height);
    RgbImage out;
    out.width = in.width;
    out.height = height;
    out.pixels.resize(size_t(in.width) * height * 3);
    for (uint32_t yy = 0; yy < height; ++yy) {
        const int32_t* k = &c.weights[size_t(yy) * c.ksize];
        for (uint32_t x = 0; x < in.width * 3; ++x) {
            int64_t s = 1 << (kPrecisionBits - 1);
            for (int y = 0; y < c.count[yy]; ++y)
                s += int64_t(in.pixels[size_t(y + c.first[yy]) * in.width * 3 + x]) * k[y];
            out.pixels[size_t(yy) * in.width * 3 + x] = clip8(s);
        }
    }
    return out;
}

} // namespace

bool isBudget(uint32_t softTokens) { return std::find(std::begin(kBudgets), std::end(kBudgets), softTokens) != std::end(kBudgets); }

std::string budgetList() { return "70, 140, 280, 560 or 1120"; }

TargetSize targetSize(uint32_t height, uint32_t width, uint32_t budget)
{
    if (!isBudget(budget))
        throw Error("An image budget of " + std::to_string(budget) + " soft tokens is not one Gemma 4 was trained for; choose " + budgetList() + ".");
    if (height == 0 || width == 0)
        throw Error("The image has no pixels.");
    const uint64_t maxPatches = uint64_t(budget) * kPool * kPool;
    const double targetPx = double(maxPatches * kPatch * kPatch);
    const double factor = std::sqrt(targetPx / (double(height) * double(width)));
    TargetSize t;
    t.height = uint32_t(std::floor(factor * height / kCell)) * kCell;
    t.width = uint32_t(std::floor(factor * width / kCell)) * kCell;
    const uint32_t maxSide = budget * kCell;
    if (t.height == 0 && t.width == 0)
        throw Error("The image is too small to see.");
    if (t.height == 0) {
        t.height = kCell;
        t.width = uint32_t(std::min<double>(std::floor(double(width) / height) * kCell, maxSide));
    } else if (t.width == 0) {
        t.width = kCell;
        t.height = uint32_t(std::min<double>(std::floor(double(height) / width) * kCell, maxSide));
    }
    if (double(t.height) * t.width > targetPx)
        throw Error("A " + std::to_string(width) + "×" + std::to_string(height) + " image is too thin for Gemma 4 at " +
                    std::to_string(budget) + " soft tokens; crop it closer to a rectangle.");
    return t;
}

RgbImage resizeBicubic(const RgbImage& in, uint32_t width, uint32_t height)
{
    if (in.width == width && in.height == height)
        return in;
    const bool horizontal = in.width != width, vertical = in.height != height;
    // Each pass rounds to 8 bits, so the order shows in the pixels. Pillow 13 runs the
    // vertical pass first exactly when the height shrinks by more than twice what the
    // width shrinks (a rule found by probing 1,000+ size pairs against Pillow itself).
    const int64_t shrinkH = int64_t(in.height) - height, shrinkW = int64_t(in.width) - width;
    const bool verticalFirst = horizontal && vertical && shrinkH > 0 && shrinkH > 2 * shrinkW;
    if (verticalFirst)
        return resizeRows(resizeColumns(in, height), width);
    RgbImage mid = horizontal ? resizeRows(in, width) : in;
    return vertical ? resizeColumns(mid, height) : mid;
}

Patches preprocess(const RgbImage& image, uint32_t budget)
{
    const TargetSize t = targetSize(image.height, image.width, budget);
    const RgbImage resized = resizeBicubic(image, t.width, t.height);
    Patches p;
    p.rows = t.height / kPatch;
    p.cols = t.width / kPatch;
    constexpr uint32_t patchValues = kPatch * kPatch * 3;
    p.values.resize(size_t(p.rows) * p.cols * patchValues);
    p.positions.resize(size_t(p.rows) * p.cols * 2);
    for (uint32_t pr = 0; pr < p.rows; ++pr) {
        for (uint32_t pc = 0; pc < p.cols; ++pc) {
            const size_t patch = size_t(pr) * p.cols + pc;
            float* v = &p.values[patch * patchValues];
            for (uint32_t py = 0; py < kPatch; ++py)
                for (uint32_t px = 0; px < kPatch; ++px)
                    for (uint32_t ch = 0; ch < 3; ++ch) {
                        const uint8_t u = resized.pixels[(size_t(pr * kPatch + py) * t.width + pc * kPatch + px) * 3 + ch];
                        // transformers rescales in double, then stores float32
                        *v++ = float(double(u) * (1.0 / 255.0));
                    }
            p.positions[patch * 2] = int32_t(pc);
            p.positions[patch * 2 + 1] = int32_t(pr);
        }
    }
    return p;
}

} // namespace facet::vision
