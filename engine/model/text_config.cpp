// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model/text_config.h"

#include "facet/error.h"
#include "model/weight_source.h"
#include "util/json.h"

#include <cmath>
#include <cstring>
#include <functional>

namespace facet::model {
namespace {

// Metadata lookups that answer in the model's terms, whichever format it came in.
class Meta {
public:
    explicit Meta(const WeightSource& w) : m_w(w)
    {
        if (w.gguf())
            m_prefix = w.gguf()->architecture() + ".";
        if (const std::string* cfg = w.hfConfigJson()) {
            m_json = json::parse(*cfg, "config.json in " + w.displayName());
            // A multimodal checkpoint nests the decoder's settings in text_config.
            if (const json::Value* t = m_json.find("text_config"); t && t->isObject())
                m_text = t;
            else
                m_text = &m_json;
        }
    }

    bool isGguf() const { return m_w.gguf() != nullptr; }
    const std::string& file() const { return m_w.displayName(); }

    // GGUF: "<arch>.<key>"; returns null when absent.
    const gguf::Value* g(const std::string& key) const { return m_w.gguf()->find(m_prefix + key); }
    const std::string& prefix() const { return m_prefix; }
    uint64_t gU(const std::string& key) const
    {
        const gguf::Value* v = g(key);
        if (!v)
            throw Error(file() + " lacks the metadata entry " + m_prefix + key + ".");
        return v->toU64(m_prefix + key);
    }
    double gF(const std::string& key, double fallback) const
    {
        const gguf::Value* v = g(key);
        return v ? v->toF64(m_prefix + key) : fallback;
    }
    // A per-layer value stored either as one scalar or as an array of one per layer.
    uint64_t gPerLayer(const std::string& key, uint32_t layer, uint32_t layers) const
    {
        const gguf::Value* v = g(key);
        if (!v)
            throw Error(file() + " lacks the metadata entry " + m_prefix + key + ".");
        if (v->type() != gguf::ValueType::Array)
            return v->toU64(m_prefix + key);
        const auto& a = v->toArray(m_prefix + key);
        if (a.count != layers)
            throw Error(file() + ": " + m_prefix + key + " lists " + std::to_string(a.count) + " values for " +
                        std::to_string(layers) + " layers.");
        return static_cast<uint64_t>(a.integer(layer));
    }

    // config.json
    const json::Value* h(const char* key) const { return m_text->find(key); }
    uint64_t hU(const char* key) const
    {
        const json::Value* v = h(key);
        if (!v || !v->integer() || *v->integer() < 0)
            throw Error("config.json in " + file() + " lacks a whole number for " + key + ".");
        return static_cast<uint64_t>(*v->integer());
    }
    double hF(const char* key, double fallback) const
    {
        const json::Value* v = h(key);
        return v && v->isNumber() ? v->number() : fallback;
    }
    const json::Value& root() const { return m_json; }

private:
    const WeightSource& m_w;
    std::string m_prefix;
    json::Value m_json;
    const json::Value* m_text = nullptr;
};

uint32_t checkedU32(uint64_t v, const std::string& what, const std::string& file)
{
    if (v == 0 || v > (1u << 30))
        throw Error(file + " gives " + what + " as " + std::to_string(v) + ", which is not a usable size.");
    return static_cast<uint32_t>(v);
}

void readGguf(const Meta& m, const WeightSource& w, TextConfig& c)
{
    const std::string arch = w.gguf()->architecture();
    if (arch != "gemma4" && arch != "gemma3")
        throw Error(m.file() + " holds a " + arch + " model; this decoder runs Gemma 4 (gemma4) and Gemma 3 (gemma3) files.");
    c.architecture = arch;
    const bool gemma3 = arch == "gemma3";
    c.hidden = checkedU32(m.gU("embedding_length"), "the hidden size", m.file());
    const uint32_t layers = checkedU32(m.gU("block_count"), "the layer count", m.file());
    c.contextLength = checkedU32(m.gU("context_length"), "the context length", m.file());
    c.window = checkedU32(m.gU("attention.sliding_window"), "the sliding window", m.file());
    c.eps = static_cast<float>(m.gF("attention.layer_norm_rms_epsilon", 1e-6));
    c.finalSoftcap = static_cast<float>(m.gF("final_logit_softcapping", 0.0));
    c.sharedKvLayers = m.g("attention.shared_kv_layers") ? static_cast<uint32_t>(m.gU("attention.shared_kv_layers")) : 0;
    c.pleWidth = m.g("embedding_length_per_layer_input") ? static_cast<uint32_t>(m.gU("embedding_length_per_layer_input")) : 0;
    // GGUF files do not carry use_bidirectional_attention; in Gemma 4 it is "vision"
    // exactly for the sizes without per-layer embeddings (26B-A4B, 31B).
    c.imagesBidirectional = !gemma3 && c.pleWidth == 0;
    if (m.g("expert_count")) {
        c.experts = checkedU32(m.gU("expert_count"), "the expert count", m.file());
        c.expertsPerToken = checkedU32(m.gU("expert_used_count"), "the experts used per token", m.file());
        c.expertFfn = checkedU32(m.gU("expert_feed_forward_length"), "the expert width", m.file());
    }
    // Which layers slide: a bool per layer, or (Gemma 3) a period whose last layer is
    // global, 6 unless the file says otherwise.
    std::vector<bool> sliding(layers);
    const auto* pattern = m.g("attention.sliding_window_pattern");
    const std::string patternKey = m.prefix() + "attention.sliding_window_pattern";
    if (pattern && pattern->type() == gguf::ValueType::Array) {
        const auto& swa = pattern->toArray(patternKey);
        if (swa.count != layers)
            throw Error(m.file() + ": " + patternKey + " lists " + std::to_string(swa.count) + " layers but the model has " +
                        std::to_string(layers) + ".");
        for (uint32_t i = 0; i < layers; ++i)
            sliding[i] = swa.number(i) != 0;
    } else if (gemma3) {
        const uint64_t period = pattern ? pattern->toU64(patternKey) : 6;
        for (uint32_t i = 0; i < layers; ++i)
            sliding[i] = period != 0 && i % period < period - 1;
    } else {
        throw Error(m.file() + " lacks the metadata entry " + patternKey + ".");
    }
    const uint32_t hdGlobal = checkedU32(m.gU("attention.key_length"), "the global head size", m.file());
    const uint32_t hdSliding = m.g("attention.key_length_swa")
                                   ? checkedU32(m.gU("attention.key_length_swa"), "the sliding head size", m.file())
                                   : hdGlobal;
    const float thetaGlobal = static_cast<float>(m.gF("rope.freq_base", 1e6));
    const float thetaSliding = static_cast<float>(m.gF("rope.freq_base_swa", 1e4));
    // Linear RoPE scaling (Gemma 3 4B-27B global layers): positions divided by the factor.
    float ropeFactor = 0;
    if (const auto* type = m.g("rope.scaling.type"); type && type->toString(m.prefix() + "rope.scaling.type") == "linear")
        ropeFactor = static_cast<float>(m.gF("rope.scaling.factor", 1.0));

    // Proportional RoPE as llama.cpp stores it: factor 1 rotates a pair, ~1e30 freezes it.
    uint32_t globalRotPairs = hdGlobal / 2;
    if (const Weight* f = w.find("rope_freqs.weight")) {
        const auto factors = f->allAsFloat();
        if (factors.size() != hdGlobal / 2)
            throw Error(m.file() + ": rope_freqs has " + std::to_string(factors.size()) + " entries; the global heads need " +
                        std::to_string(hdGlobal / 2) + ".");
        globalRotPairs = 0;
        while (globalRotPairs < factors.size() && factors[globalRotPairs] == 1.0f)
            ++globalRotPairs;
        for (size_t j = globalRotPairs; j < factors.size(); ++j) {
            if (factors[j] < 1e20f)
                throw Error(m.file() + ": rope_freqs scales pair " + std::to_string(j) + " by " + std::to_string(factors[j]) +
                            "; Facet supports only Gemma 4's proportional RoPE (1 or 1e30).");
        }
    }
    c.layers.resize(layers);
    for (uint32_t i = 0; i < layers; ++i) {
        LayerConfig& l = c.layers[i];
        l.sliding = sliding[i];
        l.headDim = l.sliding ? hdSliding : hdGlobal;
        l.kvHeads = checkedU32(m.gPerLayer("attention.head_count_kv", i, layers), "a KV head count", m.file());
        l.ffn = checkedU32(m.gPerLayer("feed_forward_length", i, layers), "an MLP width", m.file());
        l.ropeTheta = l.sliding ? thetaSliding : thetaGlobal;
        l.rotPairs = l.sliding ? l.headDim / 2 : globalRotPairs;
        if (!l.sliding && ropeFactor > 0)
            l.ropePositionScale = 1.0f / ropeFactor;
        const uint32_t heads = checkedU32(m.gPerLayer("attention.head_count", i, layers), "a head count", m.file());
        if (i > 0 && heads != c.heads)
            throw Error(m.file() + " varies the query head count by layer, which Facet does not support.");
        c.heads = heads;
    }
    if (gemma3) {
        // Gemma 3 scales queries by 1/sqrt(query_pre_attn_scalar): the head size, except
        // the 27B's hidden/heads (llama.cpp's rule, as the GGUF has no key for it). Its
        // norms are stored with the +1 already added; V has no norm.
        c.attnScale = 1.0f / std::sqrt(float(layers == 62 ? c.hidden / c.heads : hdGlobal));
        c.vNorm = false;
    }
}

void readHf(const Meta& m, TextConfig& c)
{
    const json::Value* type = m.root().find("model_type");
    if (!type || !type->isString() || (type->string() != "gemma4" && type->string() != "gemma4_text"))
        throw Error("The model in " + m.file() + " is " + (type && type->isString() ? type->string() : std::string("of no stated type")) +
                    "; this decoder runs Gemma 4 (model_type gemma4).");
    c.architecture = "gemma4";
    c.hidden = checkedU32(m.hU("hidden_size"), "hidden_size", m.file());
    const uint32_t layers = checkedU32(m.hU("num_hidden_layers"), "num_hidden_layers", m.file());
    c.heads = checkedU32(m.hU("num_attention_heads"), "num_attention_heads", m.file());
    c.contextLength = checkedU32(m.hU("max_position_embeddings"), "max_position_embeddings", m.file());
    c.window = checkedU32(m.hU("sliding_window"), "sliding_window", m.file());
    c.eps = static_cast<float>(m.hF("rms_norm_eps", 1e-6));
    const json::Value* cap = m.h("final_logit_softcapping");
    c.finalSoftcap = cap && cap->isNumber() ? static_cast<float>(cap->number()) : 0.0f;
    c.sharedKvLayers = m.h("num_kv_shared_layers") ? static_cast<uint32_t>(m.hU("num_kv_shared_layers")) : 0;
    const json::Value* ple = m.h("hidden_size_per_layer_input");
    c.pleWidth = ple && ple->integer() ? static_cast<uint32_t>(*ple->integer()) : 0;
    const json::Value* bidir = m.h("use_bidirectional_attention");
    c.imagesBidirectional = bidir && bidir->isString() && bidir->string() == "vision";
    const uint32_t hdSliding = checkedU32(m.hU("head_dim"), "head_dim", m.file());
    const uint32_t kvSliding = checkedU32(m.hU("num_key_value_heads"), "num_key_value_heads", m.file());
    const uint32_t ffn = checkedU32(m.hU("intermediate_size"), "intermediate_size", m.file());
    const json::Value* kEqV = m.h("attention_k_eq_v");
    const bool kIsV = kEqV && kEqV->isBool() && kEqV->boolean();
    const json::Value* dw = m.h("use_double_wide_mlp");
    const bool doubleWide = dw && dw->isBool() && dw->boolean();
    const json::Value* moe = m.h("enable_moe_block");
    if (moe && moe->isBool() && moe->boolean()) {
        c.experts = checkedU32(m.hU("num_experts"), "num_experts", m.file());
        c.expertsPerToken = checkedU32(m.hU("top_k_experts"), "top_k_experts", m.file());
        c.expertFfn = checkedU32(m.hU("moe_intermediate_size"), "moe_intermediate_size", m.file());
    }
    const json::Value* types = m.h("layer_types");
    if (!types || !types->isArray() || types->array().size() != layers)
        throw Error("config.json in " + m.file() + " lacks a layer_types list with one entry per layer.");
    const json::Value* perLayer = m.h("per_layer_config");
    const json::Value* rope = m.h("rope_parameters");
    auto ropeField = [&](const char* kind, const char* key, double fallback) {
        const json::Value* k = rope ? rope->find(kind) : nullptr;
        const json::Value* v = k ? k->find(key) : nullptr;
        return v && v->isNumber() ? v->number() : fallback;
    };
    const uint32_t firstShared = layers - std::min(c.sharedKvLayers, layers);
    c.layers.resize(layers);
    for (uint32_t i = 0; i < layers; ++i) {
        LayerConfig& l = c.layers[i];
        const json::Value& t = types->array()[i];
        l.sliding = t.isString() && t.string() == "sliding_attention";
        l.headDim = hdSliding;
        l.kvHeads = kvSliding;
        if (!l.sliding) {
            // transformers writes the keys zero-padded to equal width ("05"), so match by value.
            const json::Value* over = nullptr;
            if (perLayer && perLayer->isObject()) {
                for (const auto& [key, value] : perLayer->object()) {
                    if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos && std::stoul(key) == i)
                        over = &value;
                }
            }
            const json::Value* hd = over ? over->find("head_dim") : nullptr;
            const json::Value* kv = over ? over->find("num_key_value_heads") : nullptr;
            l.headDim = hd && hd->integer() ? static_cast<uint32_t>(*hd->integer())
                                            : static_cast<uint32_t>(m.hF("global_head_dim", 512));
            const json::Value* globalKv = m.h("num_global_key_value_heads");
            l.kvHeads = kv && kv->integer() ? static_cast<uint32_t>(*kv->integer())
                      : kIsV && globalKv && globalKv->integer() ? static_cast<uint32_t>(*globalKv->integer())
                                                                 : kvSliding;
            l.hasV = !kIsV;
        }
        l.ffn = ffn * (doubleWide && i >= firstShared ? 2 : 1);
        const char* kind = l.sliding ? "sliding_attention" : "full_attention";
        l.ropeTheta = static_cast<float>(ropeField(kind, "rope_theta", l.sliding ? 1e4 : 1e6));
        l.rotPairs = static_cast<uint32_t>(std::floor(ropeField(kind, "partial_rotary_factor", 1.0) * l.headDim / 2));
    }
}

// Transformers multiplies the embedding by sqrt(hidden) cast to the weights' dtype
// (gemma4-text.md §11): bf16 E2B uses 39.25, not 39.19.
float embedScaleFor(uint32_t hidden, GgmlType type)
{
    const float exact = std::sqrt(static_cast<float>(hidden));
    uint32_t bits;
    std::memcpy(&bits, &exact, 4);
    if (type == GgmlType::BF16) {
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000u; // round to nearest even
    } else if (type == GgmlType::F16) {
        return static_cast<float>(static_cast<_Float16>(exact));
    } else {
        return exact;
    }
    float r;
    std::memcpy(&r, &bits, 4);
    return r;
}

} // namespace

TextConfig TextConfig::fromWeights(const WeightSource& w)
{
    const Meta m(w);
    TextConfig c;
    if (m.isGguf())
        readGguf(m, w, c);
    else
        readHf(m, c);
    const uint32_t L = static_cast<uint32_t>(c.layers.size());
    if (c.sharedKvLayers >= L)
        throw Error(m.file() + " shares the KV cache of " + std::to_string(c.sharedKvLayers) + " of its " + std::to_string(L) + " layers.");

    const Weight& embd = w.require("token_embd.weight");
    c.vocab = static_cast<uint32_t>(embd.ne[1]);
    w.require("token_embd.weight", {c.hidden, c.vocab});
    c.embedScale = embedScaleFor(c.hidden, embd.type);
    w.require("output_norm.weight", {c.hidden});
    if (c.pleWidth) {
        c.pleScale = embedScaleFor(c.pleWidth, w.require("per_layer_token_embd.weight", {int64_t(L) * c.pleWidth, c.vocab}).type);
        w.require("per_layer_model_proj.weight", {c.hidden, int64_t(L) * c.pleWidth});
        w.require("per_layer_proj_norm.weight", {c.pleWidth});
    }

    // KV sharing: the last sharedKvLayers layers attend over the cache of the last
    // earlier layer of the same kind (gemma4-text.md §4.4).
    const uint32_t firstShared = L - c.sharedKvLayers;
    for (uint32_t i = 0; i < L; ++i) {
        LayerConfig& l = c.layers[i];
        const std::string b = "blk." + std::to_string(i) + ".";
        l.ownsKv = i < firstShared;
        l.kvSource = i;
        if (!l.ownsKv) {
            bool found = false;
            for (uint32_t j = firstShared; j-- > 0;) {
                if (c.layers[j].sliding == l.sliding) {
                    l.kvSource = j;
                    found = true;
                    break;
                }
            }
            if (!found)
                throw Error(m.file() + ": layer " + std::to_string(i) + " shares the KV cache of an earlier layer of its kind, but there is none.");
            const LayerConfig& src = c.layers[l.kvSource];
            if (src.headDim != l.headDim || src.kvHeads != l.kvHeads)
                throw Error(m.file() + ": layer " + std::to_string(i) + " cannot share layer " + std::to_string(l.kvSource) + "'s KV cache: their heads differ.");
        }
        if (c.heads % l.kvHeads != 0)
            throw Error(m.file() + ": layer " + std::to_string(i) + " has " + std::to_string(c.heads) + " query heads for " +
                        std::to_string(l.kvHeads) + " KV heads; the first must be a multiple of the second.");
        const int64_t qw = int64_t(c.heads) * l.headDim;
        const int64_t kvw = int64_t(l.kvHeads) * l.headDim;
        w.require(b + "attn_norm.weight", {c.hidden});
        w.require(b + "attn_q.weight", {c.hidden, qw});
        w.require(b + "attn_q_norm.weight", {l.headDim});
        w.require(b + "attn_output.weight", {qw, c.hidden});
        if (l.ownsKv) {
            w.require(b + "attn_k.weight", {c.hidden, kvw});
            w.require(b + "attn_k_norm.weight", {l.headDim});
            if (m.isGguf())
                l.hasV = w.find(b + "attn_v.weight") != nullptr;
            else if (l.hasV != (w.find(b + "attn_v.weight") != nullptr))
                throw Error(m.file() + ": layer " + std::to_string(i) + (l.hasV ? " lacks" : " has") +
                            " a V projection, against attention_k_eq_v in config.json.");
            if (l.hasV)
                w.require(b + "attn_v.weight", {c.hidden, kvw});
        }
        w.require(b + "post_attention_norm.weight", {c.hidden});
        w.require(b + "ffn_norm.weight", {c.hidden});
        w.require(b + "ffn_gate.weight", {c.hidden, l.ffn});
        w.require(b + "ffn_up.weight", {c.hidden, l.ffn});
        w.require(b + "ffn_down.weight", {l.ffn, c.hidden});
        w.require(b + "post_ffw_norm.weight", {c.hidden});
        if (c.pleWidth) {
            w.require(b + "inp_gate.weight", {c.hidden, c.pleWidth});
            w.require(b + "proj.weight", {c.pleWidth, c.hidden});
            w.require(b + "post_norm.weight", {c.hidden});
        }
        if (c.experts) {
            // Every layer of the 26B-A4B routes; a layer without a router is a dense one.
            l.moe = w.find(b + "ffn_gate_inp.weight") != nullptr;
            if (!l.moe && !m.isGguf())
                throw Error(m.file() + " lacks the tensor " + b + "ffn_gate_inp.weight (layer " + std::to_string(i) + "'s router).");
        }
        if (l.moe) {
            if (c.expertsPerToken > c.experts)
                throw Error(m.file() + " routes each token to " + std::to_string(c.expertsPerToken) + " of " +
                            std::to_string(c.experts) + " experts.");
            if (!w.find(b + "ffn_gate_up_exps.weight") && w.find(b + "ffn_gate_exps.weight"))
                throw Error(m.file() + " stores the experts' gate and up projections apart (ffn_gate_exps, ffn_up_exps); "
                            "Facet reads the fused ffn_gate_up_exps layout only.");
            w.require(b + "ffn_gate_inp.weight", {c.hidden, c.experts});
            w.require(b + "ffn_gate_inp.scale", {c.hidden});
            w.require(b + "ffn_down_exps.scale", {c.experts});
            w.require(b + "ffn_gate_up_exps.weight", {c.hidden, 2 * int64_t(c.expertFfn), c.experts});
            w.require(b + "ffn_down_exps.weight", {c.expertFfn, c.hidden, c.experts});
            w.require(b + "pre_ffw_norm_2.weight", {c.hidden});
            w.require(b + "post_ffw_norm_1.weight", {c.hidden});
            w.require(b + "post_ffw_norm_2.weight", {c.hidden});
        }
        if (const Weight* s = w.find(b + "layer_output_scale.weight"))
            l.outputScale = s->allAsFloat().at(0);
        if (l.rotPairs > l.headDim / 2)
            throw Error(m.file() + ": layer " + std::to_string(i) + " rotates more RoPE pairs than its heads have.");
    }
    return c;
}

} // namespace facet::model
