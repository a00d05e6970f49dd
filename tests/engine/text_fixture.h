// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

// The text-model fixtures of tools/reference/make_text_fixtures.py, and the logit
// comparison every parity test states its tolerance through (DESIGN.md).
#include "util/json.h"

#include <QString>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace facet::testing {

struct Fixture {
    std::vector<int32_t> prompt, greedy;
    uint32_t vocab = 0, rows = 0;
    std::vector<float> hf, llama;
};

inline std::filesystem::path dir(const QString& variant) { return std::filesystem::path(FACET_TEST_DATA) / "text" / variant.toStdString(); }

inline std::vector<float> readF32(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<float> v(bytes.size() / 4);
    std::memcpy(v.data(), bytes.data(), v.size() * 4);
    return v;
}

inline Fixture load(const QString& variant)
{
    std::ifstream in(dir(variant) / "reference.json");
    std::stringstream ss;
    ss << in.rdbuf();
    const auto j = json::parse(ss.str(), "reference.json");
    Fixture f;
    for (const auto& t : j.find("prompt")->array())
        f.prompt.push_back(static_cast<int32_t>(*t.integer()));
    for (const auto& t : j.find("greedy")->array())
        f.greedy.push_back(static_cast<int32_t>(*t.integer()));
    f.vocab = static_cast<uint32_t>(*j.find("vocab")->integer());
    f.rows = static_cast<uint32_t>(*j.find("logits_rows")->integer());
    f.hf = readF32(dir(variant) / "logits.f32");
    f.llama = readF32(dir(variant) / "llamacpp_logits.f32");
    return f;
}

struct Comparison {
    double worst = 0;   // largest per-row relative error
    uint32_t worstRow = 0;
    uint32_t decisive = 0;
    std::vector<uint32_t> flips; // decisive rows whose argmax differs
};

// excused: rows not judged (a router near-tie there lets either expert be right).
inline Comparison compare(const std::vector<float>& ours, const std::vector<float>& ref, uint32_t rows, uint32_t vocab, double tol,
                          const std::vector<bool>* excused = nullptr)
{
    Comparison c;
    for (uint32_t r = 0; r < rows; ++r) {
        if (excused && (*excused)[r])
            continue;
        const float* a = ours.data() + size_t(r) * vocab;
        const float* b = ref.data() + size_t(r) * vocab;
        double maxRef = 0, maxDiff = 0;
        uint32_t refTop = 0, ourTop = 0;
        for (uint32_t i = 0; i < vocab; ++i) {
            maxRef = std::max(maxRef, std::fabs(double(b[i])));
            maxDiff = std::max(maxDiff, std::fabs(double(a[i]) - b[i]));
            if (b[i] > b[refTop])
                refTop = i;
            if (a[i] > a[ourTop])
                ourTop = i;
        }
        double second = -1e30;
        for (uint32_t i = 0; i < vocab; ++i) {
            if (i != refTop)
                second = std::max(second, double(b[i]));
        }
        const double rel = maxDiff / maxRef;
        if (rel > c.worst) {
            c.worst = rel;
            c.worstRow = r;
        }
        if (b[refTop] - second > 2 * tol * maxRef) {
            ++c.decisive;
            if (ourTop != refTop)
                c.flips.push_back(r);
        }
    }
    return c;
}


// routing.json of a MoE fixture: per layer, [tokens, k] experts and weights, and the
// router's k-th/(k+1)-th probability gap per token.
struct LayerRouting {
    uint32_t layer = 0;
    std::vector<std::vector<uint32_t>> experts;
    std::vector<std::vector<float>> weights;
    std::vector<double> gap;
};

inline std::vector<LayerRouting> loadRouting(const QString& variant)
{
    std::ifstream in(dir(variant) / "routing.json");
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<LayerRouting> out;
    const json::Value doc = json::parse(ss.str(), "routing.json"); // must outlive the loop
    for (const auto& l : doc.array()) {
        LayerRouting r;
        r.layer = static_cast<uint32_t>(*l.find("layer")->integer());
        for (const auto& row : l.find("experts")->array()) {
            r.experts.emplace_back();
            for (const auto& e : row.array())
                r.experts.back().push_back(static_cast<uint32_t>(*e.integer()));
        }
        for (const auto& row : l.find("weights")->array()) {
            r.weights.emplace_back();
            for (const auto& w : row.array())
                r.weights.back().push_back(static_cast<float>(w.number()));
        }
        for (const auto& g : l.find("topk_gap")->array())
            r.gap.push_back(g.number());
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace facet::testing
