// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/audio_encoder.h"
#include "facet/chat_format.h"
#include "facet/text_model.h"
#include "facet/tokenizer.h"
#include "facet/vision_encoder.h"

#include <atomic>
#include <functional>
#include <map>
#include <string_view>

namespace facet {

// Where the bundled demo model lives: $XDG_DATA_HOME/Facet/models (default
// ~/.local/share/Facet/models), as tools/dev.sh run puts it there.
std::filesystem::path defaultModelPath();

struct ReplyStats {
    uint32_t promptTokens = 0;  // of the whole conversation
    uint32_t reusedTokens = 0;  // already in the context from the turn before
    uint32_t tokens = 0;        // generated
    double firstTokenMs = 0;    // from the call to the first text
    double tokensPerSecond = 0; // decode speed after the first token
    bool endOfTurn = false;     // the model ended its reply
    bool cancelled = false;
    bool contextFull = false;
};

// One model, its tokenizer and chat format, and the context of the conversation being
// continued. generate() renders the conversation, feeds only what the context does not
// hold yet, and streams the reply: whole UTF-8 characters, thinking (the thought
// channel) apart from the answer, until an end-of-turn token, max tokens, a full
// context, or `cancelled` saying so. One thread drives it.
class ChatSession {
public:
    // Throws facet::Error (the file's tokenizer, or an architecture with no chat format).
    explicit ChatSession(std::unique_ptr<TextModel> model);

    TextModel& model() { return *m_model; }
    // Images in the conversation go through this encoder (the model's mmproj); without
    // one, a conversation with an image gets a plain sentence.
    // Throws facet::Error when the encoder projects to another width (another model's).
    void setVision(std::unique_ptr<VisionEncoder> encoder);
    bool hasVision() const { return m_vision != nullptr; }
    // Audio in the conversation goes through this encoder (E2B/E4B mmproj); without one,
    // a conversation with audio gets a plain sentence. Throws like setVision.
    void setAudio(std::unique_ptr<AudioEncoder> encoder);
    bool hasAudio() const { return m_audio != nullptr; }
    const Tokenizer& tokenizer() const { return m_tokenizer; }
    chat::Family family() const { return m_family; }
    // Options for this model's format (E2B/E4B open replies without an empty thought).
    chat::Options options(bool thinking) const;

    using TextSink = std::function<void(std::string_view text, bool thinking)>;
    ReplyStats generate(const std::vector<chat::Message>& conversation, const chat::Options& options, uint32_t maxTokens,
                        const TextSink& sink, const std::function<bool()>& cancelled = {});

    // Dictation: a one-turn conversation with the clip and the transcription prompt in
    // `language` (an English language name, "English" when empty); streams the words.
    ReplyStats transcribe(std::span<const float> samples, const std::string& language, uint32_t maxTokens,
                          const TextSink& sink, const std::function<bool()>& cancelled = {});

private:
    std::unique_ptr<TextModel> m_model;
    Tokenizer m_tokenizer;
    chat::Family m_family;
    std::vector<int32_t> m_stop;
    int32_t m_channelOpen = -1, m_channelClose = -1;
    std::vector<int32_t> m_context; // tokens the model's context holds, in order
    std::unique_ptr<VisionEncoder> m_vision;
    // Soft tokens of images already encoded, by file and budget: a conversation sends its
    // images again every turn.
    std::map<std::string, std::vector<float>> m_imageRows;
    const std::vector<float>& imageRows(const chat::Part& part);
    std::unique_ptr<AudioEncoder> m_audio;
    // Soft tokens of audio already encoded, one entry per 30 s segment, by file or by
    // the recording's content.
    std::map<std::string, std::vector<std::vector<float>>> m_audioRows;
    const std::vector<std::vector<float>>& audioRows(const chat::Part& part);
};

} // namespace facet
