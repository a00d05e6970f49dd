// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/audio.h"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace facet {

struct AudioEncoderInfo {
    std::string fileName;
    std::string deviceName;
    uint32_t hidden = 0, layers = 0, heads = 0;
    uint32_t textHidden = 0; // width of the soft tokens it hands the decoder
};

// Gemma 4's audio encoder (E2B/E4B) on a Vulkan device, from an mmproj GGUF
// ("gemma4a", as llama.cpp writes it) or a Hugging Face folder's audio tower: log-mel features, two stride-2 convolutions,
// the conformer (half-step FFNs, chunked causal local attention with relative
// positions, light depthwise convolution), the output projection, a weightless
// RMSNorm and the projection into the text model's width. Not thread-safe.
class AudioEncoder {
public:
    // Throws facet::Error with one sentence (no audio encoder in the file, missing
    // tensor, no device).
    static std::unique_ptr<AudioEncoder> open(const std::filesystem::path& mmproj, const std::string& device = {});
    // Whether the file declares an audio encoder (clip.has_audio_encoder) or the folder
    // holds one; false for anything unreadable.
    static bool present(const std::filesystem::path& mmproj);
    virtual ~AudioEncoder() = default;
    virtual const AudioEncoderInfo& info() const = 0;
    // Soft-token embeddings [audio::tokenCount(samples.size()), textHidden] of one clip
    // of at most audio::kSegmentSamples samples at 16 kHz; padding steps are left out.
    virtual std::vector<float> encode(std::span<const float> samples) = 0;
};

namespace audio {

// The model hears at most 30 s at a time; longer clips go in as consecutive segments,
// each between its own <|audio> and <audio|>.
inline constexpr size_t kSegmentSamples = 30 * size_t(kSampleRate);

// Soft tokens for one segment of `samples` samples (25 per second, spec §2.7): mel
// frames floor((n + 160 - 321) / 160) + 1, halved twice rounding up; 0 when too short.
uint32_t tokenCount(size_t samples);

// The 30 s segments of a clip, in order; a last piece too short for one token is dropped.
std::vector<std::span<const float>> segments(std::span<const float> samples);

} // namespace audio
} // namespace facet
