// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/ggml_type.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace facet::gguf {

// Metadata value types, numbered as in the GGUF specification.
enum class ValueType : uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
    String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
std::string_view valueTypeName(ValueType t);

class Value;

// An array keeps numbers as the file's little-endian bytes (no copy of a 262144-entry
// score table), strings as views into the mapped file, and nested arrays as Values.
struct Array {
    ValueType elementType = ValueType::U8;
    uint64_t count = 0;
    std::span<const std::byte> raw;        // numeric and bool elements
    std::vector<std::string_view> strings; // String elements
    std::vector<Value> arrays;             // Array elements

    // Element i as a number; throws when the array holds strings or arrays.
    double number(uint64_t i) const;
    int64_t integer(uint64_t i) const;
};

class Value {
public:
    ValueType type() const { return m_type; }
    bool isInteger() const;
    bool isNumber() const;
    // Conversions check the stored type and range; the sentence names the key.
    uint64_t toU64(std::string_view key) const;
    int64_t toI64(std::string_view key) const;
    double toF64(std::string_view key) const;
    bool toBool(std::string_view key) const;
    std::string_view toString(std::string_view key) const;
    const Array& toArray(std::string_view key) const;

    static Value makeUnsigned(ValueType t, uint64_t v);
    static Value makeSigned(ValueType t, int64_t v);
    static Value makeFloat(ValueType t, double v);
    static Value makeBool(bool v);
    static Value makeString(std::string_view v);
    static Value makeArray(std::shared_ptr<const Array> a);

private:
    ValueType m_type = ValueType::U8;
    uint64_t m_u = 0;
    int64_t m_i = 0;
    double m_f = 0;
    std::string_view m_s;
    std::shared_ptr<const Array> m_array;
};

struct TensorInfo {
    std::string name;
    GgmlType type = GgmlType::F32;
    uint32_t nDims = 0;
    std::array<int64_t, 4> ne{1, 1, 1, 1}; // ne[0] is the contiguous row length
    uint64_t offset = 0;                   // from the start of its file's data section
    uint64_t nbytes = 0;
    uint32_t fileIndex = 0;                // which split part holds it
    std::span<const std::byte> data;       // inside the mapped file

    int64_t elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
    uint64_t rowBytes() const;
    int64_t rows() const { return ne[1] * ne[2] * ne[3]; }
};

// A GGUF model, possibly split over NAME-0000k-of-0000N.gguf parts, memory-mapped and
// fully validated when opened: nothing is allocated from a count or length the file
// states before that count has been checked against the file's size.
class File {
public:
    // Opens and validates; throws facet::Error with one sentence naming the problem.
    static File open(const std::filesystem::path& path);
    ~File();
    File(File&&) noexcept;
    File& operator=(File&&) noexcept;

    uint32_t version() const;
    uint64_t alignment() const;
    size_t partCount() const;
    std::string displayName() const; // first part's file name
    uint64_t totalBytes() const;     // sum of the parts' sizes

    const std::vector<std::string>& keys() const; // in file order
    const Value* find(std::string_view key) const;
    const Value& require(std::string_view key) const;
    std::string architecture() const; // general.architecture

    const std::vector<TensorInfo>& tensors() const;
    const TensorInfo* tensor(std::string_view name) const;
    const TensorInfo& requireTensor(std::string_view name) const;

private:
    struct Impl;
    explicit File(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

} // namespace facet::gguf
