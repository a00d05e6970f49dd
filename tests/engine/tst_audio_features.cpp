// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Audio decoding and Gemma 4's log-mel front end against transformers'
// Gemma4AudioFeatureExtractor (tests/data/audio, from tools/reference/make_audio_fixtures.py):
// six 16 kHz clips (tone, chirp, vowel-like harmonics, noise, silence, an odd length).
// Tolerance: every feature within 1e-4 (absolute; log-mel values), frame count and
// valid-frame mask identical. The decoder also turns 44.1 kHz stereo into 16 kHz mono
// without exceeding full scale.
#include "facet/audio.h"
#include "facet/error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
        QVERIFY(meta.size() >= 6);
        for (auto it = meta.begin(); it != meta.end(); ++it) {
            const QJsonObject m = it.value().toObject();
            const std::vector<float> samples = decodeAudio((kDir + it.key() + ".wav").toStdString());
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
            QVERIFY2(worst <= 1e-4, qPrintable(it.key()));
        }
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
};

QTEST_GUILESS_MAIN(TestAudioFeatures)
#include "tst_audio_features.moc"
