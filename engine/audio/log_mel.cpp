// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/audio.h"

#include <cmath>
#include <numbers>

namespace facet::audio {
namespace {

constexpr uint32_t kBins = kFft / 2 + 1;

double hzToMel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double melToHz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

// transformers' mel_filter_bank(norm=None, mel_scale="htk"): triangles between mel
// points spaced evenly from 0 to 8000 Hz, evaluated at the FFT bin frequencies.
std::vector<double> melFilters()
{
    std::vector<double> points(kMelBins + 2);
    const double lo = hzToMel(0.0), hi = hzToMel(8000.0);
    for (uint32_t i = 0; i < points.size(); ++i)
        points[i] = melToHz(lo + (hi - lo) * i / (kMelBins + 1));
    std::vector<double> filters(size_t(kBins) * kMelBins);
    for (uint32_t b = 0; b < kBins; ++b) {
        const double f = double(kSampleRate / 2) * b / (kBins - 1);
        for (uint32_t m = 0; m < kMelBins; ++m) {
            const double down = -(points[m] - f) / (points[m + 1] - points[m]);
            const double up = (points[m + 2] - f) / (points[m + 2] - points[m + 1]);
            filters[size_t(b) * kMelBins + m] = std::max(0.0, std::min(down, up));
        }
    }
    return filters;
}

struct Tables {
    std::vector<float> window;     // periodic Hann, float32 as transformers keeps it
    std::vector<double> cosT, sinT; // e^{-2πi kn/512}
    std::vector<double> filters;
    Tables()
    {
        window.resize(kFrame);
        for (uint32_t n = 0; n < kFrame; ++n)
            window[n] = float(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / kFrame));
        cosT.resize(kFft);
        sinT.resize(kFft);
        for (uint32_t i = 0; i < kFft; ++i) {
            cosT[i] = std::cos(2.0 * std::numbers::pi * i / kFft);
            sinT[i] = std::sin(2.0 * std::numbers::pi * i / kFft);
        }
        filters = melFilters();
    }
};

const Tables& tables()
{
    static const Tables t;
    return t;
}

} // namespace

Features logMel(std::span<const float> samples)
{
    const Tables& t = tables();
    const size_t padded = (samples.size() + 127) / 128 * 128;
    const size_t total = padded + kFrame / 2; // 160 zeros in front
    Features out;
    if (total < kFrame + 1)
        return out;
    out.frames = uint32_t((total - (kFrame + 1)) / kHop + 1);
    out.values.assign(size_t(out.frames) * kMelBins, 0.0f);
    out.valid.assign(out.frames, 0);
    const auto sample = [&](size_t i) -> float { // i indexes the front-padded signal
        if (i < kFrame / 2)
            return 0.0f;
        i -= kFrame / 2;
        return i < samples.size() ? samples[i] : 0.0f;
    };
    std::vector<float> frame(kFrame);
    std::vector<double> magnitude(kBins);
    for (uint32_t f = 0; f < out.frames; ++f) {
        const size_t start = size_t(f) * kHop;
        // transformers' mask: the frame's last sample (of 321) lies in the real audio.
        const size_t end = start + kFrame;
        out.valid[f] = end >= kFrame / 2 && end - kFrame / 2 < samples.size();
        if (!out.valid[f])
            continue; // transformers multiplies these frames by zero
        for (uint32_t n = 0; n < kFrame; ++n)
            frame[n] = sample(start + n) * t.window[n]; // float32 product, as numpy does
        for (uint32_t k = 0; k < kBins; ++k) {
            double re = 0, im = 0;
            for (uint32_t n = 0; n < kFrame; ++n) {
                const uint32_t idx = (k * n) % kFft;
                re += double(frame[n]) * t.cosT[idx];
                im -= double(frame[n]) * t.sinT[idx];
            }
            magnitude[k] = std::sqrt(re * re + im * im);
        }
        for (uint32_t m = 0; m < kMelBins; ++m) {
            double mel = 0;
            for (uint32_t k = 0; k < kBins; ++k)
                mel += magnitude[k] * t.filters[size_t(k) * kMelBins + m];
            out.values[size_t(f) * kMelBins + m] = float(std::log(mel + 0.001));
        }
    }
    return out;
}

} // namespace facet::audio
