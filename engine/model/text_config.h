// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace facet::model {

class WeightSource;

// One decoder layer's shape (gemma4-text.md §1, §4).
struct LayerConfig {
    bool sliding = true;     // sliding-window attention, else global
    uint32_t headDim = 0;    // 256 sliding / 512 global in the real sizes
    uint32_t kvHeads = 0;
    uint32_t ffn = 0;        // MLP intermediate width
    uint32_t kvSource = 0;   // layer whose K/V cache this layer attends over (itself unless KV-shared)
    bool ownsKv = true;      // computes and stores K/V
    bool hasV = true;        // has its own V projection (false: K=V, V from the raw K projection)
    float ropeTheta = 10000.0f;
    float ropePositionScale = 1.0f; // linear RoPE scaling (Gemma 3 global layers): 1 / factor
    uint32_t rotPairs = 0;   // rotated (dim, dim + hd/2) pairs; hd/2 is full rotation
    float outputScale = 1.0f; // layer_scalar
    bool moe = false;         // routed experts beside the dense MLP (26B-A4B)
};

// Everything the forward pass needs to know about a Gemma 4 text decoder, read from
// GGUF metadata or a Hugging Face config.json and checked against the weights.
struct TextConfig {
    uint32_t vocab = 0;
    uint32_t hidden = 0;
    uint32_t heads = 0;
    uint32_t window = 0;
    uint32_t pleWidth = 0;        // per-layer-embedding width (E2B/E4B), 0 when absent
    uint32_t contextLength = 0;   // the model's maximum
    uint32_t sharedKvLayers = 0;
    uint32_t experts = 0;         // MoE: routed experts per layer, 0 when dense
    uint32_t expertsPerToken = 0; // MoE: top-k
    uint32_t expertFfn = 0;       // MoE: one expert's intermediate width
    float eps = 1e-6f;
    float finalSoftcap = 0.0f;    // 0: none
    float embedScale = 1.0f;      // sqrt(hidden) rounded as transformers rounds it
    float attnScale = 1.0f;       // on q·k: 1 for Gemma 4, 1/sqrt(head size) for Gemma 3
    bool vNorm = true;            // weightless RMS norm on V (Gemma 4); Gemma 3 has none
    // An image's soft tokens see each other in the sliding layers (26B-A4B, 31B:
    // use_bidirectional_attention "vision"); E2B/E4B and Gemma 3 stay causal.
    bool imagesBidirectional = false;
    std::string architecture;     // "gemma4" or "gemma3"
    float pleScale = 1.0f;        // sqrt(pleWidth), likewise
    std::vector<LayerConfig> layers;

    // Reads the config and checks every tensor the decoder will use exists with the
    // right shape. Throws facet::Error naming the key or tensor.
    static TextConfig fromWeights(const WeightSource& weights);
};

} // namespace facet::model
