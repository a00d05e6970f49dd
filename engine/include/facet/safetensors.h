// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace facet::safetensors {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, Bool, F8_E4M3, F8_E5M2 };
std::string_view dtypeName(DType t);
uint32_t dtypeBytes(DType t);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape; // outermost first, as PyTorch writes it
    uint64_t nbytes = 0;
    uint32_t fileIndex = 0;
    std::span<const std::byte> data; // inside the mapped shard
};

// A Hugging Face model folder: config.json plus model.safetensors, or the shards named
// by model.safetensors.index.json. Every shard is memory-mapped and validated on open.
class Model {
public:
    // `path` is the folder, or one .safetensors file inside it. Throws facet::Error.
    static Model open(const std::filesystem::path& path);
    ~Model();
    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;

    const std::filesystem::path& folder() const;
    const std::string& configJson() const; // config.json as written
    const std::vector<TensorInfo>& tensors() const;
    const TensorInfo* tensor(std::string_view name) const;
    const TensorInfo& requireTensor(std::string_view name) const;
    const std::map<std::string, std::string>& metadata() const; // first shard's __metadata__
    size_t shardCount() const;

private:
    struct Impl;
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

} // namespace facet::safetensors
