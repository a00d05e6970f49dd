// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model/weight_source.h"

#include "facet/error.h"

#include <cstring>

namespace facet::model {
namespace {

float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1F;
    uint32_t mant = h & 0x3FF;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: normalise
            exp = 127 - 15 + 1;
            while (!(mant & 0x400)) {
                mant <<= 1;
                --exp;
            }
            bits = sign | (exp << 23) | ((mant & 0x3FF) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

std::string shapeText(const std::array<int64_t, 4>& ne, uint32_t nDims)
{
    std::string s;
    for (uint32_t d = 0; d < nDims; ++d)
        s += (d ? " x " : "") + std::to_string(ne[d]);
    return s;
}

// HF suffix after "layers.N." -> GGUF suffix after "blk.N." (gemma4-text.md §10).
struct Rename {
    const char* hf;
    const char* gguf;
};
constexpr Rename kLayerNames[] = {
    {"input_layernorm.weight", "attn_norm.weight"},
    {"self_attn.q_proj.weight", "attn_q.weight"},
    {"self_attn.k_proj.weight", "attn_k.weight"},
    {"self_attn.v_proj.weight", "attn_v.weight"},
    {"self_attn.o_proj.weight", "attn_output.weight"},
    {"self_attn.q_norm.weight", "attn_q_norm.weight"},
    {"self_attn.k_norm.weight", "attn_k_norm.weight"},
    {"post_attention_layernorm.weight", "post_attention_norm.weight"},
    {"pre_feedforward_layernorm.weight", "ffn_norm.weight"},
    {"mlp.gate_proj.weight", "ffn_gate.weight"},
    {"mlp.up_proj.weight", "ffn_up.weight"},
    {"mlp.down_proj.weight", "ffn_down.weight"},
    {"post_feedforward_layernorm.weight", "post_ffw_norm.weight"},
    {"layer_scalar", "layer_output_scale.weight"},
    {"per_layer_input_gate.weight", "inp_gate.weight"},
    {"per_layer_projection.weight", "proj.weight"},
    {"post_per_layer_input_norm.weight", "post_norm.weight"},
    {"router.proj.weight", "ffn_gate_inp.weight"},
    {"router.scale", "ffn_gate_inp.scale"},
    {"router.per_expert_scale", "ffn_down_exps.scale"},
    {"experts.gate_up_proj", "ffn_gate_up_exps.weight"},
    {"experts.down_proj", "ffn_down_exps.weight"},
    {"pre_feedforward_layernorm_2.weight", "pre_ffw_norm_2.weight"},
    {"post_feedforward_layernorm_1.weight", "post_ffw_norm_1.weight"},
    {"post_feedforward_layernorm_2.weight", "post_ffw_norm_2.weight"},
};
constexpr Rename kModelNames[] = {
    {"embed_tokens.weight", "token_embd.weight"},
    {"norm.weight", "output_norm.weight"},
    {"embed_tokens_per_layer.weight", "per_layer_token_embd.weight"},
    {"per_layer_model_projection.weight", "per_layer_model_proj.weight"},
    {"per_layer_projection_norm.weight", "per_layer_proj_norm.weight"},
};

std::optional<GgmlType> ggmlTypeOf(safetensors::DType t)
{
    switch (t) {
    case safetensors::DType::F32: return GgmlType::F32;
    case safetensors::DType::F16: return GgmlType::F16;
    case safetensors::DType::BF16: return GgmlType::BF16;
    default: return std::nullopt;
    }
}

} // namespace

std::vector<float> Weight::rowAsFloat(int64_t r) const
{
    const int64_t n = ne[0];
    std::vector<float> out(static_cast<size_t>(n));
    const std::byte* p = data.data();
    switch (type) {
    case GgmlType::F32: std::memcpy(out.data(), p + r * n * 4, n * 4); break;
    case GgmlType::F16:
        for (int64_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, p + (r * n + i) * 2, 2);
            out[i] = halfToFloat(h);
        }
        break;
    case GgmlType::BF16:
        for (int64_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, p + (r * n + i) * 2, 2);
            const uint32_t bits = uint32_t(h) << 16;
            std::memcpy(&out[i], &bits, 4);
        }
        break;
    default:
        throw Error("The tensor " + name + " is stored as " + std::string(ggmlTypeTraits(type).name) +
                    ", which Facet cannot read on the host yet.");
    }
    return out;
}

std::vector<float> Weight::allAsFloat() const
{
    std::vector<float> out;
    out.reserve(static_cast<size_t>(ne[0] * rows()));
    for (int64_t r = 0; r < rows(); ++r) {
        const auto row = rowAsFloat(r);
        out.insert(out.end(), row.begin(), row.end());
    }
    return out;
}

std::optional<std::string> ggufNameForHf(const std::string& hfName)
{
    std::string n = hfName;
    for (const char* prefix : {"model.language_model.", "model."}) {
        if (n.rfind(prefix, 0) == 0) {
            n = n.substr(std::strlen(prefix));
            break;
        }
    }
    for (const auto& r : kModelNames) {
        if (n == r.hf)
            return std::string(r.gguf);
    }
    if (n.rfind("layers.", 0) == 0) {
        const size_t dot = n.find('.', 7);
        if (dot == std::string::npos)
            return std::nullopt;
        const std::string index = n.substr(7, dot - 7);
        const std::string rest = n.substr(dot + 1);
        for (const auto& r : kLayerNames) {
            if (rest == r.hf)
                return "blk." + index + "." + r.gguf;
        }
    }
    return std::nullopt;
}

namespace {

struct NamePair {
    const char* hf;
    const char* gguf;
};

// Per vision layer: the suffix after "encoder.layers.N." and after "v.blk.N.".
constexpr NamePair kVisionLayerNames[] = {
    {"self_attn.q_proj.linear", "attn_q"},      {"self_attn.k_proj.linear", "attn_k"},
    {"self_attn.v_proj.linear", "attn_v"},      {"self_attn.o_proj.linear", "attn_out"},
    {"self_attn.q_proj", "attn_q"},             {"self_attn.k_proj", "attn_k"},
    {"self_attn.v_proj", "attn_v"},             {"self_attn.o_proj", "attn_out"},
    {"mlp.gate_proj.linear", "ffn_gate"},       {"mlp.up_proj.linear", "ffn_up"},
    {"mlp.down_proj.linear", "ffn_down"},       {"mlp.gate_proj", "ffn_gate"},
    {"mlp.up_proj", "ffn_up"},                  {"mlp.down_proj", "ffn_down"},
    {"self_attn.q_norm", "attn_q_norm"},        {"self_attn.k_norm", "attn_k_norm"},
    {"input_layernorm", "ln1"},                 {"post_attention_layernorm", "attn_post_norm"},
    {"pre_feedforward_layernorm", "ln2"},       {"post_feedforward_layernorm", "ffn_post_norm"},
};

// Per audio layer: after "layers.N." and after "a.blk.N.". llama.cpp's conv_norm is the
// light convolution's pre-norm and its norm_conv the norm after the convolution.
constexpr NamePair kAudioLayerNames[] = {
    {"feed_forward1.ffw_layer_1.linear", "ffn_up"},     {"feed_forward1.ffw_layer_2.linear", "ffn_down"},
    {"feed_forward1.pre_layer_norm", "ffn_norm"},       {"feed_forward1.post_layer_norm", "ffn_post_norm"},
    {"feed_forward2.ffw_layer_1.linear", "ffn_up_1"},   {"feed_forward2.ffw_layer_2.linear", "ffn_down_1"},
    {"feed_forward2.pre_layer_norm", "ffn_norm_1"},     {"feed_forward2.post_layer_norm", "ffn_post_norm_1"},
    {"feed_forward1.ffw_layer_1", "ffn_up"},            {"feed_forward1.ffw_layer_2", "ffn_down"},
    {"feed_forward2.ffw_layer_1", "ffn_up_1"},          {"feed_forward2.ffw_layer_2", "ffn_down_1"},
    {"self_attn.q_proj.linear", "attn_q"},              {"self_attn.k_proj.linear", "attn_k"},
    {"self_attn.v_proj.linear", "attn_v"},              {"self_attn.post.linear", "attn_out"},
    {"self_attn.q_proj", "attn_q"},                     {"self_attn.k_proj", "attn_k"},
    {"self_attn.v_proj", "attn_v"},                     {"self_attn.post", "attn_out"},
    {"self_attn.relative_k_proj", "attn_k_rel"},        {"self_attn.per_dim_scale", "per_dim_scale"},
    {"lconv1d.linear_start.linear", "conv_pw1"},        {"lconv1d.linear_end.linear", "conv_pw2"},
    {"lconv1d.linear_start", "conv_pw1"},               {"lconv1d.linear_end", "conv_pw2"},
    {"lconv1d.depthwise_conv1d", "conv_dw"},            {"lconv1d.pre_layer_norm", "conv_norm"},
    {"lconv1d.conv_norm", "norm_conv"},                 {"norm_pre_attn", "attn_pre_norm"},
    {"norm_post_attn", "attn_post_norm"},               {"norm_out", "ln2"},
};

constexpr NamePair kEncoderNames[] = {
    {"vision_tower.patch_embedder.input_proj.weight", "v.patch_embd.weight"},
    {"vision_tower.patch_embedder.position_embedding_table", "v.position_embd.weight"},
    {"vision_tower.std_bias", "v.std_bias"},
    {"vision_tower.std_scale", "v.std_scale"},
    {"embed_vision.embedding_projection.weight", "mm.input_projection.weight"},
    {"audio_tower.subsample_conv_projection.layer0.conv.weight", "a.conv1d.0.weight"},
    {"audio_tower.subsample_conv_projection.layer0.norm.weight", "a.conv1d.0.norm.weight"},
    {"audio_tower.subsample_conv_projection.layer1.conv.weight", "a.conv1d.1.weight"},
    {"audio_tower.subsample_conv_projection.layer1.norm.weight", "a.conv1d.1.norm.weight"},
    {"audio_tower.subsample_conv_projection.input_proj_linear.weight", "a.input_projection.weight"},
    {"audio_tower.output_proj.weight", "a.pre_encode.out.weight"},
    {"audio_tower.output_proj.bias", "a.pre_encode.out.bias"},
    {"embed_audio.embedding_projection.weight", "mm.a.input_projection.weight"},
};

// "<index>.<rest>" after `prefix`, mapped through `table` with the tensor's own suffix
// (.weight, .input_min, ...) kept; per_dim_scale, a bare parameter, gets .weight.
std::optional<std::string> layerName(const std::string& n, const std::string& prefix, const std::string& blk,
                                     std::span<const NamePair> table)
{
    if (n.rfind(prefix, 0) != 0)
        return std::nullopt;
    const size_t dot = n.find('.', prefix.size());
    if (dot == std::string::npos)
        return std::nullopt;
    const std::string index = n.substr(prefix.size(), dot - prefix.size());
    const std::string rest = n.substr(dot + 1);
    for (const NamePair& r : table) {
        const std::string hf = r.hf;
        if (rest == hf)
            return blk + index + "." + r.gguf + ".weight";
        if (rest.rfind(hf + ".", 0) == 0) {
            const std::string suffix = rest.substr(hf.size());
            if (suffix == ".weight" || suffix == ".input_min" || suffix == ".input_max" || suffix == ".output_min" ||
                suffix == ".output_max")
                return blk + index + "." + r.gguf + suffix;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> ggufNameForHfEncoder(const std::string& hfName)
{
    std::string n = hfName;
    if (n.rfind("model.", 0) == 0)
        n = n.substr(6);
    for (const NamePair& r : kEncoderNames)
        if (n == r.hf)
            return std::string(r.gguf);
    if (auto v = layerName(n, "vision_tower.encoder.layers.", "v.blk.", kVisionLayerNames))
        return v;
    return layerName(n, "audio_tower.layers.", "a.blk.", kAudioLayerNames);
}

std::unique_ptr<WeightSource> WeightSource::open(const std::filesystem::path& path, Part part)
{
    auto ws = std::make_unique<WeightSource>();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec) || path.extension() == ".safetensors" || path.filename() == "config.json") {
        const auto target = path.filename() == "config.json" ? path.parent_path() : path;
        ws->m_hf = std::make_unique<safetensors::Model>(safetensors::Model::open(target));
        ws->m_displayName = (std::filesystem::is_directory(target, ec) ? target : target.parent_path()).filename().string();
        for (const auto& t : ws->m_hf->tensors()) {
            const auto name = part == Part::Text ? ggufNameForHf(t.name) : ggufNameForHfEncoder(t.name);
            if (!name)
                continue;
            const auto type = ggmlTypeOf(t.dtype);
            if (!type)
                throw Error(ws->m_displayName + " stores " + t.name + " as " + std::string(safetensors::dtypeName(t.dtype)) +
                            "; Facet reads F32, F16 and BF16 weights from Hugging Face folders.");
            Weight w;
            w.name = *name;
            w.type = *type;
            w.nDims = static_cast<uint32_t>(std::max<size_t>(t.shape.size(), 1));
            if (t.shape.size() > 4)
                throw Error(ws->m_displayName + ": tensor " + t.name + " has more than 4 dimensions.");
            for (size_t d = 0; d < t.shape.size(); ++d)
                w.ne[d] = t.shape[t.shape.size() - 1 - d]; // PyTorch outermost-first -> ggml innermost-first
            w.data = t.data;
            ws->m_weights.emplace(w.name, std::move(w));
        }
    } else {
        ws->m_gguf = std::make_unique<gguf::File>(gguf::File::open(path));
        ws->m_displayName = ws->m_gguf->displayName();
        for (const auto& t : ws->m_gguf->tensors()) {
            Weight w;
            w.name = t.name;
            w.type = t.type;
            w.ne = t.ne;
            w.nDims = t.nDims;
            w.data = t.data;
            ws->m_weights.emplace(w.name, std::move(w));
        }
    }
    return ws;
}

const Weight* WeightSource::find(const std::string& name) const
{
    auto it = m_weights.find(name);
    return it == m_weights.end() ? nullptr : &it->second;
}

const Weight& WeightSource::require(const std::string& name) const
{
    if (const Weight* w = find(name))
        return *w;
    throw Error(m_displayName + " lacks the tensor " + name + ".");
}

const Weight& WeightSource::require(const std::string& name, std::vector<int64_t> ne) const
{
    const Weight& w = require(name);
    std::array<int64_t, 4> want{1, 1, 1, 1};
    for (size_t d = 0; d < ne.size(); ++d)
        want[d] = ne[d];
    if (w.ne != want)
        throw Error(m_displayName + ": tensor " + name + " has shape " + shapeText(w.ne, w.nDims) +
                    " but this model needs " + shapeText(want, static_cast<uint32_t>(ne.size())) + ".");
    return w;
}

uint64_t WeightSource::totalBytes() const
{
    uint64_t n = 0;
    for (const auto& [name, w] : m_weights)
        n += w.data.size();
    return n;
}

} // namespace facet::model
