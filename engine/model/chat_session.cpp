// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/chat_session.h"

#include "facet/error.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace facet {

std::filesystem::path defaultModelPath()
{
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = std::filesystem::path(home) / ".local/share";
    return base / "Facet/models/gemma-3-270m-q4_k_m.gguf";
}

namespace {
Tokenizer tokenizerOf(const TextModelInfo& info)
{
    if (std::filesystem::is_directory(info.path))
        throw Error(info.fileName + " is a Hugging Face folder; chatting needs a GGUF file, which carries the tokenizer.");
    return Tokenizer::fromGguf(info.path);
}
} // namespace

ChatSession::ChatSession(std::unique_ptr<TextModel> model)
    : m_model(std::move(model))
    , m_tokenizer(tokenizerOf(m_model->info()))
    , m_family(chat::familyOf(m_model->info().architecture))
    , m_stop(chat::stopTokens(m_family, m_tokenizer))
    , m_channelOpen(m_tokenizer.pieceId("<|channel>"))
    , m_channelClose(m_tokenizer.pieceId("<channel|>"))
{
}

chat::Options ChatSession::options(bool thinking) const
{
    chat::Options o;
    o.thinking = thinking;
    o.emptyThoughtWhenNotThinking = !m_model->info().perLayerEmbeddings;
    return o;
}

ReplyStats ChatSession::generate(const std::vector<chat::Message>& conversation, const chat::Options& options, uint32_t maxTokens,
                                 const TextSink& sink, const std::function<bool()>& cancelled)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const std::vector<int32_t> prompt = chat::format(m_family, conversation, options).tokens(m_tokenizer);
    ReplyStats stats;
    stats.promptTokens = static_cast<uint32_t>(prompt.size());
    const uint32_t capacity = m_model->info().contextLength;
    if (prompt.size() >= capacity) {
        stats.contextFull = true;
        return stats;
    }

    // Keep the context when it is a prefix of the new prompt (the usual next turn), but
    // always feed at least one token so there are logits to continue from.
    const bool reusable = m_context.size() < prompt.size() && std::equal(m_context.begin(), m_context.end(), prompt.begin());
    if (!reusable) {
        m_model->reset();
        m_context.clear();
    }
    stats.reusedTokens = static_cast<uint32_t>(m_context.size());
    const std::span<const int32_t> fresh(prompt.data() + m_context.size(), prompt.size() - m_context.size());
    int32_t next = m_model->prefill(fresh);
    m_context = prompt;

    Utf8Stream utf8;
    bool thinking = false;
    // After <|channel> the model names the channel ("thought\n"); that line is not thinking text.
    bool skipChannelName = false;
    std::string pendingName;
    Clock::time_point firstAt{};
    const auto emit = [&](const std::string& text) {
        if (text.empty())
            return;
        if (stats.tokens > 0 && firstAt == Clock::time_point{})
            firstAt = Clock::now();
        sink(text, thinking);
    };
    while (true) {
        if (std::find(m_stop.begin(), m_stop.end(), next) != m_stop.end()) {
            stats.endOfTurn = true;
            break;
        }
        ++stats.tokens;
        if (next == m_channelOpen && m_channelOpen >= 0) {
            emit(utf8.push({}));
            thinking = true;
            skipChannelName = true;
            pendingName.clear();
        } else if (next == m_channelClose && m_channelClose >= 0) {
            emit(utf8.finish());
            thinking = false;
            skipChannelName = false;
        } else if (skipChannelName) {
            pendingName += m_tokenizer.vocabulary().bytes(next);
            if (const size_t nl = pendingName.find('\n'); nl != std::string::npos) {
                skipChannelName = false;
                emit(utf8.push(pendingName.substr(nl + 1)));
            }
        } else {
            emit(utf8.push(m_tokenizer.vocabulary().bytes(next)));
        }
        if (stats.tokens == 1 && firstAt == Clock::time_point{})
            firstAt = Clock::now();
        if (cancelled && cancelled()) {
            stats.cancelled = true;
            break;
        }
        if (stats.tokens >= maxTokens)
            break;
        if (m_context.size() + 1 >= capacity) {
            stats.contextFull = true;
            break;
        }
        m_context.push_back(next);
        next = m_model->decode(next);
    }
    emit(utf8.finish());
    const auto end = Clock::now();
    const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    stats.firstTokenMs = firstAt == Clock::time_point{} ? ms(end - start) : ms(firstAt - start);
    if (stats.tokens > 1 && firstAt != Clock::time_point{}) {
        const double s = ms(end - firstAt) / 1000.0;
        stats.tokensPerSecond = s > 0 ? (stats.tokens - 1) / s : 0;
    }
    return stats;
}

} // namespace facet
