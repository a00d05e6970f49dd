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

void ChatSession::setVision(std::unique_ptr<VisionEncoder> encoder)
{
    if (encoder && encoder->info().textHidden != m_model->info().hidden)
        throw Error(encoder->info().fileName + " projects images to " + std::to_string(encoder->info().textHidden) +
                    " wide soft tokens, but " + m_model->info().fileName + " is " + std::to_string(m_model->info().hidden) +
                    " wide: the projector belongs to another model.");
    m_vision = std::move(encoder);
    m_imageRows.clear();
}

const std::vector<float>& ChatSession::imageRows(const chat::Part& part)
{
    const uint32_t budget = part.budget ? part.budget : 280;
    const std::string key = part.text + "@" + std::to_string(budget);
    if (auto it = m_imageRows.find(key); it != m_imageRows.end())
        return it->second;
    if (m_family != chat::Family::Gemma4)
        throw Error("Gemma 3 models take no images in Facet; choose a Gemma 4 model.");
    if (!m_vision)
        throw Error("This model has no vision encoder loaded: choose its mmproj file in Settings to use images.");
    const auto patches = vision::preprocess(decodeImage(part.text), budget);
    return m_imageRows.emplace(key, m_vision->encode(patches)).first->second;
}

ReplyStats ChatSession::generate(const std::vector<chat::Message>& conversation, const chat::Options& options, uint32_t maxTokens,
                                 const TextSink& sink, const std::function<bool()>& cancelled)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    std::vector<const std::vector<float>*> media;
    std::vector<uint32_t> mediaTokens;
    for (const chat::Message& m : conversation)
        for (const chat::Part& part : m.content) {
            if (part.kind == chat::Part::Kind::Audio || part.kind == chat::Part::Kind::Video)
                throw Error("Facet does not take audio or video yet.");
            if (part.kind == chat::Part::Kind::Image) {
                media.push_back(&imageRows(part));
                mediaTokens.push_back(uint32_t(media.back()->size() / m_model->info().hidden));
            }
        }
    std::vector<chat::MediaSpan> spans;
    const std::vector<int32_t> prompt = chat::format(m_family, conversation, options).tokens(m_tokenizer, mediaTokens, spans);
    ReplyStats stats;
    stats.promptTokens = static_cast<uint32_t>(prompt.size());
    const uint32_t capacity = m_model->info().contextLength;
    if (prompt.size() >= capacity) {
        stats.contextFull = true;
        return stats;
    }

    // Keep the context when it is a prefix of the new prompt (the usual next turn), but
    // always feed at least one token so there are logits to continue from.
    bool reusable = m_context.size() < prompt.size() && std::equal(m_context.begin(), m_context.end(), prompt.begin());
    for (const chat::MediaSpan& span : spans) // an image cut by the reuse point is fed again whole
        reusable = reusable && !(span.first < m_context.size() && span.first + span.count > m_context.size());
    if (!reusable) {
        m_model->reset();
        m_context.clear();
    }
    stats.reusedTokens = static_cast<uint32_t>(m_context.size());
    const uint32_t from = uint32_t(m_context.size());
    const std::span<const int32_t> fresh(prompt.data() + from, prompt.size() - from);
    std::vector<SoftTokens> soft;
    for (size_t i = 0; i < spans.size(); ++i)
        if (spans[i].first >= from)
            soft.push_back({spans[i].first - from, spans[i].count, *media[i]});
    int32_t next = m_model->prefill(fresh, soft);
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
