// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/error.h"
#include "facet/gguf.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace facet::gguf {

std::string_view valueTypeName(ValueType t)
{
    switch (t) {
    case ValueType::U8: return "u8";
    case ValueType::I8: return "i8";
    case ValueType::U16: return "u16";
    case ValueType::I16: return "i16";
    case ValueType::U32: return "u32";
    case ValueType::I32: return "i32";
    case ValueType::F32: return "f32";
    case ValueType::Bool: return "bool";
    case ValueType::String: return "string";
    case ValueType::Array: return "array";
    case ValueType::U64: return "u64";
    case ValueType::I64: return "i64";
    case ValueType::F64: return "f64";
    }
    return "unknown";
}

namespace {

template <class T> T loadLE(const std::byte* p)
{
    T v;
    std::memcpy(&v, p, sizeof v); // GGUF is little-endian, as is every host we build for
    return v;
}

bool isSignedType(ValueType t) { return t == ValueType::I8 || t == ValueType::I16 || t == ValueType::I32 || t == ValueType::I64; }
bool isUnsignedType(ValueType t) { return t == ValueType::U8 || t == ValueType::U16 || t == ValueType::U32 || t == ValueType::U64; }
bool isFloatType(ValueType t) { return t == ValueType::F32 || t == ValueType::F64; }

[[noreturn]] void wrongType(std::string_view key, std::string_view wanted, ValueType got)
{
    throw Error("The model's metadata entry '" + std::string(key) + "' should be " + std::string(wanted) +
                " but is " + std::string(valueTypeName(got)) + ".");
}

} // namespace

static_assert(std::endian::native == std::endian::little, "GGUF values are read in place as little-endian");

double Array::number(uint64_t i) const
{
    if (i >= count)
        throw std::out_of_range("gguf array index");
    const std::byte* p = raw.data();
    switch (elementType) {
    case ValueType::U8: return loadLE<uint8_t>(p + i);
    case ValueType::I8: return loadLE<int8_t>(p + i);
    case ValueType::U16: return loadLE<uint16_t>(p + 2 * i);
    case ValueType::I16: return loadLE<int16_t>(p + 2 * i);
    case ValueType::U32: return loadLE<uint32_t>(p + 4 * i);
    case ValueType::I32: return loadLE<int32_t>(p + 4 * i);
    case ValueType::F32: return loadLE<float>(p + 4 * i);
    case ValueType::Bool: return loadLE<uint8_t>(p + i) != 0;
    case ValueType::U64: return static_cast<double>(loadLE<uint64_t>(p + 8 * i));
    case ValueType::I64: return static_cast<double>(loadLE<int64_t>(p + 8 * i));
    case ValueType::F64: return loadLE<double>(p + 8 * i);
    case ValueType::String:
    case ValueType::Array: break;
    }
    throw Error("A model metadata array of " + std::string(valueTypeName(elementType)) + " was read as numbers.");
}

int64_t Array::integer(uint64_t i) const
{
    if (i >= count)
        throw std::out_of_range("gguf array index");
    const std::byte* p = raw.data();
    switch (elementType) {
    case ValueType::U64: {
        const uint64_t v = loadLE<uint64_t>(p + 8 * i);
        if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            throw Error("A model metadata array holds a value too large for Facet.");
        return static_cast<int64_t>(v);
    }
    case ValueType::I64: return loadLE<int64_t>(p + 8 * i);
    case ValueType::F32:
    case ValueType::F64:
    case ValueType::String:
    case ValueType::Array:
        throw Error("A model metadata array of " + std::string(valueTypeName(elementType)) + " was read as integers.");
    default: return static_cast<int64_t>(number(i));
    }
}

bool Value::isInteger() const { return isSignedType(m_type) || isUnsignedType(m_type) || m_type == ValueType::Bool; }
bool Value::isNumber() const { return isInteger() || isFloatType(m_type); }

uint64_t Value::toU64(std::string_view key) const
{
    if (isUnsignedType(m_type) || m_type == ValueType::Bool)
        return m_u;
    if (isSignedType(m_type)) {
        if (m_i < 0)
            throw Error("The model's metadata entry '" + std::string(key) + "' is negative (" + std::to_string(m_i) + ") where a count is expected.");
        return static_cast<uint64_t>(m_i);
    }
    wrongType(key, "an integer", m_type);
}

int64_t Value::toI64(std::string_view key) const
{
    if (isSignedType(m_type))
        return m_i;
    if (isUnsignedType(m_type) || m_type == ValueType::Bool) {
        if (m_u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            throw Error("The model's metadata entry '" + std::string(key) + "' is too large (" + std::to_string(m_u) + ").");
        return static_cast<int64_t>(m_u);
    }
    wrongType(key, "an integer", m_type);
}

double Value::toF64(std::string_view key) const
{
    if (isFloatType(m_type))
        return m_f;
    if (isSignedType(m_type))
        return static_cast<double>(m_i);
    if (isUnsignedType(m_type) || m_type == ValueType::Bool)
        return static_cast<double>(m_u);
    wrongType(key, "a number", m_type);
}

bool Value::toBool(std::string_view key) const
{
    if (m_type != ValueType::Bool)
        wrongType(key, "a bool", m_type);
    return m_u != 0;
}

std::string_view Value::toString(std::string_view key) const
{
    if (m_type != ValueType::String)
        wrongType(key, "a string", m_type);
    return m_s;
}

const Array& Value::toArray(std::string_view key) const
{
    if (m_type != ValueType::Array)
        wrongType(key, "an array", m_type);
    return *m_array;
}

Value Value::makeUnsigned(ValueType t, uint64_t v)
{
    Value r;
    r.m_type = t;
    r.m_u = v;
    return r;
}

Value Value::makeSigned(ValueType t, int64_t v)
{
    Value r;
    r.m_type = t;
    r.m_i = v;
    return r;
}

Value Value::makeFloat(ValueType t, double v)
{
    Value r;
    r.m_type = t;
    r.m_f = v;
    return r;
}

Value Value::makeBool(bool v)
{
    Value r;
    r.m_type = ValueType::Bool;
    r.m_u = v ? 1 : 0;
    return r;
}

Value Value::makeString(std::string_view v)
{
    Value r;
    r.m_type = ValueType::String;
    r.m_s = v;
    return r;
}

Value Value::makeArray(std::shared_ptr<const Array> a)
{
    Value r;
    r.m_type = ValueType::Array;
    r.m_array = std::move(a);
    return r;
}

uint64_t TensorInfo::rowBytes() const
{
    const auto& t = ggmlTypeTraits(type);
    return static_cast<uint64_t>(ne[0]) / t.blockElements * t.blockBytes;
}

} // namespace facet::gguf
