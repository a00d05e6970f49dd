// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/error.h"
#include "facet/safetensors.h"
#include "util/json.h"
#include "util/mapped_file.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace facet::safetensors {

namespace {

struct DTypeRow {
    DType type;
    std::string_view name;
    uint32_t bytes;
};

constexpr std::array kDTypes = {
    DTypeRow{DType::F64, "F64", 8}, DTypeRow{DType::F32, "F32", 4}, DTypeRow{DType::F16, "F16", 2},
    DTypeRow{DType::BF16, "BF16", 2}, DTypeRow{DType::I64, "I64", 8}, DTypeRow{DType::I32, "I32", 4},
    DTypeRow{DType::I16, "I16", 2}, DTypeRow{DType::I8, "I8", 1}, DTypeRow{DType::U64, "U64", 8},
    DTypeRow{DType::U32, "U32", 4}, DTypeRow{DType::U16, "U16", 2}, DTypeRow{DType::U8, "U8", 1},
    DTypeRow{DType::Bool, "BOOL", 1}, DTypeRow{DType::F8_E4M3, "F8_E4M3", 1}, DTypeRow{DType::F8_E5M2, "F8_E5M2", 1},
};

// A header is JSON describing tensors; real ones are kilobytes to a few megabytes.
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;

std::string readTextFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw Error(p.filename().string() + " cannot be read.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

struct Shard {
    MappedFile file;
    std::vector<TensorInfo> tensors;
    std::map<std::string, std::string> metadata;
};

uint64_t nonNegativeInt(const json::Value& v, const std::string& file, const std::string& problem)
{
    if (!v.isNumber() || !v.integer() || *v.integer() < 0)
        throw Error(file + " is damaged: " + problem + ".");
    return static_cast<uint64_t>(*v.integer());
}

TensorInfo readEntry(const std::string& file, const std::string& name, const json::Value& e, uint64_t dataSize, uint32_t index)
{
    if (!e.isObject())
        throw Error(file + " is damaged: the header entry for " + name + " is not an object.");
    const json::Value* dtype = e.find("dtype");
    const json::Value* shape = e.find("shape");
    const json::Value* offsets = e.find("data_offsets");
    if (!dtype || !dtype->isString() || !shape || !shape->isArray() || !offsets || !offsets->isArray() || offsets->array().size() != 2)
        throw Error(file + " is damaged: tensor " + name + " lacks a dtype, shape or pair of data offsets.");
    TensorInfo t;
    t.name = name;
    t.fileIndex = index;
    auto row = std::find_if(kDTypes.begin(), kDTypes.end(), [&](const DTypeRow& r) { return r.name == dtype->string(); });
    if (row == kDTypes.end())
        throw Error(file + " stores tensor " + name + " as " + dtype->string() + ", which Facet does not know.");
    t.dtype = row->type;
    uint64_t bytes = row->bytes;
    for (const auto& d : shape->array()) {
        const uint64_t n = nonNegativeInt(d, file, "tensor " + name + " has a shape entry that is not a non-negative integer");
        t.shape.push_back(static_cast<int64_t>(n));
        if (__builtin_mul_overflow(bytes, n, &bytes))
            throw Error(file + " is damaged: tensor " + name + " has a shape whose size overflows.");
    }
    const uint64_t begin = nonNegativeInt(offsets->array()[0], file, "tensor " + name + " has a data offset that is not a non-negative integer");
    const uint64_t end = nonNegativeInt(offsets->array()[1], file, "tensor " + name + " has a data offset that is not a non-negative integer");
    if (end < begin)
        throw Error(file + " is damaged: tensor " + name + " has data offsets that run backwards (" +
                    std::to_string(begin) + " to " + std::to_string(end) + ").");
    if (end - begin != bytes)
        throw Error(file + " is damaged: tensor " + name + " is " + std::string(row->name) + " of shape " + shapeText(t.shape) +
                    " (" + std::to_string(bytes) + " bytes) but its data offsets span " + std::to_string(end - begin) + " bytes.");
    if (end > dataSize)
        throw Error(file + " is truncated: tensor " + name + " ends at byte " + std::to_string(end) +
                    " of the data section but the section has " + std::to_string(dataSize) + " bytes.");
    t.nbytes = bytes;
    return t;
}

Shard readShard(const std::filesystem::path& path, uint32_t index)
{
    Shard s{MappedFile(path)};
    const std::string file = s.file.displayName();
    const auto bytes = s.file.bytes();
    if (bytes.size() < 8)
        throw Error(file + " is truncated: it is too short to hold a safetensors header.");
    uint64_t headerBytes = 0;
    std::memcpy(&headerBytes, bytes.data(), 8);
    if (headerBytes > kMaxHeaderBytes)
        throw Error(file + " is damaged: its header claims " + std::to_string(headerBytes) + " bytes, more than the 100 MiB Facet accepts.");
    if (headerBytes > bytes.size() - 8)
        throw Error(file + " is truncated: its header of " + std::to_string(headerBytes) + " bytes runs past the end of the file (" +
                    std::to_string(bytes.size()) + " bytes).");
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + 8, headerBytes);
    const json::Value header = json::parse(text, "The header of " + file);
    if (!header.isObject())
        throw Error(file + " is damaged: its header is not a JSON object.");
    const uint64_t dataStart = 8 + headerBytes;
    const uint64_t dataSize = bytes.size() - dataStart;
    for (const auto& [name, entry] : header.object()) {
        if (name == "__metadata__") {
            if (!entry.isObject())
                throw Error(file + " is damaged: its __metadata__ is not an object.");
            for (const auto& [k, v] : entry.object()) {
                if (v.isString())
                    s.metadata[k] = v.string();
            }
            continue;
        }
        TensorInfo t = readEntry(file, name, entry, dataSize, index);
        const uint64_t begin = nonNegativeInt(entry.find("data_offsets")->array()[0], file, "");
        t.data = bytes.subspan(dataStart + begin, t.nbytes);
        s.tensors.push_back(std::move(t));
    }
    std::vector<const TensorInfo*> order;
    for (const auto& t : s.tensors)
        order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const TensorInfo* a, const TensorInfo* b) { return a->data.data() < b->data.data(); });
    for (size_t k = 1; k < order.size(); ++k) {
        const TensorInfo* prev = order[k - 1];
        const TensorInfo* cur = order[k];
        if (prev->nbytes && cur->nbytes && cur->data.data() < prev->data.data() + prev->nbytes)
            throw Error(file + " is damaged: tensors " + prev->name + " and " + cur->name + " overlap.");
    }
    return s;
}

} // namespace

std::string_view dtypeName(DType t)
{
    for (const auto& r : kDTypes) {
        if (r.type == t)
            return r.name;
    }
    return "?";
}

uint32_t dtypeBytes(DType t)
{
    for (const auto& r : kDTypes) {
        if (r.type == t)
            return r.bytes;
    }
    return 0;
}

struct Model::Impl {
    std::filesystem::path folder;
    std::string config;
    std::vector<Shard> shards;
    std::vector<TensorInfo> tensors;
    std::unordered_map<std::string_view, size_t> byName;
};

Model::Model(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Model::~Model() = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;

Model Model::open(const std::filesystem::path& path)
{
    auto impl = std::make_unique<Impl>();
    std::error_code ec;
    const bool isDir = std::filesystem::is_directory(path, ec);
    if (!isDir && !std::filesystem::is_regular_file(path, ec))
        throw Error(path.filename().string() + " does not exist.");
    impl->folder = isDir ? path : path.parent_path();
    const std::string folderName = impl->folder.filename().string();

    const auto configPath = impl->folder / "config.json";
    if (!std::filesystem::exists(configPath))
        throw Error("The folder " + folderName + " has no config.json, so it is not a Hugging Face model folder.");
    impl->config = readTextFile(configPath);
    if (!json::parse(impl->config, "config.json in " + folderName).isObject())
        throw Error("config.json in " + folderName + " is not a JSON object.");

    // Which shard holds which tensor, when the index says so.
    std::vector<std::string> shardNames;
    std::vector<std::pair<std::string, std::string>> placed;
    const auto indexPath = impl->folder / "model.safetensors.index.json";
    if (!isDir) {
        shardNames.push_back(path.filename().string());
    } else if (std::filesystem::exists(indexPath)) {
        const json::Value index = json::parse(readTextFile(indexPath), "model.safetensors.index.json");
        const json::Value* map = index.find("weight_map");
        if (!map || !map->isObject())
            throw Error("model.safetensors.index.json in " + folderName + " has no weight_map.");
        for (const auto& [tensor, shard] : map->object()) {
            if (!shard.isString() || shard.string().find('/') != std::string::npos)
                throw Error("model.safetensors.index.json places " + tensor + " in something that is not a file name in the folder.");
            if (std::find(shardNames.begin(), shardNames.end(), shard.string()) == shardNames.end())
                shardNames.push_back(shard.string());
            placed.emplace_back(tensor, shard.string());
        }
    } else if (std::filesystem::exists(impl->folder / "model.safetensors")) {
        shardNames.push_back("model.safetensors");
    } else {
        throw Error("The folder " + folderName + " has neither model.safetensors nor model.safetensors.index.json.");
    }

    for (const auto& name : shardNames) {
        if (!std::filesystem::exists(impl->folder / name))
            throw Error("model.safetensors.index.json names " + name + ", which is missing from " + folderName + ".");
    }
    for (size_t i = 0; i < shardNames.size(); ++i)
        impl->shards.push_back(readShard(impl->folder / shardNames[i], static_cast<uint32_t>(i)));
    for (const auto& s : impl->shards) {
        for (const auto& t : s.tensors)
            impl->tensors.push_back(t);
    }
    for (size_t i = 0; i < impl->tensors.size(); ++i) {
        if (!impl->byName.emplace(impl->tensors[i].name, i).second)
            throw Error("The tensor " + impl->tensors[i].name + " appears in two shards of " + folderName + ".");
    }
    for (const auto& [tensor, shard] : placed) {
        auto it = impl->byName.find(tensor);
        if (it == impl->byName.end() || shardNames[impl->tensors[it->second].fileIndex] != shard)
            throw Error("model.safetensors.index.json places " + tensor + " in " + shard + ", but " + shard + " does not hold it.");
    }
    return Model(std::move(impl));
}

const std::filesystem::path& Model::folder() const { return m->folder; }
const std::string& Model::configJson() const { return m->config; }
const std::vector<TensorInfo>& Model::tensors() const { return m->tensors; }
size_t Model::shardCount() const { return m->shards.size(); }

const std::map<std::string, std::string>& Model::metadata() const
{
    static const std::map<std::string, std::string> none;
    return m->shards.empty() ? none : m->shards[0].metadata;
}

const TensorInfo* Model::tensor(std::string_view name) const
{
    auto it = m->byName.find(name);
    return it == m->byName.end() ? nullptr : &m->tensors[it->second];
}

const TensorInfo& Model::requireTensor(std::string_view name) const
{
    if (const TensorInfo* t = tensor(name))
        return *t;
    throw Error("The model in " + m->folder.filename().string() + " lacks the tensor " + std::string(name) + ".");
}

} // namespace facet::safetensors
