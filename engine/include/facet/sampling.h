// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <random>
#include <span>

namespace facet {

// How the next token is chosen. temperature 0 is greedy (argmax on the device).
struct SamplingParams {
    float temperature = 1.0f;
    uint32_t topK = 64;          // candidates the device hands back (1..256)
    float topP = 0.95f;          // keep the smallest set whose probability reaches topP
    float minP = 0.0f;           // drop candidates below minP x the best one's probability
    float repeatPenalty = 1.0f;  // 1: none
    uint32_t repeatWindow = 64;  // recent tokens the penalty looks at
    uint64_t seed = 0;
};

struct Candidate {
    int32_t id;
    float logit;
};

// The host half of sampling: temperature, min-p, top-p and a seeded draw over the
// device's top-k candidates (largest first). Same seed, same sequence of picks.
class Sampler {
public:
    explicit Sampler(const SamplingParams& params) : m_params(params), m_rng(params.seed) {}
    const SamplingParams& params() const { return m_params; }
    int32_t pick(std::span<const Candidate> candidates);

private:
    SamplingParams m_params;
    std::mt19937_64 m_rng;
};

} // namespace facet
