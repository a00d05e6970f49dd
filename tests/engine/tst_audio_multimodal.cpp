// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Audio in the prompt. First against transformers (tests/data/audio/multimodal, from
// tools/reference/make_audio_multimodal_fixtures.py): a tiny E2B-like Gemma 4 with a
// 2.3 s clip (58 soft tokens) between <|audio> and <audio|>; the soft tokens replace the
// placeholders' embeddings, their per-layer embeddings come from the pad token, the
// decoder runs causally. Tolerance: every logit of the 69-token prompt within 1e-3 of
// transformers' (absolute; logits are soft-capped at ±30), the 16-token greedy
// continuation identical. Then through ChatSession on a tiny chat model with the real
// vocabulary (built at test time by tools/reference/make_audio_chat_model.py): 30 s
// segments, each between its own markers; dictation; plain sentences for models that
// cannot hear.
#include "facet/audio.h"
#include "facet/audio_encoder.h"
#include "facet/chat_session.h"
#include "facet/error.h"
#include "facet/text_model.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace facet;

namespace {
const QString kDir = FACET_TEST_DATA "/audio/multimodal/";
const QString kChat = FACET_AUDIO_CHAT_MODEL_DIR;

QString sentence(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}
} // namespace

class TestAudioMultimodal : public QObject {
    Q_OBJECT

    std::unique_ptr<ChatSession> chatSession()
    {
        if (!QFile::exists(kChat + "/model.gguf"))
            return nullptr;
        auto session = std::make_unique<ChatSession>(TextModel::open((kChat + "/model.gguf").toStdString()));
        session->setAudio(AudioEncoder::open((kChat + "/mmproj.gguf").toStdString()));
        return session;
    }

private slots:
    void audioInThePromptMatchesTransformers()
    {
        QFile rf(kDir + "reference.json");
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QJsonObject ref = QJsonDocument::fromJson(rf.readAll()).object();
        std::vector<int32_t> prompt;
        for (const QJsonValue v : ref["prompt"].toArray())
            prompt.push_back(v.toInt());
        const uint32_t first = uint32_t(ref["audio_first"].toInt()), count = uint32_t(ref["audio_tokens"].toInt());
        auto encoder = AudioEncoder::open((kDir + "mmproj.gguf").toStdString());
        const std::vector<float> samples = decodeAudio((FACET_TEST_DATA "/audio/" + ref["clip"].toString()).toStdString());
        const std::vector<float> rows = encoder->encode(samples);
        QCOMPARE(audio::tokenCount(samples.size()), count);
        TextModelOptions opts;
        opts.f32KvCache = true;
        auto model = TextModel::open((kDir + "model.gguf").toStdString(), opts);
        QCOMPARE(encoder->info().textHidden, model->info().hidden);
        std::vector<float> logits;
        const SoftTokens clip{first, count, rows};
        int32_t next = model->prefill(prompt, {&clip, 1}, &logits);
        QFile lf(kDir + "logits.f32");
        QVERIFY(lf.open(QIODevice::ReadOnly));
        const QByteArray raw = lf.readAll();
        QCOMPARE(size_t(raw.size()), logits.size() * 4);
        const float* expected = reinterpret_cast<const float*>(raw.constData());
        double worst = 0;
        for (size_t i = 0; i < logits.size(); ++i)
            worst = std::max(worst, double(std::abs(logits[i] - expected[i])));
        qInfo("max |logit diff| over %zu prompt positions: %.3g", prompt.size(), worst);
        QVERIFY2(worst <= 1e-3, qPrintable(QString::number(worst)));
        std::vector<int32_t> greedy, want;
        for (const QJsonValue v : ref["greedy"].toArray()) {
            want.push_back(v.toInt());
            greedy.push_back(next);
            next = model->decode(next);
        }
        QCOMPARE(greedy, want);
    }

    // A 65 s clip is three segments (750 + 750 + 125 soft tokens), each between its own
    // <|audio> and <audio|>; the same conversation again reuses the encoded rows.
    void longClipsGoInAsSegments()
    {
        auto session = chatSession();
        if (!session)
            QSKIP("the tiny chat model was not built (needs shared/data's Gemma vocabulary)");
        auto samples = std::make_shared<std::vector<float>>(size_t(65 * audio::kSampleRate));
        for (size_t i = 0; i < samples->size(); ++i)
            (*samples)[i] = 0.3f * std::sin(float(i) * 0.05f);
        chat::Part clip{chat::Part::Kind::Audio, {}, 0, samples};
        const std::vector<chat::Message> withClip{{chat::Role::User, {clip, {chat::Part::Kind::Text, "Hi"}}, {}, {}, {}, {}}};
        const std::vector<chat::Message> without{{chat::Role::User, {{chat::Part::Kind::Text, "Hi"}}, {}, {}, {}, {}}};
        const auto none = [](std::string_view, bool) {};
        const ReplyStats a = session->generate(withClip, session->options(false), 1, none);
        const ReplyStats b = session->generate(without, session->options(false), 1, none);
        // Three segments: 750 + 750 + 125 placeholders plus a begin and an end marker each.
        QCOMPARE(a.promptTokens - b.promptTokens, 750u + 750u + 125u + 3 * 2);
    }

    void dictationStreamsText()
    {
        auto session = chatSession();
        if (!session)
            QSKIP("the tiny chat model was not built (needs shared/data's Gemma vocabulary)");
        const std::vector<float> samples = decodeAudio(FACET_TEST_DATA "/audio/chirp.wav");
        std::string text;
        const ReplyStats stats =
            session->transcribe(samples, "English", 6, [&](std::string_view t, bool thinking) {
                QVERIFY(!thinking);
                text += t;
            });
        QCOMPARE(stats.tokens, 6u);
        QVERIFY(!text.empty());
        // Greedy: the same clip gives the same words.
        std::string again;
        session->transcribe(samples, "English", 6, [&](std::string_view t, bool) { again += t; });
        QCOMPARE(again, text);
    }

    void modelsThatCannotHearSaySo()
    {
        if (!QFile::exists(kChat + "/model.gguf"))
            QSKIP("the tiny chat model was not built (needs shared/data's Gemma vocabulary)");
        ChatSession noEncoder(TextModel::open((kChat + "/model.gguf").toStdString()));
        const std::vector<float> samples(16000, 0.0f);
        QCOMPARE(sentence([&] { noEncoder.transcribe(samples, {}, 4, [](std::string_view, bool) {}); }),
                 QString("This model has no audio encoder loaded: choose its mmproj file in Settings to use audio."));
        auto session = chatSession();
        QCOMPARE(sentence([&] { session->transcribe(std::vector<float>(100), {}, 4, [](std::string_view, bool) {}); }),
                 QString("The audio clip is too short to hear anything."));
        const std::vector<chat::Message> missing{
            {chat::Role::User, {{chat::Part::Kind::Audio, "/nonexistent/clip.wav"}}, {}, {}, {}, {}}};
        QVERIFY(!sentence([&] { session->generate(missing, session->options(false), 4, [](std::string_view, bool) {}); }).isEmpty());
        // The session still works afterwards.
        std::string text;
        session->transcribe(samples, {}, 2, [&](std::string_view t, bool) { text += t; });
    }
};

QTEST_GUILESS_MAIN(TestAudioMultimodal)
#include "tst_audio_multimodal.moc"
