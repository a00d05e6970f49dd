// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "util/json.h"

#include "facet/error.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace facet::json {

const Value* Value::find(std::string_view key) const
{
    for (const auto& [k, v] : m_object) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

class Parser {
public:
    Parser(std::string_view text, std::string_view what) : m_text(text), m_what(what) {}

    Value document()
    {
        Value v = value(0);
        skipSpace();
        if (m_pos != m_text.size())
            fail("unexpected text after the end");
        return v;
    }

private:
    static constexpr int kMaxDepth = 128; // keeps hostile nesting from exhausting the stack

    [[noreturn]] void fail(const std::string& reason) const
    {
        throw Error(std::string(m_what) + " is not valid JSON: " + reason + " at byte " + std::to_string(m_pos) + ".");
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool consume(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    Value value(int depth)
    {
        if (depth > kMaxDepth)
            fail("nesting deeper than " + std::to_string(kMaxDepth));
        skipSpace();
        if (m_pos >= m_text.size())
            fail("unexpected end");
        Value v;
        const char c = m_text[m_pos];
        if (c == '{') {
            v.m_kind = Value::Kind::Object;
            ++m_pos;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
                return v;
            }
            for (;;) {
                skipSpace();
                if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                    fail("expected a member name");
                std::string key = string();
                skipSpace();
                if (m_pos >= m_text.size() || m_text[m_pos] != ':')
                    fail("expected ':'");
                ++m_pos;
                v.m_object.emplace_back(std::move(key), value(depth + 1));
                skipSpace();
                if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                    ++m_pos;
                    continue;
                }
                if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                    ++m_pos;
                    return v;
                }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v.m_kind = Value::Kind::Array;
            ++m_pos;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                ++m_pos;
                return v;
            }
            for (;;) {
                v.m_array.push_back(value(depth + 1));
                skipSpace();
                if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                    ++m_pos;
                    continue;
                }
                if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                    ++m_pos;
                    return v;
                }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.m_kind = Value::Kind::String;
            v.m_string = string();
            return v;
        }
        if (consume("true")) {
            v.m_kind = Value::Kind::Bool;
            v.m_bool = true;
            return v;
        }
        if (consume("false")) {
            v.m_kind = Value::Kind::Bool;
            return v;
        }
        if (consume("null"))
            return v;
        if (c == '-' || (c >= '0' && c <= '9'))
            return number();
        fail("unexpected character");
    }

    Value number()
    {
        const size_t start = m_pos;
        bool integral = true;
        if (m_text[m_pos] == '-')
            ++m_pos;
        auto digits = [&] {
            const size_t s = m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9')
                ++m_pos;
            if (m_pos == s)
                fail("malformed number");
        };
        if (m_pos < m_text.size() && m_text[m_pos] == '0')
            ++m_pos;
        else
            digits();
        if (m_pos < m_text.size() && m_text[m_pos] == '.') {
            integral = false;
            ++m_pos;
            digits();
        }
        if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            integral = false;
            ++m_pos;
            if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
                ++m_pos;
            digits();
        }
        const std::string literal(m_text.substr(start, m_pos - start));
        Value v;
        v.m_kind = Value::Kind::Number;
        v.m_number = std::strtod(literal.c_str(), nullptr);
        if (integral) {
            int64_t i = 0;
            auto [p, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), i);
            if (ec == std::errc() && p == literal.data() + literal.size())
                v.m_integer = i;
        }
        return v;
    }

    unsigned hex4()
    {
        if (m_text.size() - m_pos < 4)
            fail("short \\u escape");
        unsigned u = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = m_text[m_pos++];
            u <<= 4;
            if (h >= '0' && h <= '9') u |= unsigned(h - '0');
            else if (h >= 'a' && h <= 'f') u |= unsigned(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') u |= unsigned(h - 'A' + 10);
            else fail("bad \\u escape");
        }
        return u;
    }

    static void appendUtf8(std::string& out, unsigned cp)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }

    std::string string()
    {
        ++m_pos; // opening quote
        std::string out;
        for (;;) {
            if (m_pos >= m_text.size())
                fail("unterminated string");
            const char c = m_text[m_pos++];
            if (c == '"')
                return out;
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size())
                fail("unterminated escape");
            switch (m_text[m_pos++]) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned cp = hex4();
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (!consume("\\u"))
                        fail("unpaired surrogate");
                    const unsigned lo = hex4();
                    if (lo < 0xDC00 || lo >= 0xE000)
                        fail("unpaired surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    fail("unpaired surrogate");
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail("unknown escape");
            }
        }
    }

    std::string_view m_text;
    std::string_view m_what;
    size_t m_pos = 0;
};

Value parse(std::string_view text, std::string_view what) { return Parser(text, what).document(); }

} // namespace facet::json
