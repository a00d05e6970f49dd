// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Both kinds of Gemma 4 vision encoder on the Vulkan device against transformers'
// Gemma4VisionModel + multimodal embedder (tests/data/vision/encoder, written by
// tools/reference/make_vision_fixtures.py): tiny random encoders, one 64×64 image at
// budget 70 (576 patches, 64 soft tokens). Tolerance: the largest difference within
// 1e-3 of the largest embedding value (f32 throughout; the spec's 1e-3 relative).
#include "facet/error.h"
#include "facet/image.h"
#include "facet/vision_encoder.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace facet;

namespace {
const QString kDir = FACET_TEST_DATA "/vision/";

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

class TestVisionEncoder : public QObject {
    Q_OBJECT

private slots:
    void matchesTransformers_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("E2B/E4B kind: clipped linears") << "ondevice";
        QTest::newRow("26B/31B kind: standardized") << "large";
    }

    void matchesTransformers()
    {
        QFETCH(QString, kind);
        auto encoder = VisionEncoder::open((kDir + "encoder/" + kind + ".gguf").toStdString());
        QCOMPARE(encoder->info().clippedLinears, kind == "ondevice");
        QCOMPARE(encoder->info().standardize, kind == "large");
        const RgbImage image = decodeImage((kDir + "images/tiny-64x64.png").toStdString());
        const auto patches = vision::preprocess(image, 70);
        QCOMPARE(patches.softTokens(), 64u);
        const std::vector<float> ours = encoder->encode(patches);
        const std::vector<float> ref = readF32(kDir + "encoder/" + kind + "-embeddings.f32");
        QCOMPARE(ours.size(), ref.size());
        double maxRef = 0, maxDiff = 0;
        for (size_t i = 0; i < ref.size(); ++i) {
            maxRef = std::max(maxRef, double(std::abs(ref[i])));
            maxDiff = std::max(maxDiff, double(std::abs(ours[i] - ref[i])));
        }
        qInfo("%s: max |diff| %.3g of max |value| %.3g", qPrintable(kind), maxDiff, maxRef);
        QVERIFY2(maxDiff <= 1e-3 * maxRef, qPrintable(QString("relative %1").arg(maxDiff / maxRef)));
    }

    // The same E2B-kind weights from a Hugging Face folder (tests/data/vision/hf-encoders,
    // make_hf_encoder_fixtures.py): transformers' names, the patch projection as a linear.
    void readsAHuggingFaceFolder()
    {
        auto encoder = VisionEncoder::open(std::filesystem::path(FACET_TEST_DATA "/vision/hf-encoders"));
        QVERIFY(encoder->info().clippedLinears);
        QCOMPARE(encoder->info().heads, 4u);
        const auto patches = vision::preprocess(decodeImage((kDir + "images/tiny-64x64.png").toStdString()), 70);
        const std::vector<float> ours = encoder->encode(patches);
        const std::vector<float> ref = readF32(kDir + "encoder/ondevice-embeddings.f32");
        QCOMPARE(ours.size(), ref.size());
        double maxRef = 0, maxDiff = 0;
        for (size_t i = 0; i < ref.size(); ++i) {
            maxRef = std::max(maxRef, double(std::abs(ref[i])));
            maxDiff = std::max(maxDiff, double(std::abs(ours[i] - ref[i])));
        }
        qInfo("HF folder: max |diff| %.3g of max |value| %.3g", maxDiff, maxRef);
        QVERIFY(maxDiff <= 1e-3 * maxRef);
    }

    void refusesFilesWithoutAVisionTower()
    {
        try {
            VisionEncoder::open(std::filesystem::path(FACET_TEST_DATA "/text/tiny-e2b/model.gguf"));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), QString("model.gguf has no vision encoder."));
        }
    }
};

QTEST_GUILESS_MAIN(TestVisionEncoder)
#include "tst_vision_encoder.moc"
