// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/chat_session.h"

#include "facet/error.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

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

void ChatSession::setAudio(std::unique_ptr<AudioEncoder> encoder)
{
    if (encoder && encoder->info().textHidden != m_model->info().hidden)
        throw Error(encoder->info().fileName + " projects audio to " + std::to_string(encoder->info().textHidden) +
                    " wide soft tokens, but " + m_model->info().fileName + " is " + std::to_string(m_model->info().hidden) +
                    " wide: the projector belongs to another model.");
    m_audio = std::move(encoder);
    m_audioRows.clear();
}

const std::vector<std::vector<float>>& ChatSession::audioRows(const chat::Part& part)
{
    std::string key;
    if (part.samples) {
        // A recording has no file: its content names it (FNV-1a over the samples).
        uint64_t h = 1469598103934665603ull;
        for (float v : *part.samples) {
            uint32_t bits;
            std::memcpy(&bits, &v, 4);
            h = (h ^ bits) * 1099511628211ull;
        }
        key = "recording:" + std::to_string(h) + ":" + std::to_string(part.samples->size());
    } else {
        key = "file:" + part.text;
    }
    if (auto it = m_audioRows.find(key); it != m_audioRows.end())
        return it->second;
    if (m_family != chat::Family::Gemma4)
        throw Error("Gemma 3 models take no audio; choose a Gemma 4 E2B or E4B model.");
    if (!m_audio)
        throw Error(m_model->info().perLayerEmbeddings
                        ? "This model has no audio encoder loaded: choose its mmproj file in Settings to use audio."
                        : "This model does not hear audio: only Gemma 4 E2B and E4B do.");
    std::vector<float> decoded;
    if (!part.samples)
        decoded = decodeAudio(part.text);
    const std::span<const float> samples = part.samples ? std::span<const float>(*part.samples) : std::span<const float>(decoded);
    const auto pieces = audio::segments(samples);
    if (pieces.empty())
        throw Error("The audio clip is too short to hear anything.");
    std::vector<std::vector<float>> rows;
    for (const auto& piece : pieces)
        rows.push_back(m_audio->encode(piece));
    return m_audioRows.emplace(key, std::move(rows)).first->second;
}

ReplyStats ChatSession::transcribe(std::span<const float> samples, const std::string& language, uint32_t maxTokens,
                                   const TextSink& sink, const std::function<bool()>& cancelled)
{
    // Gemma 4's speech-recognition prompt (model card); the clip comes first.
    const std::string lang = language.empty() ? "English" : language;
    const std::string instruction = "Transcribe the following speech segment in " + lang + " into " + lang +
                                    " text.\n\nFollow these specific instructions for formatting the answer:\n"
                                    "* Only output the transcription, with no newlines.\n"
                                    "* When transcribing numbers, write the digits, i.e. write 1.7 and not one point seven, "
                                    "and write 3 instead of three.";
    chat::Part clip{chat::Part::Kind::Audio, {}, 0, std::make_shared<const std::vector<float>>(samples.begin(), samples.end())};
    const std::vector<chat::Message> conversation{
        chat::Message{chat::Role::User, {clip, chat::Part{chat::Part::Kind::Text, instruction}}, {}, {}, {}, {}}};
    return generate(conversation, options(false), maxTokens, sink, cancelled);
}

ReplyStats ChatSession::generate(const std::vector<chat::Message>& conversation, const chat::Options& options, uint32_t maxTokens,
                                 const TextSink& sink, const std::function<bool()>& cancelled)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    // Media rows in order of appearance; an audio clip is one entry per 30 s segment.
    std::vector<const std::vector<float>*> media;
    std::vector<uint32_t> mediaTokens;
    std::vector<size_t> audioSegments;
    std::vector<bool> isImage;
    for (const chat::Message& m : conversation)
        for (const chat::Part& part : m.content) {
            if (part.kind == chat::Part::Kind::Video)
                throw Error("Facet does not take video yet.");
            if (part.kind == chat::Part::Kind::Image)
                media.push_back(&imageRows(part));
            if (part.kind == chat::Part::Kind::Audio) {
                const auto& segments = audioRows(part);
                audioSegments.push_back(segments.size());
                for (const auto& rows : segments)
                    media.push_back(&rows);
            }
            if (part.kind == chat::Part::Kind::Image || part.kind == chat::Part::Kind::Audio)
                while (mediaTokens.size() < media.size()) {
                    mediaTokens.push_back(uint32_t(media[mediaTokens.size()]->size() / m_model->info().hidden));
                    isImage.push_back(part.kind == chat::Part::Kind::Image);
                }
        }
    chat::Prompt rendered = chat::format(m_family, conversation, options);
    if (!audioSegments.empty()) {
        // Each segment gets its own <|audio> … <audio|>: repeat the clip's placeholder.
        std::vector<chat::Segment> expanded;
        size_t clip = 0;
        for (chat::Segment& seg : rendered.segments) {
            const bool audio = seg.marker && seg.text == "<|audio|>";
            const size_t copies = audio && clip < audioSegments.size() ? audioSegments[clip++] : 1;
            for (size_t c = 0; c < copies; ++c)
                expanded.push_back(seg);
        }
        rendered.segments = std::move(expanded);
    }
    std::vector<chat::MediaSpan> spans;
    const std::vector<int32_t> prompt = rendered.tokens(m_tokenizer, mediaTokens, spans);
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
            soft.push_back({spans[i].first - from, spans[i].count, *media[i], isImage[i]});
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
