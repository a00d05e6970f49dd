// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "gguf/gguf_part.h"

#include "facet/error.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace facet::gguf {
namespace {

constexpr uint32_t kMaxArrayDepth = 8;
// Smallest encodings, used to reject counts no file of this size could hold before
// anything is reserved for them.
constexpr uint64_t kMinKvBytes = 8 + 4 + 1;                 // empty key, type, one byte
constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8; // empty name, 1 dim, type, offset


// Reads the file front to back; every read is checked against the bytes left.
class Cursor {
public:
    Cursor(std::span<const std::byte> bytes, std::string fileName)
        : m_bytes(bytes), m_name(std::move(fileName)) {}

    const std::string& name() const { return m_name; }
    uint64_t pos() const { return m_pos; }
    uint64_t size() const { return m_bytes.size(); }
    uint64_t left() const { return m_bytes.size() - m_pos; }

    void need(uint64_t n, std::string_view what) const
    {
        if (n > left())
            throw Error(m_name + " is truncated: " + std::string(what) + " runs past the end of the file (" +
                        std::to_string(size()) + " bytes).");
    }

    template <class T> T read(std::string_view what)
    {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, m_bytes.data() + m_pos, sizeof v);
        m_pos += sizeof v;
        return v;
    }

    std::span<const std::byte> take(uint64_t n, std::string_view what)
    {
        need(n, what);
        auto s = m_bytes.subspan(m_pos, n);
        m_pos += n;
        return s;
    }

    std::string_view readString(std::string_view what)
    {
        const auto len = read<uint64_t>(what);
        auto s = take(len, what);
        return {reinterpret_cast<const char*>(s.data()), s.size()};
    }

    [[noreturn]] void damaged(const std::string& problem) const { throw Error(m_name + " is damaged: " + problem + "."); }

private:
    std::span<const std::byte> m_bytes;
    std::string m_name;
    uint64_t m_pos = 0;
};

uint64_t scalarSize(ValueType t)
{
    switch (t) {
    case ValueType::U8: case ValueType::I8: case ValueType::Bool: return 1;
    case ValueType::U16: case ValueType::I16: return 2;
    case ValueType::U32: case ValueType::I32: case ValueType::F32: return 4;
    case ValueType::U64: case ValueType::I64: case ValueType::F64: return 8;
    case ValueType::String: case ValueType::Array: return 0;
    }
    return 0;
}

bool knownValueType(uint32_t t) { return t <= static_cast<uint32_t>(ValueType::F64); }

Value readScalar(Cursor& c, ValueType t, std::string_view what)
{
    switch (t) {
    case ValueType::U8: return Value::makeUnsigned(t, c.read<uint8_t>(what));
    case ValueType::I8: return Value::makeSigned(t, c.read<int8_t>(what));
    case ValueType::U16: return Value::makeUnsigned(t, c.read<uint16_t>(what));
    case ValueType::I16: return Value::makeSigned(t, c.read<int16_t>(what));
    case ValueType::U32: return Value::makeUnsigned(t, c.read<uint32_t>(what));
    case ValueType::I32: return Value::makeSigned(t, c.read<int32_t>(what));
    case ValueType::F32: return Value::makeFloat(t, c.read<float>(what));
    case ValueType::Bool: return Value::makeBool(c.read<uint8_t>(what) != 0);
    case ValueType::U64: return Value::makeUnsigned(t, c.read<uint64_t>(what));
    case ValueType::I64: return Value::makeSigned(t, c.read<int64_t>(what));
    case ValueType::F64: return Value::makeFloat(t, c.read<double>(what));
    case ValueType::String: return Value::makeString(c.readString(what));
    case ValueType::Array: break;
    }
    throw std::logic_error("readScalar on an array");
}

Value readValue(Cursor& c, uint32_t rawType, std::string_view key, std::string_view what, uint32_t depth);

Value readArray(Cursor& c, std::string_view key, std::string_view what, uint32_t depth)
{
    if (depth > kMaxArrayDepth)
        c.damaged("the metadata entry " + std::string(key) + " nests arrays more than " + std::to_string(kMaxArrayDepth) + " deep");
    const auto rawElem = c.read<uint32_t>(what);
    if (!knownValueType(rawElem))
        c.damaged("the metadata entry " + std::string(key) + " holds an array of unknown value type " + std::to_string(rawElem));
    auto arr = std::make_shared<Array>();
    arr->elementType = static_cast<ValueType>(rawElem);
    arr->count = c.read<uint64_t>(what);
    // Strings need at least their 8-byte length, arrays their type and count.
    const uint64_t minElem = arr->elementType == ValueType::String ? 8
                            : arr->elementType == ValueType::Array ? 12
                                                                   : scalarSize(arr->elementType);
    if (arr->count > c.left() / minElem)
        c.damaged("the metadata entry " + std::string(key) + " claims an array of " + std::to_string(arr->count) +
                  " elements, more than the file's " + std::to_string(c.size()) + " bytes can hold");
    if (arr->elementType == ValueType::String) {
        arr->strings.reserve(arr->count);
        for (uint64_t i = 0; i < arr->count; ++i)
            arr->strings.push_back(c.readString(what));
    } else if (arr->elementType == ValueType::Array) {
        arr->arrays.reserve(arr->count);
        for (uint64_t i = 0; i < arr->count; ++i)
            arr->arrays.push_back(readArray(c, key, what, depth + 1));
    } else {
        arr->raw = c.take(arr->count * minElem, what);
    }
    return Value::makeArray(std::move(arr));
}

Value readValue(Cursor& c, uint32_t rawType, std::string_view key, std::string_view what, uint32_t depth)
{
    if (!knownValueType(rawType))
        c.damaged("the metadata entry " + std::string(key) + " has unknown value type " + std::to_string(rawType));
    const auto t = static_cast<ValueType>(rawType);
    if (t == ValueType::Array)
        return readArray(c, key, what, depth + 1);
    return readScalar(c, t, what);
}

// A count the remaining bytes cannot hold: a plausible one means the file was cut
// short, an absurd one that the header itself is corrupt.
void checkCount(const Cursor& c, int64_t count, uint64_t minBytesEach, const char* what)
{
    if (count >= 0 && static_cast<uint64_t>(count) <= c.left() / minBytesEach)
        return;
    const std::string n = std::to_string(count);
    if (count >= 0 && static_cast<uint64_t>(count) <= (1ull << 32))
        throw Error(c.name() + " is truncated: its header lists " + n + " " + what + ", but the file's " +
                    std::to_string(c.size()) + " bytes cannot hold them.");
    c.damaged("its header claims " + n + " " + what + ", more than its " + std::to_string(c.size()) + " bytes can hold");
}

void checkMagicAndVersion(Cursor& c, uint32_t& version)
{
    if (c.size() == 0)
        throw Error(c.name() + " is empty.");
    if (c.size() < 4 || std::memcmp(c.take(4, "the signature").data(), "GGUF", 4) != 0)
        throw Error(c.name() + " is not a GGUF model file (it does not start with the letters GGUF).");
    version = c.read<uint32_t>("the GGUF version");
    if (version == 2 || version == 3)
        return;
    if (version == 0x02000000u || version == 0x03000000u)
        throw Error(c.name() + " is a big-endian GGUF file, which Facet cannot read.");
    if (version == 1)
        throw Error(c.name() + " is GGUF version 1, an old format Facet does not read; convert the model again with a current llama.cpp.");
    throw Error(c.name() + " has GGUF version " + std::to_string(version) + "; Facet reads versions 2 and 3.");
}

uint64_t checkedAlignment(const Part& part, const Cursor& c)
{
    const Value* v = part.find("general.alignment");
    if (!v)
        return 32;
    if (v->type() != ValueType::U32)
        c.damaged("general.alignment is a " + std::string(valueTypeName(v->type())) + ", not a u32");
    const uint64_t a = v->toU64("general.alignment");
    if (a == 0 || (a & (a - 1)) != 0)
        c.damaged("general.alignment is " + std::to_string(a) + ", which is not a power of two");
    return a;
}

TensorInfo readTensorInfo(Cursor& c, uint64_t index, uint64_t alignment, uint32_t fileIndex)
{
    const std::string what = "the description of tensor " + std::to_string(index);
    TensorInfo t;
    t.fileIndex = fileIndex;
    t.name = std::string(c.readString(what));
    const std::string& name = t.name;
    t.nDims = c.read<uint32_t>(what);
    if (t.nDims < 1 || t.nDims > 4)
        c.damaged("tensor " + name + " has " + std::to_string(t.nDims) + " dimensions; GGUF allows 1 to 4");
    int64_t elements = 1;
    std::string shape;
    for (uint32_t d = 0; d < t.nDims; ++d) {
        t.ne[d] = c.read<int64_t>(what);
        shape += (d ? " x " : "") + std::to_string(t.ne[d]);
        if (t.ne[d] < 0)
            c.damaged("tensor " + name + " has a negative dimension (" + std::to_string(t.ne[d]) + ")");
    }
    for (uint32_t d = 0; d < t.nDims; ++d) {
        if (__builtin_mul_overflow(elements, t.ne[d], &elements))
            c.damaged("tensor " + name + " has dimensions " + shape + " whose element count overflows");
    }
    const auto rawType = c.read<uint32_t>(what);
    const auto traits = ggmlTypeTraits(rawType);
    if (!traits)
        throw Error(c.name() + " stores tensor " + t.name + " in type " + std::to_string(rawType) + ", which Facet does not know.");
    t.type = traits->type;
    if (t.ne[0] % traits->blockElements != 0)
        c.damaged("tensor " + name + " has rows of " + std::to_string(t.ne[0]) + " elements, not a multiple of the " +
                  std::string(traits->name) + " block of " + std::to_string(traits->blockElements));
    const uint64_t blocks = static_cast<uint64_t>(elements) / traits->blockElements;
    if (__builtin_mul_overflow(blocks, static_cast<uint64_t>(traits->blockBytes), &t.nbytes))
        c.damaged("tensor " + name + " has dimensions " + shape + " whose size in bytes overflows");
    t.offset = c.read<uint64_t>(what);
    if (t.offset % alignment != 0)
        c.damaged("tensor " + name + " starts at offset " + std::to_string(t.offset) +
                  ", which is not a multiple of the file's alignment " + std::to_string(alignment));
    return t;
}

void placeTensorData(Part& part, const Cursor& c)
{
    const uint64_t size = c.size();
    const uint64_t dataStart = (c.pos() + part.alignment - 1) / part.alignment * part.alignment;
    std::vector<size_t> order(part.tensors.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    for (auto& t : part.tensors) {
        uint64_t begin = 0, end = 0;
        if (__builtin_add_overflow(dataStart, t.offset, &begin) || __builtin_add_overflow(begin, t.nbytes, &end))
            c.damaged("tensor " + t.name + " has an offset (" + std::to_string(t.offset) + ") beyond any file size");
        if (end > size)
            throw Error(c.name() + " is truncated: tensor " + t.name + " ends at byte " + std::to_string(end) +
                        " but the file has " + std::to_string(size) + " bytes.");
        t.data = part.file.bytes().subspan(begin, t.nbytes);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return part.tensors[a].offset < part.tensors[b].offset; });
    for (size_t k = 1; k < order.size(); ++k) {
        const auto& prev = part.tensors[order[k - 1]];
        const auto& cur = part.tensors[order[k]];
        if (prev.nbytes > 0 && cur.nbytes > 0 && cur.offset < prev.offset + prev.nbytes)
            c.damaged("tensors " + prev.name + " and " + cur.name + " overlap at bytes " +
                      std::to_string(dataStart + cur.offset) + " to " +
                      std::to_string(dataStart + std::min(prev.offset + prev.nbytes, cur.offset + cur.nbytes)));
    }
}

} // namespace

const Value* Part::find(std::string_view key) const
{
    auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second;
}

Part parsePart(const std::filesystem::path& path, uint32_t fileIndex)
{
    Part part{MappedFile(path)};
    Cursor c(part.file.bytes(), part.file.displayName());
    checkMagicAndVersion(c, part.version);

    const auto tensorCount = c.read<int64_t>("the tensor count");
    const auto kvCount = c.read<int64_t>("the metadata count");
    checkCount(c, tensorCount, kMinTensorInfoBytes, "tensors");
    checkCount(c, kvCount, kMinKvBytes, "metadata entries");

    part.keys.reserve(static_cast<size_t>(kvCount));
    for (int64_t i = 0; i < kvCount; ++i) {
        const std::string what = "metadata entry " + std::to_string(i);
        std::string key(c.readString(what));
        const std::string keyWhat = "the metadata entry " + std::string(key);
        const auto rawType = c.read<uint32_t>(keyWhat);
        Value v = readValue(c, rawType, key, keyWhat, 0);
        if (!part.values.emplace(key, std::move(v)).second)
            c.damaged("the metadata key " + std::string(key) + " appears twice");
        part.keys.push_back(std::move(key));
    }
    part.alignment = checkedAlignment(part, c);

    part.tensors.reserve(static_cast<size_t>(tensorCount));
    std::unordered_set<std::string_view> names;
    for (int64_t i = 0; i < tensorCount; ++i) {
        part.tensors.push_back(readTensorInfo(c, static_cast<uint64_t>(i), part.alignment, fileIndex));
    }
    for (const auto& t : part.tensors) {
        if (!names.insert(t.name).second)
            c.damaged("the tensor name " + std::string(t.name) + " appears twice");
    }
    placeTensorData(part, c);
    return part;
}

} // namespace facet::gguf
