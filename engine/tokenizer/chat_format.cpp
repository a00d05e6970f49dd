// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/chat_format.h"

#include "facet/error.h"
#include "facet/tokenizer.h"
#include "util/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace facet::chat {
namespace {

using json::Value;

// What the templates' Jinja filters do, in the Python semantics transformers renders
// them with: `trim` is str.strip(), `dictsort` orders keys case-insensitively, `upper`
// on the ASCII type names, and `{{ x }}` prints numbers as Python's repr.
bool isPythonSpace(std::string_view s, size_t i, size_t& len)
{
    const auto c = static_cast<unsigned char>(s[i]);
    len = 1;
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
        return true;
    static const char* const wide[] = {"\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
                                       "\xE2\x81\x9F", "\xE3\x80\x80"};
    for (const char* w : wide) {
        const std::string_view ws(w);
        if (s.substr(i, ws.size()) == ws) {
            len = ws.size();
            return true;
        }
    }
    if (s.substr(i, 2) == "\xE2\x80" && i + 2 < s.size()) { // U+2000..U+200A
        const auto c3 = static_cast<unsigned char>(s[i + 2]);
        len = 3;
        return c3 >= 0x80 && c3 <= 0x8A;
    }
    return false;
}

std::string trim(std::string_view s)
{
    size_t begin = 0, len = 0;
    while (begin < s.size() && isPythonSpace(s, begin, len))
        begin += len;
    size_t end = begin;
    for (size_t i = begin; i < s.size();) {
        if (isPythonSpace(s, i, len)) {
            i += len;
        } else {
            i += 1;
            end = i;
        }
    }
    // `end` may sit inside a multi-byte character; extend to its last byte.
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        ++end;
    return std::string(s.substr(begin, end - begin));
}

std::string upper(std::string s)
{
    for (char& c : s)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return s;
}

std::string lower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::vector<const std::pair<std::string, Value>*> dictsort(const Value& object)
{
    std::vector<const std::pair<std::string, Value>*> out;
    for (const auto& member : object.object())
        out.push_back(&member);
    std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return lower(a->first) < lower(b->first); });
    return out;
}

std::string pythonNumber(const Value& v)
{
    if (v.integer())
        return std::to_string(*v.integer());
    const double d = v.number();
    if (std::isinf(d))
        return d > 0 ? "inf" : "-inf";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, r.ptr);
    const size_t e = sci.find('e');
    const int exponent = std::stoi(sci.substr(e + 1));
    std::string digits = sci.substr(0, e);
    const bool negative = digits[0] == '-';
    if (negative)
        digits.erase(0, 1);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    std::string out = negative ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        return out + exp;
    }
    if (exponent < 0)
        return out + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    const size_t intDigits = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= intDigits)
        return out + digits + std::string(intDigits - digits.size(), '0') + ".0";
    return out + digits.substr(0, intDigits) + "." + digits.substr(intDigits);
}

// Builds the segment list; consecutive text is merged.
class Writer {
public:
    void text(std::string_view s)
    {
        if (s.empty())
            return;
        if (m_p.segments.empty() || m_p.segments.back().marker)
            m_p.segments.push_back({false, ""});
        m_p.segments.back().text += s;
    }
    void marker(std::string_view piece) { m_p.segments.push_back({true, std::string(piece)}); }
    Prompt take() { return std::move(m_p); }

private:
    Prompt m_p;
};

constexpr std::string_view kQuote = "<|\"|>";

void formatArgument(Writer& w, const Value& v, bool escapeKeys)
{
    switch (v.kind()) {
    case Value::Kind::String:
        w.marker(kQuote);
        w.text(v.string());
        w.marker(kQuote);
        break;
    case Value::Kind::Bool: w.text(v.boolean() ? "true" : "false"); break;
    case Value::Kind::Object: {
        w.text("{");
        bool first = true;
        for (const auto* m : dictsort(v)) {
            if (!first)
                w.text(",");
            first = false;
            if (escapeKeys) {
                w.marker(kQuote);
                w.text(m->first);
                w.marker(kQuote);
            } else {
                w.text(m->first);
            }
            w.text(":");
            formatArgument(w, m->second, escapeKeys);
        }
        w.text("}");
        break;
    }
    case Value::Kind::Array:
        w.text("[");
        for (size_t i = 0; i < v.array().size(); ++i) {
            if (i)
                w.text(",");
            formatArgument(w, v.array()[i], escapeKeys);
        }
        w.text("]");
        break;
    case Value::Kind::Number: w.text(pythonNumber(v)); break;
    case Value::Kind::Null: w.text("None"); break;
    }
}

// Jinja truthiness of an optional member.
bool truthy(const Value* v)
{
    if (!v)
        return false;
    switch (v->kind()) {
    case Value::Kind::Null: return false;
    case Value::Kind::Bool: return v->boolean();
    case Value::Kind::Number: return v->number() != 0;
    case Value::Kind::String: return !v->string().empty();
    case Value::Kind::Array: return !v->array().empty();
    case Value::Kind::Object: return !v->object().empty();
    }
    return false;
}

std::string typeOf(const Value& v)
{
    const Value* t = v.find("type");
    return t && t->isString() ? upper(t->string()) : "";
}

void quotedList(Writer& w, const Value& list)
{
    w.text("[");
    for (size_t i = 0; i < list.array().size(); ++i) {
        if (i)
            w.text(",");
        w.marker(kQuote);
        const Value& item = list.array()[i];
        w.text(item.isString() ? item.string() : pythonNumber(item));
        w.marker(kQuote);
    }
    w.text("]");
}

void formatParameters(Writer& w, const Value& properties)
{
    static const std::vector<std::string> standard{"description", "type", "properties", "required", "nullable"};
    bool foundFirst = false;
    for (const auto* member : dictsort(properties)) {
        const std::string& key = member->first;
        const Value& value = member->second;
        if (std::find(standard.begin(), standard.end(), key) != standard.end())
            continue;
        if (foundFirst)
            w.text(",");
        foundFirst = true;
        w.text(key + ":{");
        bool addComma = false;
        const auto comma = [&] {
            if (addComma)
                w.text(",");
            addComma = true;
        };
        if (truthy(value.find("description"))) {
            w.text("description:");
            w.marker(kQuote);
            w.text(value.find("description")->string());
            w.marker(kQuote);
            addComma = true;
        }
        const std::string type = typeOf(value);
        if (type == "STRING") {
            if (truthy(value.find("enum"))) {
                comma();
                w.text("enum:");
                formatArgument(w, *value.find("enum"), true);
            }
        } else if (type == "ARRAY") {
            const Value* items = value.find("items");
            if (items && items->isObject() && truthy(items)) {
                comma();
                w.text("items:{");
                bool firstItem = true;
                for (const auto* item : dictsort(*items)) {
                    if (item->second.isNull())
                        continue;
                    if (!firstItem)
                        w.text(",");
                    firstItem = false;
                    if (item->first == "properties") {
                        w.text("properties:{");
                        if (item->second.isObject())
                            formatParameters(w, item->second);
                        w.text("}");
                    } else if (item->first == "required") {
                        w.text("required:");
                        quotedList(w, item->second);
                    } else if (item->first == "type") {
                        w.text("type:");
                        if (item->second.isString()) {
                            w.marker(kQuote);
                            w.text(upper(item->second.string()));
                            w.marker(kQuote);
                        } else {
                            w.text("[");
                            for (size_t i = 0; i < item->second.array().size(); ++i) {
                                if (i)
                                    w.text(",");
                                w.marker(kQuote);
                                w.text(upper(item->second.array()[i].string()));
                                w.marker(kQuote);
                            }
                            w.text("]");
                        }
                    } else {
                        w.text(item->first + ":");
                        formatArgument(w, item->second, true);
                    }
                }
                w.text("}");
            }
        }
        if (truthy(value.find("nullable"))) {
            comma();
            w.text("nullable:true");
        }
        if (type == "OBJECT") {
            const Value* props = value.find("properties");
            comma();
            w.text("properties:{");
            formatParameters(w, props && props->isObject() ? *props : value);
            w.text("}");
            if (truthy(value.find("required"))) {
                comma();
                w.text("required:");
                quotedList(w, *value.find("required"));
            }
        }
        comma();
        w.text("type:");
        w.marker(kQuote);
        w.text(type);
        w.marker(kQuote);
        w.text("}");
    }
}

void formatDeclaration(Writer& w, const Value& tool, const std::string& source)
{
    const Value* fn = tool.find("function");
    if (!fn || !fn->isObject() || !fn->find("name") || !fn->find("name")->isString())
        throw Error("The tool declaration " + source + " has no function name.");
    w.text("declaration:" + fn->find("name")->string() + "{description:");
    w.marker(kQuote);
    if (const Value* d = fn->find("description"); d && d->isString())
        w.text(d->string());
    w.marker(kQuote);
    if (const Value* params = fn->find("parameters"); truthy(params)) {
        w.text(",parameters:{");
        if (truthy(params->find("properties"))) {
            w.text("properties:{");
            formatParameters(w, *params->find("properties"));
            w.text("},");
        }
        if (truthy(params->find("required"))) {
            w.text("required:");
            quotedList(w, *params->find("required"));
            w.text(",");
        }
        if (truthy(params->find("type"))) {
            w.text("type:");
            w.marker(kQuote);
            w.text(typeOf(*params));
            w.marker(kQuote);
            w.text("}");
        }
    }
    if (const Value* response = fn->find("response")) {
        w.text(",response:{");
        if (truthy(response->find("description"))) {
            w.text("description:");
            w.marker(kQuote);
            w.text(response->find("description")->string());
            w.marker(kQuote);
            w.text(",");
        }
        if (typeOf(*response) == "OBJECT") {
            w.text("type:");
            w.marker(kQuote);
            w.text("OBJECT");
            w.marker(kQuote);
            w.text("}");
        }
    }
    w.text("}");
}

// A reply as the template shows it again: thought channels removed, then trimmed.
std::string stripThinking(std::string_view text)
{
    std::string result;
    size_t start = 0;
    while (true) {
        const size_t close = text.find("<channel|>", start);
        const std::string_view part = text.substr(start, close == std::string_view::npos ? std::string_view::npos : close - start);
        const size_t open = part.find("<|channel>");
        result += part.substr(0, open);
        if (close == std::string_view::npos)
            break;
        start = close + std::string_view("<channel|>").size();
    }
    return trim(result);
}

void toolResponse(Writer& w, const std::string& name, const std::string& body)
{
    w.marker("<|tool_response>");
    w.text("response:" + name + "{value:");
    w.marker(kQuote);
    w.text(body);
    w.marker(kQuote);
    w.text("}");
    w.marker("<tool_response|>");
}

// Jinja truthiness of the message's content: "" and no content are both false.
bool hasContent(const Message& m)
{
    return !(m.content.empty() || (m.content.size() == 1 && m.content[0].kind == Part::Kind::Text && m.content[0].text.empty()));
}

std::string joinedText(const Message& m)
{
    std::string s;
    for (const Part& p : m.content)
        if (p.kind == Part::Kind::Text)
            s += p.text;
    return s;
}

Prompt formatGemma4(const std::vector<Message>& messages, const Options& options)
{
    Writer w;
    w.marker("<bos>");
    enum class Last { None, Think, Tool, ToolCall, ToolResponse, Media } last = Last::None;
    size_t firstLoop = 0;
    const bool hasSystem = !messages.empty() && messages[0].role == Role::System;
    if (options.thinking || !options.toolsJson.empty() || hasSystem) {
        w.marker("<|turn>");
        w.text("system\n");
        if (options.thinking) {
            w.marker("<|think|>");
            w.text("\n");
            last = Last::Think;
        }
        if (hasSystem) {
            w.text(trim(joinedText(messages[0])));
            firstLoop = 1;
        }
        for (size_t i = 0; i < options.toolsJson.size(); ++i) {
            const std::string what = "number " + std::to_string(i + 1);
            w.marker("<|tool>");
            formatDeclaration(w, json::parse(options.toolsJson[i], "Tool declaration " + what), what);
            w.marker("<tool|>");
            last = Last::Tool;
        }
        w.marker("<turn|>");
        w.text("\n");
    }

    int lastUser = -1;
    for (size_t i = firstLoop; i < messages.size(); ++i)
        if (messages[i].role == Role::User)
            lastUser = static_cast<int>(i - firstLoop);

    for (size_t i = firstLoop; i < messages.size(); ++i) {
        const Message& m = messages[i];
        const int index = static_cast<int>(i - firstLoop);
        if (m.role == Role::Tool)
            continue; // written with the call it answers
        last = Last::None;
        const char* role = m.role == Role::System ? "system" : m.role == Role::User ? "user" : "model";
        bool previousWasModel = false;
        for (size_t j = i; j-- > firstLoop;) {
            if (messages[j].role != Role::Tool) {
                previousWasModel = messages[j].role == Role::Model;
                break;
            }
        }
        if (!(m.role == Role::Model && previousWasModel)) {
            w.marker("<|turn>");
            w.text(std::string(role) + "\n");
        }
        if (!m.reasoning.empty() && index > lastUser && !m.toolCalls.empty()) {
            w.marker("<|channel>");
            w.text("thought\n" + m.reasoning + "\n");
            w.marker("<channel|>");
        }
        for (const ToolCall& call : m.toolCalls) {
            w.marker("<|tool_call>");
            w.text("call:" + call.name + "{");
            const Value args = [&] {
                try {
                    return json::parse(call.argumentsJson, "The arguments of the call to " + call.name);
                } catch (const Error&) {
                    return Value(); // not JSON: written as it is, like the template does with strings
                }
            }();
            if (args.isObject()) {
                bool first = true;
                for (const auto* a : dictsort(args)) {
                    if (!first)
                        w.text(",");
                    first = false;
                    w.text(a->first + ":");
                    formatArgument(w, a->second, false);
                }
            } else {
                w.text(call.argumentsJson);
            }
            w.text("}");
            w.marker("<tool_call|>");
            last = Last::ToolCall;
        }
        bool wroteResponses = false;
        if (!m.toolCalls.empty()) {
            for (size_t k = i + 1; k < messages.size() && messages[k].role == Role::Tool; ++k) {
                const Message& t = messages[k];
                std::string name = t.toolName.empty() ? "unknown" : t.toolName;
                for (const ToolCall& call : m.toolCalls)
                    if (!call.id.empty() && call.id == t.toolCallId)
                        name = call.name;
                toolResponse(w, name, joinedText(t));
                wroteResponses = true;
                last = Last::ToolResponse;
            }
        }
        for (const Part& p : m.content) {
            switch (p.kind) {
            case Part::Kind::Text: w.text(m.role == Role::Model ? stripThinking(p.text) : trim(p.text)); break;
            case Part::Kind::Image: w.marker("<|image|>"); last = Last::Media; break;
            case Part::Kind::Audio: w.marker("<|audio|>"); last = Last::Media; break;
            case Part::Kind::Video: w.marker("<|video|>"); last = Last::Media; break;
            }
        }
        if (last == Last::ToolCall && !wroteResponses) {
            w.marker("<|tool_response>");
        } else if (!(wroteResponses && !hasContent(m))) {
            w.marker("<turn|>");
            w.text("\n");
        }
    }

    if (options.addGenerationPrompt && last != Last::ToolResponse && last != Last::ToolCall) {
        w.marker("<|turn>");
        w.text("model\n");
        if (!options.thinking && options.emptyThoughtWhenNotThinking) {
            w.marker("<|channel>");
            w.text("thought\n");
            w.marker("<channel|>");
        }
    }
    return w.take();
}

Prompt formatGemma3(const std::vector<Message>& messages, const Options& options)
{
    Writer w;
    w.marker("<bos>");
    size_t first = 0;
    std::string prefix;
    if (!messages.empty() && messages[0].role == Role::System) {
        const Message& s = messages[0];
        prefix = (s.content.empty() ? std::string() : s.content[0].text) + "\n\n";
        first = 1;
    }
    for (size_t i = first; i < messages.size(); ++i) {
        const Message& m = messages[i];
        const bool expectUser = (i - first) % 2 == 0;
        if ((m.role == Role::User) != expectUser || (m.role != Role::User && m.role != Role::Model))
            throw Error("Gemma 3 conversations must alternate user and model turns.");
        w.marker("<start_of_turn>");
        w.text(std::string(m.role == Role::User ? "user" : "model") + "\n" + (i == first ? prefix : ""));
        for (const Part& p : m.content) {
            if (p.kind == Part::Kind::Image)
                w.marker("<start_of_image>");
            else if (p.kind == Part::Kind::Text)
                w.text(trim(p.text));
            else
                throw Error("Gemma 3 models take no audio or video.");
        }
        w.marker("<end_of_turn>");
        w.text("\n");
    }
    if (options.addGenerationPrompt) {
        w.marker("<start_of_turn>");
        w.text("model\n");
    }
    return w.take();
}

} // namespace

std::string Prompt::render() const
{
    std::string s;
    for (const Segment& seg : segments)
        s += seg.text;
    return s;
}

namespace {
int32_t requireId(const Tokenizer& tokenizer, const std::string& piece)
{
    const int32_t id = tokenizer.pieceId(piece);
    if (id < 0)
        throw Error("This model's vocabulary has no " + piece + " token, which its chat format needs.");
    return id;
}
} // namespace

std::vector<int32_t> Prompt::tokens(const Tokenizer& tokenizer) const
{
    std::vector<int32_t> out;
    for (const Segment& seg : segments) {
        if (!seg.marker) {
            const auto ids = tokenizer.encode(seg.text);
            out.insert(out.end(), ids.begin(), ids.end());
            continue;
        }
        out.push_back(requireId(tokenizer, seg.text));
    }
    return out;
}

std::vector<int32_t> Prompt::tokens(const Tokenizer& tokenizer, const std::vector<uint32_t>& mediaTokens,
                                    std::vector<MediaSpan>& spans) const
{
    std::vector<int32_t> out;
    spans.clear();
    for (const Segment& seg : segments) {
        const bool image = seg.marker && seg.text == "<|image|>", audio = seg.marker && seg.text == "<|audio|>";
        if (!image && !audio) {
            const auto ids = seg.marker ? std::vector<int32_t>{requireId(tokenizer, seg.text)} : tokenizer.encode(seg.text);
            out.insert(out.end(), ids.begin(), ids.end());
            continue;
        }
        if (spans.size() >= mediaTokens.size())
            throw Error("The conversation holds more images and audio clips than were encoded.");
        const uint32_t n = mediaTokens[spans.size()];
        out.push_back(requireId(tokenizer, image ? "<|image>" : "<|audio>"));
        spans.push_back({uint32_t(out.size()), n});
        out.insert(out.end(), n, requireId(tokenizer, seg.text));
        out.push_back(requireId(tokenizer, image ? "<image|>" : "<audio|>"));
    }
    return out;
}

Family familyOf(const std::string& architecture)
{
    if (architecture == "gemma4")
        return Family::Gemma4;
    if (architecture == "gemma3")
        return Family::Gemma3;
    throw Error("Facet has no chat format for \"" + architecture + "\" models.");
}

Prompt format(Family family, const std::vector<Message>& messages, const Options& options)
{
    return family == Family::Gemma4 ? formatGemma4(messages, options) : formatGemma3(messages, options);
}

std::vector<int32_t> stopTokens(Family family, const Tokenizer& tokenizer)
{
    std::vector<int32_t> out;
    const std::vector<std::string> names = family == Family::Gemma4
        ? std::vector<std::string>{"<eos>", "<turn|>", "<|tool_response>"}
        : std::vector<std::string>{"<eos>", "<end_of_turn>"};
    for (const std::string& n : names)
        if (const int32_t id = tokenizer.pieceId(n); id >= 0)
            out.push_back(id);
    return out;
}

} // namespace facet::chat
