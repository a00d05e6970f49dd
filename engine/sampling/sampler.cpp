// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/sampling.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace facet {

int32_t Sampler::pick(std::span<const Candidate> candidates)
{
    if (candidates.empty())
        throw std::invalid_argument("sampling from no candidates");
    if (m_params.temperature <= 0.0f)
        return candidates.front().id;
    // Softmax over the candidates at the temperature, in double: they are sorted, so the
    // first is the largest and subtracting it keeps exp() in range.
    std::vector<double> p(candidates.size());
    const double top = candidates.front().logit;
    double sum = 0;
    for (size_t i = 0; i < candidates.size(); ++i) {
        p[i] = std::exp((double(candidates[i].logit) - top) / m_params.temperature);
        sum += p[i];
    }
    size_t keep = candidates.size();
    for (size_t i = 0; i < keep; ++i) {
        p[i] /= sum;
        if (m_params.minP > 0 && p[i] < m_params.minP * p[0]) {
            keep = std::max<size_t>(i, 1);
            break;
        }
    }
    double cumulative = 0;
    for (size_t i = 0; i < keep; ++i) {
        cumulative += p[i];
        if (cumulative >= m_params.topP) {
            keep = i + 1;
            break;
        }
    }
    double mass = 0;
    for (size_t i = 0; i < keep; ++i)
        mass += p[i];
    const double u = std::uniform_real_distribution<double>(0.0, mass)(m_rng);
    double acc = 0;
    for (size_t i = 0; i < keep; ++i) {
        acc += p[i];
        if (u < acc)
            return candidates[i].id;
    }
    return candidates[keep - 1].id;
}

} // namespace facet
