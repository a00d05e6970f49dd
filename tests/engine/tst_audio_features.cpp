// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Audio decoding and Gemma 4's log-mel front end against transformers'
// Gemma4AudioFeatureExtractor (tests/data/audio, from tools/reference/make_audio_fixtures.py):
// nine clips: 16 kHz WAV (tone, chirp, vowel-like harmonics, noise, silence, an odd
// length, espeak-ng speech), the speech as MP3 (reference samples from PyAV's decoder),
// and 44.1 kHz stereo at 0.99 of full scale (reference: halved-and-summed downmix,
// PyAV's libswresample to 16 kHz; see the script for why that resampler).
// Also the speech as FLAC, Ogg/Opus and M4A/AAC. Tolerance: every feature within 1e-4
// (absolute; log-mel values), 1e-3 for the AAC clip whose reference decoder is another
// FFmpeg version's; sample count, frame count and valid-frame mask identical. The
// stereo downmix never exceeds full scale.
#include "facet/audio.h"
#include "facet/error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace facet;

namespace {
const QString kDir = FACET_TEST_DATA "/audio/";
}

class TestAudioFeatures : public QObject {
    Q_OBJECT

private slots:
    void matchesTransformers()
    {
        QFile mf(kDir + "mel.json");
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonObject meta = QJsonDocument::fromJson(mf.readAll()).object();
        QVERIFY(meta.size() >= 12);
        QStringList beyond;
        for (auto it = meta.begin(); it != meta.end(); ++it) {
            const QJsonObject m = it.value().toObject();
            const std::vector<float> samples = decodeAudio((kDir + m["file"].toString()).toStdString());
            QCOMPARE(int(samples.size()), m["samples"].toInt());
            const audio::Features f = audio::logMel(samples);
            QCOMPARE(int(f.frames), m["frames"].toInt());
            const QJsonArray valid = m["valid"].toArray();
            for (uint32_t i = 0; i < f.frames; ++i)
                QCOMPARE(int(f.valid[i]), valid[int(i)].toInt());
            QFile ff(kDir + it.key() + ".mel.f32");
            QVERIFY(ff.open(QIODevice::ReadOnly));
            const QByteArray raw = ff.readAll();
            QCOMPARE(size_t(raw.size()), f.values.size() * 4);
            const float* ref = reinterpret_cast<const float*>(raw.constData());
            double worst = 0;
            for (size_t i = 0; i < f.values.size(); ++i)
                worst = std::max(worst, double(std::abs(f.values[i] - ref[i])));
            qInfo("%s: %u frames, max |diff| %.3g", qPrintable(it.key()), f.frames, worst);
            // 1e-4 unless the clip says otherwise (AAC, 1e-3: two FFmpeg versions' decoders
            // differ; see make_audio_fixtures.py).
            if (worst > m["tolerance"].toDouble(1e-4))
                beyond << it.key();
        }
        QVERIFY2(beyond.isEmpty(), qPrintable(beyond.join(", ")));
    }

    void downmixesAndResamples()
    {
        const std::vector<float> s = decodeAudio((kDir + "stereo-44k.wav").toStdString());
        QVERIFY2(std::abs(double(s.size()) - 1.2 * 16000) < 64, qPrintable(QString::number(s.size())));
        float peak = 0;
        for (float v : s)
            peak = std::max(peak, std::abs(v));
        QVERIFY2(peak <= 1.0f, qPrintable(QString::number(peak)));
        QVERIFY(peak > 0.9f);
    }

    void refusesWhatIsNotAudio()
    {
        try {
            decodeAudio(std::filesystem::path(FACET_TEST_DATA "/vision/images/tiny-64x64.png"));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), QString("tiny-64x64.png has no sound in it."));
        }
        try {
            decodeAudio(std::filesystem::path(FACET_TEST_DATA "/audio/none.wav"));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), QString("none.wav does not exist."));
        }
    }
    // Broken and unusual input: one sentence each, silence is fine.
    void answersBadFilesWithOneSentence()
    {
        QTemporaryDir dir;
        const auto sentence = [](const QString& path) {
            try {
                decodeAudio(path.toStdString());
            } catch (const Error& e) {
                return QString::fromUtf8(e.what());
            }
            return QString();
        };
        const auto writeFile = [&](const QString& name, const QByteArray& bytes) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(bytes);
            return dir.filePath(name);
        };
        // A canonical WAV header for `samples` 8-bit samples at `rate` Hz, mono.
        const auto wavHeader = [](quint32 rate, quint32 samples) {
            QByteArray h;
            const auto u32 = [&](quint32 v) { for (int i = 0; i < 4; ++i) h.append(char((v >> (8 * i)) & 0xFF)); };
            const auto u16 = [&](quint16 v) { h.append(char(v & 0xFF)); h.append(char(v >> 8)); };
            h += "RIFF"; u32(36 + samples); h += "WAVEfmt "; u32(16); u16(1); u16(1); u32(rate); u32(rate); u16(1); u16(8);
            h += "data"; u32(samples);
            return h;
        };
        QCOMPARE(sentence(writeFile("notes.wav", "These are words, not sound.\n")),
                 QString("notes.wav is not audio Facet can read (WAV, FLAC, MP3, OGG/Opus or M4A)."));
        QCOMPARE(sentence(writeFile("empty.wav", wavHeader(16000, 0))), QString("empty.wav holds no sound: it decodes to zero samples."));
        // Two hours and a second of 8-bit sound at 1 kHz (7 MB): refused from its stated length.
        const quint32 n = (2 * 3600 + 1) * 1000;
        QCOMPARE(sentence(writeFile("long.wav", wavHeader(1000, n) + QByteArray(int(n), char(128)))),
                 QString("long.wav is longer than two hours; Facet takes shorter clips."));
        // A cut-off MP3 decodes as far as it goes.
        QFile mp3(kDir + "speech.mp3");
        QVERIFY(mp3.open(QIODevice::ReadOnly));
        const QByteArray whole = mp3.readAll();
        const std::vector<float> half = decodeAudio(writeFile("cut.mp3", whole.left(whole.size() / 2)).toStdString());
        QVERIFY(!half.empty() && half.size() < decodeAudio((kDir + "speech.mp3").toStdString()).size());
        QCOMPARE(sentence(writeFile("cut-header.mp3", whole.left(20))),
                 QString("cut-header.mp3 is not audio Facet can read (WAV, FLAC, MP3, OGG/Opus or M4A)."));
        // Silence is sound too.
        const std::vector<float> silence = decodeAudio((kDir + "silence.wav").toStdString());
        QCOMPARE(silence.size(), size_t(8000));
    }
};

QTEST_GUILESS_MAIN(TestAudioFeatures)
#include "tst_audio_features.moc"
