// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace facet {

// Decodes WAV, FLAC, MP3, OGG/Opus or M4A/AAC with FFmpeg to 16 kHz mono float in
// [-1, 1] (a stereo downmix never exceeds full scale). Throws facet::Error with one
// sentence for unreadable, empty or undecodable files, and for clips over two hours.
std::vector<float> decodeAudio(const std::filesystem::path& path);

namespace audio {

inline constexpr uint32_t kSampleRate = 16000, kMelBins = 128, kHop = 160, kFrame = 320, kFft = 512;

// Gemma 4's log-mel front end exactly as transformers' Gemma4AudioFeatureExtractor:
// samples zero-padded to a multiple of 128, 160 zeros in front, 320-sample periodic
// Hann frames every 160 samples, |rfft| at 512 points, 128 HTK mel filters 0-8000 Hz
// without normalisation, log(mel + 0.001); frames that end in the padding are zeroed
// and flagged invalid.
struct Features {
    uint32_t frames = 0;
    std::vector<float> values; // [frames, 128]
    std::vector<uint8_t> valid; // per frame
};
Features logMel(std::span<const float> samples);

} // namespace audio
} // namespace facet
