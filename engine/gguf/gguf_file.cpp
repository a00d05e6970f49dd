// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/error.h"
#include "facet/gguf.h"
#include "gguf/gguf_part.h"

#include <cstdio>
#include <optional>
#include <unordered_map>

namespace facet::gguf {

struct File::Impl {
    std::vector<Part> parts;
    std::vector<TensorInfo> tensors;
    std::unordered_map<std::string_view, size_t> byName;
};

namespace {

struct SplitName {
    std::string stem; // path without "-0000k-of-0000N.gguf"
    int index = 0;    // 1-based
    int count = 0;
};

// Parses "<stem>-00002-of-00005.gguf", the names llama.cpp's gguf-split writes.
std::optional<SplitName> splitName(const std::filesystem::path& path)
{
    const std::string s = path.string();
    constexpr std::string_view tail = "-00000-of-00000.gguf";
    if (s.size() <= tail.size() || !s.ends_with(".gguf"))
        return std::nullopt;
    const std::string end = s.substr(s.size() - tail.size());
    auto digits = [&](size_t from) {
        for (size_t k = from; k < from + 5; ++k) {
            if (end[k] < '0' || end[k] > '9')
                return false;
        }
        return true;
    };
    if (end[0] != '-' || !digits(1) || end.compare(6, 4, "-of-") != 0 || !digits(10))
        return std::nullopt;
    return SplitName{s.substr(0, s.size() - tail.size()), std::stoi(end.substr(1, 5)), std::stoi(end.substr(10, 5))};
}

std::filesystem::path partPath(const SplitName& n, int index)
{
    char tail[32];
    std::snprintf(tail, sizeof tail, "-%05d-of-%05d.gguf", index, n.count);
    return n.stem + tail;
}

uint64_t splitKey(const Part& p, std::string_view key)
{
    const Value* v = p.find(key);
    if (!v)
        throw Error(p.file.displayName() + " is part of a split model but lacks the key " + std::string(key) + ".");
    return v->toU64(key);
}

} // namespace

File::File(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
File::~File() = default;
File::File(File&&) noexcept = default;
File& File::operator=(File&&) noexcept = default;

File File::open(const std::filesystem::path& path)
{
    auto impl = std::make_unique<Impl>();
    const auto split = splitName(path);
    if (split && split->count > 1) {
        if (split->index < 1 || split->index > split->count)
            throw Error(path.filename().string() + " has a split number outside 1 to " + std::to_string(split->count) + ".");
        for (int k = 1; k <= split->count; ++k) {
            const auto p = partPath(*split, k);
            if (!std::filesystem::exists(p))
                throw Error(path.filename().string() + " is one of " + std::to_string(split->count) +
                            " parts of a split model, but " + p.filename().string() + " is missing.");
        }
        for (int k = 1; k <= split->count; ++k)
            impl->parts.push_back(parsePart(partPath(*split, k), static_cast<uint32_t>(k - 1)));
        uint64_t total = 0;
        for (size_t k = 0; k < impl->parts.size(); ++k) {
            const Part& p = impl->parts[k];
            if (splitKey(p, "split.no") != k || splitKey(p, "split.count") != impl->parts.size())
                throw Error(p.file.displayName() + " does not say it is part " + std::to_string(k + 1) + " of " +
                            std::to_string(impl->parts.size()) + "; the parts do not belong together.");
            total += p.tensors.size();
        }
        const uint64_t declared = splitKey(impl->parts[0], "split.tensors.count");
        if (declared != total)
            throw Error(impl->parts[0].file.displayName() + " says the split model has " + std::to_string(declared) +
                        " tensors, but its parts hold " + std::to_string(total) + ".");
    } else {
        impl->parts.push_back(parsePart(path, 0));
        if (const Value* n = impl->parts[0].find("split.count"); n && n->toU64("split.count") > 1)
            throw Error(path.filename().string() + " is one part of a model split into " +
                        std::to_string(n->toU64("split.count")) +
                        " files, but its name does not end in -00001-of-0000N.gguf, so the other parts cannot be found.");
    }
    for (const Part& p : impl->parts) {
        for (const TensorInfo& t : p.tensors)
            impl->tensors.push_back(t);
    }
    for (size_t i = 0; i < impl->tensors.size(); ++i) {
        if (!impl->byName.emplace(impl->tensors[i].name, i).second)
            throw Error(impl->parts[impl->tensors[i].fileIndex].file.displayName() + " repeats the tensor " +
                        impl->tensors[i].name + " found in an earlier part.");
    }
    return File(std::move(impl));
}

uint32_t File::version() const { return m->parts[0].version; }
uint64_t File::alignment() const { return m->parts[0].alignment; }
size_t File::partCount() const { return m->parts.size(); }
std::string File::displayName() const { return m->parts[0].file.displayName(); }

uint64_t File::totalBytes() const
{
    uint64_t n = 0;
    for (const auto& p : m->parts)
        n += p.file.size();
    return n;
}

const std::vector<std::string>& File::keys() const { return m->parts[0].keys; }
const Value* File::find(std::string_view key) const { return m->parts[0].find(key); }

const Value& File::require(std::string_view key) const
{
    if (const Value* v = find(key))
        return *v;
    throw Error(displayName() + " lacks the metadata entry " + std::string(key) + ".");
}

std::string File::architecture() const { return std::string(require("general.architecture").toString("general.architecture")); }

const std::vector<TensorInfo>& File::tensors() const { return m->tensors; }

const TensorInfo* File::tensor(std::string_view name) const
{
    auto it = m->byName.find(name);
    return it == m->byName.end() ? nullptr : &m->tensors[it->second];
}

const TensorInfo& File::requireTensor(std::string_view name) const
{
    if (const TensorInfo* t = tensor(name))
        return *t;
    throw Error(displayName() + " lacks the tensor " + std::string(name) + ".");
}

} // namespace facet::gguf
