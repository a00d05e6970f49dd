// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/ggml_type.h"
#include "facet/gguf.h"
#include "facet/safetensors.h"

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace facet::model {

// One weight as the decoder sees it: GGUF naming and ggml dimension order (ne[0] is
// the contiguous row), data still in the mapped file.
struct Weight {
    std::string name;            // GGUF name, "blk.3.attn_q.weight"
    GgmlType type = GgmlType::F32;
    std::array<int64_t, 4> ne{1, 1, 1, 1};
    uint32_t nDims = 1;
    std::span<const std::byte> data;

    int64_t rows() const { return ne[1] * ne[2] * ne[3]; }
    // Row r converted to f32 (F32, F16 and BF16 rows).
    std::vector<float> rowAsFloat(int64_t r) const;
    std::vector<float> allAsFloat() const;
};

// A model's weights under GGUF names, from a GGUF file or a Hugging Face folder (whose
// names are mapped to GGUF ones), and its metadata in GGUF keys or config.json.
class WeightSource {
public:
    // Which tensors of a Hugging Face folder to take: the text decoder's, or the vision
    // and audio encoders' (both under the names llama.cpp's mmproj files use).
    enum class Part { Text, Encoders };
    static std::unique_ptr<WeightSource> open(const std::filesystem::path& path, Part part = Part::Text);

    const std::string& displayName() const { return m_displayName; }
    const Weight* find(const std::string& name) const;
    const Weight& require(const std::string& name) const;
    // Checks the ggml dimensions; the sentence names the tensor and both shapes.
    const Weight& require(const std::string& name, std::vector<int64_t> ne) const;
    uint64_t totalBytes() const;
    const std::map<std::string, Weight, std::less<>>& all() const { return m_weights; }

    // Exactly one of these is set.
    const gguf::File* gguf() const { return m_gguf.get(); }
    const std::string* hfConfigJson() const { return m_hf ? &m_hf->configJson() : nullptr; }

private:
    std::string m_displayName;
    std::unique_ptr<gguf::File> m_gguf;
    std::unique_ptr<safetensors::Model> m_hf;
    std::map<std::string, Weight, std::less<>> m_weights;
};

// The GGUF name of a Hugging Face Gemma 4 text tensor, or nothing for tensors the text
// decoder does not use (vision, audio).
std::optional<std::string> ggufNameForHf(const std::string& hfName);

// The mmproj (GGUF) name of a Hugging Face Gemma 4 vision or audio encoder tensor, or
// nothing for other tensors. Names only: HF keeps per_dim_scale before softplus, the
// patch projection as a linear over (y, x, channel) and the depthwise kernel as
// [C, 1, K]; the encoders read either form.
std::optional<std::string> ggufNameForHfEncoder(const std::string& hfName);

} // namespace facet::model
