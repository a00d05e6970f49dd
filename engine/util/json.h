// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace facet::json {

// A parsed JSON document (RFC 8259). Integers that fit in int64 keep their exact value
// because safetensors offsets and shapes must not pass through a double.
class Value {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind() const { return m_kind; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool isBool() const { return m_kind == Kind::Bool; }
    bool isNumber() const { return m_kind == Kind::Number; }
    bool isString() const { return m_kind == Kind::String; }
    bool isArray() const { return m_kind == Kind::Array; }
    bool isObject() const { return m_kind == Kind::Object; }

    bool boolean() const { return m_bool; }
    double number() const { return m_number; }
    // The exact integer, when the literal had no fraction or exponent and fits in int64.
    std::optional<int64_t> integer() const { return m_integer; }
    const std::string& string() const { return m_string; }
    const std::vector<Value>& array() const { return m_array; }
    const std::vector<std::pair<std::string, Value>>& object() const { return m_object; }
    // Member lookup on an object; null when absent or when this is not an object.
    const Value* find(std::string_view key) const;

private:
    friend class Parser;
    Kind m_kind = Kind::Null;
    bool m_bool = false;
    double m_number = 0;
    std::optional<int64_t> m_integer;
    std::string m_string;
    std::vector<Value> m_array;
    std::vector<std::pair<std::string, Value>> m_object;
};

// Parses a whole document. Throws facet::Error("<what> is not valid JSON: <reason> at
// byte N.") where `what` names the source for the user.
Value parse(std::string_view text, std::string_view what);

} // namespace facet::json
