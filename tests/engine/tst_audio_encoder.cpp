// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Gemma 4's audio encoder on the Vulkan device against transformers' Gemma4AudioModel +
// the audio embedder (tests/data/audio/encoder, written by
// tools/reference/make_audio_encoder_fixtures.py): a tiny random conformer (2 layers,
// 64 wide, clipped linears) on four clips, from 8 to 58 soft tokens (several attention
// chunks; a clip whose last frames are padding). Tolerance: the largest difference
// within 1e-3 of the largest embedding value (f32 throughout; the 1e-3 relative).
#include "facet/audio.h"
#include "facet/audio_encoder.h"
#include "facet/error.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace facet;

namespace {
const QString kDir = FACET_TEST_DATA "/audio/";

std::vector<float> readF32(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray b = f.readAll();
    std::vector<float> v(size_t(b.size()) / 4);
    std::memcpy(v.data(), b.constData(), v.size() * 4);
    return v;
}
} // namespace

class TestAudioEncoder : public QObject {
    Q_OBJECT

    std::unique_ptr<AudioEncoder> m_encoder;
    QJsonObject m_reference;

private slots:
    void initTestCase()
    {
        m_encoder = AudioEncoder::open((kDir + "encoder/encoder.gguf").toStdString());
        QFile f(kDir + "encoder/reference.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_reference = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(m_encoder->info().textHidden, uint32_t(m_reference["text_hidden"].toInt()));
        QCOMPARE(m_encoder->info().layers, 2u);
    }

    void matchesTransformers_data()
    {
        QTest::addColumn<QString>("clip");
        for (const QString& name : m_reference["clips"].toObject().keys())
            QTest::newRow(qPrintable(name)) << name;
    }

    void matchesTransformers()
    {
        QFETCH(QString, clip);
        const std::vector<float> samples = decodeAudio((kDir + clip + ".wav").toStdString());
        const uint32_t tokens = uint32_t(m_reference["clips"].toObject()[clip].toObject()["tokens"].toInt());
        QCOMPARE(audio::tokenCount(samples.size()), tokens);
        const std::vector<float> ours = m_encoder->encode(samples);
        const std::vector<float> ref = readF32(kDir + "encoder/" + clip + ".f32");
        QCOMPARE(ours.size(), ref.size());
        double maxRef = 0, maxDiff = 0;
        for (size_t i = 0; i < ref.size(); ++i) {
            maxRef = std::max(maxRef, double(std::abs(ref[i])));
            maxDiff = std::max(maxDiff, double(std::abs(ours[i] - ref[i])));
        }
        qInfo("%s: %u tokens, max |diff| %.3g of max |value| %.3g", qPrintable(clip), tokens, maxDiff, maxRef);
        QVERIFY2(maxDiff <= 1e-3 * maxRef, qPrintable(QString("relative %1").arg(maxDiff / maxRef)));
    }

    // The same weights from a Hugging Face folder (tests/data/vision/hf-encoders): per_dim_scale
    // before softplus, the depthwise kernel as [C, 1, K], transformers' names.
    void readsAHuggingFaceFolder()
    {
        const std::filesystem::path folder(FACET_TEST_DATA "/vision/hf-encoders");
        QVERIFY(AudioEncoder::present(folder));
        auto encoder = AudioEncoder::open(folder);
        QCOMPARE(encoder->info().heads, 4u);
        QCOMPARE(encoder->info().layers, 2u);
        const std::vector<float> ours = encoder->encode(decodeAudio((kDir + "chirp.wav").toStdString()));
        const std::vector<float> ref = readF32(kDir + "encoder/chirp.f32");
        QCOMPARE(ours.size(), ref.size());
        double maxRef = 0, maxDiff = 0;
        for (size_t i = 0; i < ref.size(); ++i) {
            maxRef = std::max(maxRef, double(std::abs(ref[i])));
            maxDiff = std::max(maxDiff, double(std::abs(ours[i] - ref[i])));
        }
        qInfo("HF folder: max |diff| %.3g of max |value| %.3g", maxDiff, maxRef);
        QVERIFY(maxDiff <= 1e-3 * maxRef);
    }

    // Spec §2.7's table (transformers' processor arithmetic).
    void tokenCounts()
    {
        QCOMPARE(audio::tokenCount(1600), 3u);
        QCOMPARE(audio::tokenCount(8000), 13u);
        QCOMPARE(audio::tokenCount(16000), 25u);
        QCOMPARE(audio::tokenCount(80000), 125u);
        QCOMPARE(audio::tokenCount(480000), 750u);
        QCOMPARE(audio::tokenCount(160), 0u);
        QCOMPARE(audio::tokenCount(161), 1u);
    }

    void longClipsSplitIntoThirtySecondSegments()
    {
        const std::vector<float> clip(size_t(70.5 * 16000), 0.0f);
        const auto parts = audio::segments(clip);
        QCOMPARE(parts.size(), size_t(3));
        QCOMPARE(parts[0].size(), audio::kSegmentSamples);
        QCOMPARE(parts[2].size(), size_t(10.5 * 16000));
        // A remainder too short for one token is dropped, not sent as an empty clip.
        QCOMPARE(audio::segments(std::vector<float>(audio::kSegmentSamples + 100)).size(), size_t(1));
    }

    void refusesBadInput()
    {
        const auto sentence = [](auto&& call) {
            try {
                call();
            } catch (const Error& e) {
                return QString::fromUtf8(e.what());
            }
            return QString();
        };
        QCOMPARE(sentence([&] { m_encoder->encode(std::vector<float>(100)); }),
                 QString("The audio clip is too short to hear anything."));
        QCOMPARE(sentence([&] { m_encoder->encode(std::vector<float>(audio::kSegmentSamples + 1)); }),
                 QString("An audio segment is longer than the encoder's 30 seconds."));
        QCOMPARE(sentence([] { AudioEncoder::open(std::filesystem::path(FACET_TEST_DATA "/vision/encoder/ondevice.gguf")); }),
                 QString("ondevice.gguf has no audio encoder."));
        QVERIFY(!AudioEncoder::present(FACET_TEST_DATA "/vision/encoder/ondevice.gguf"));
        QVERIFY(AudioEncoder::present((kDir + "encoder/encoder.gguf").toStdString()));
        QVERIFY(!AudioEncoder::present(FACET_TEST_DATA "/audio/tone-440hz.wav"));
    }
};

QTEST_GUILESS_MAIN(TestAudioEncoder)
#include "tst_audio_encoder.moc"
