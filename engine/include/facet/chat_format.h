// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace facet {
class Tokenizer;

// The chat formats of the two Gemma families, written in C++ after the official Jinja
// templates (Gemma 4: google-gemma-4-31B-it.jinja; Gemma 3: its tokenizer_config.json)
// and checked against them as rendered by transformers' apply_chat_template.
namespace chat {

enum class Role { System, User, Model, Tool };

struct Part {
    enum class Kind { Text, Image, Audio, Video };
    Kind kind = Kind::Text;
    std::string text;     // Text: the text; Image/Audio: the file
    uint32_t budget = 0;  // Image: soft-token budget (70..1120), 0 for the default
    // Audio already in memory (a recording): 16 kHz mono samples, used instead of a file.
    std::shared_ptr<const std::vector<float>> samples;
};

struct ToolCall {
    std::string id;
    std::string name;
    std::string argumentsJson; // a JSON object, or any other text sent as is
};

struct Message {
    Role role = Role::User;
    std::vector<Part> content;        // empty: no content at all
    std::string reasoning;            // a model turn's thinking (shown again only around tool calls)
    std::vector<ToolCall> toolCalls;  // Model
    std::string toolCallId, toolName; // Tool: which call this answers
};

struct Options {
    bool thinking = false;
    bool addGenerationPrompt = true;
    // 26B-A4B and 31B templates open the reply with an empty thought block when
    // thinking is off; the E2B/E4B templates do not.
    bool emptyThoughtWhenNotThinking = true;
    std::vector<std::string> toolsJson; // OpenAI-style {"type":"function","function":{...}}
};

// A prompt as text pieces and chat markers. Markers become their token by id; text is
// encoded as typed, so a marker spelled inside a message stays text.
struct Segment {
    bool marker = false;
    std::string text; // the marker's piece when `marker`
};

// Where one image's or audio clip's soft tokens go in the token list.
struct MediaSpan {
    uint32_t first = 0, count = 0;
};

struct Prompt {
    std::vector<Segment> segments;
    std::string render() const;                                 // as the Jinja template prints it
    std::vector<int32_t> tokens(const Tokenizer& tokenizer) const; // throws when a marker is missing
    // The same with every media placeholder expanded the way the processor does it:
    // <|image|> becomes <|image>, mediaTokens[i] × <|image|>, <image|> (audio alike),
    // media numbered in order of appearance; spans says where each one's rows go.
    std::vector<int32_t> tokens(const Tokenizer& tokenizer, const std::vector<uint32_t>& mediaTokens,
                                std::vector<MediaSpan>& spans) const;
};

// Which family's format a GGUF architecture uses: "gemma4" or "gemma3" (others throw).
enum class Family { Gemma3, Gemma4 };
Family familyOf(const std::string& architecture);

// Throws facet::Error for conversations the format cannot express (Gemma 3: roles that
// do not alternate; malformed tool JSON).
Prompt format(Family family, const std::vector<Message>& messages, const Options& options);

// Tokens that end a reply: <turn|>/<end_of_turn>, <eos>, and for Gemma 4 <|tool_response>.
std::vector<int32_t> stopTokens(Family family, const Tokenizer& tokenizer);

} // namespace chat
} // namespace facet
