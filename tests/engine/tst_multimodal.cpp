// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// An image in the prompt of a tiny E2B-like Gemma 4 (tests/data/vision/multimodal, from
// tools/reference/make_multimodal_fixtures.py): the vision encoder's soft tokens
// replace the placeholder tokens' embeddings, their per-layer embeddings come from the
// pad token, and the decoder runs causally. Tolerance: every logit of the 77-token
// prompt within 1e-3 of transformers' (absolute; logits are soft-capped at ±30), and
// the 16-token greedy continuation identical.
//
// The same for a tiny 31B-like model (tests/data/vision/multimodal-31b), where an
// image's tokens see each other in the sliding layers (transformers' own vision mask
// builder made the reference): in one prefill chunk, and with a chunk that ends where the
// image begins so the image starts the next one. Causal image tokens would miss it by
// far more than the tolerance, which the test also checks.
#include "facet/error.h"
#include "facet/image.h"
#include "facet/text_model.h"
#include "facet/vision_encoder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace facet;

namespace {
const QString kDir = FACET_TEST_DATA "/vision/multimodal/";
}

class TestMultimodal : public QObject {
    Q_OBJECT

private slots:
    void imageInThePromptMatchesTransformers()
    {
        QFile rf(kDir + "reference.json");
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QJsonObject ref = QJsonDocument::fromJson(rf.readAll()).object();
        std::vector<int32_t> prompt;
        for (const QJsonValue v : ref["prompt"].toArray())
            prompt.push_back(v.toInt());
        const uint32_t first = uint32_t(ref["image_first"].toInt()), count = uint32_t(ref["image_tokens"].toInt());

        auto encoder = VisionEncoder::open((kDir + "mmproj.gguf").toStdString());
        const auto patches = vision::preprocess(decodeImage(FACET_TEST_DATA "/vision/images/tiny-64x64.png"), 70);
        const std::vector<float> rows = encoder->encode(patches);
        QCOMPARE(patches.softTokens(), count);

        TextModelOptions opts;
        opts.f32KvCache = true;
        auto model = TextModel::open((kDir + "model.gguf").toStdString(), opts);
        QCOMPARE(encoder->info().textHidden, model->info().hidden);
        std::vector<float> logits;
        const SoftTokens image{first, count, rows};
        int32_t next = model->prefill(prompt, {&image, 1}, &logits);

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

        std::vector<int32_t> greedy;
        for (int k = 0; k < ref["greedy"].toArray().size(); ++k) {
            greedy.push_back(next);
            next = model->decode(next);
        }
        std::vector<int32_t> want;
        for (const QJsonValue v : ref["greedy"].toArray())
            want.push_back(v.toInt());
        QCOMPARE(greedy, want);
    }

    void imageTokensSeeEachOtherOn31b_data()
    {
        QTest::addColumn<uint32_t>("chunk");
        QTest::newRow("one chunk") << 0u;
        QTest::newRow("chunks of 70: the image starts the second") << 70u;
    }

    void imageTokensSeeEachOtherOn31b()
    {
        QFETCH(uint32_t, chunk);
        const QString dir = FACET_TEST_DATA "/vision/multimodal-31b/";
        QFile rf(dir + "reference.json");
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QJsonObject ref = QJsonDocument::fromJson(rf.readAll()).object();
        std::vector<int32_t> prompt;
        for (const QJsonValue v : ref["prompt"].toArray())
            prompt.push_back(v.toInt());
        const uint32_t first = uint32_t(ref["image_first"].toInt()), count = uint32_t(ref["image_tokens"].toInt());
        auto encoder = VisionEncoder::open((dir + "mmproj.gguf").toStdString());
        const std::vector<float> rows = encoder->encode(vision::preprocess(decodeImage(FACET_TEST_DATA "/vision/images/tiny-64x64.png"), 70));
        TextModelOptions opts;
        opts.f32KvCache = true;
        opts.prefillChunk = chunk;
        auto model = TextModel::open((dir + "model.gguf").toStdString(), opts);
        QFile lf(dir + "logits.f32");
        QVERIFY(lf.open(QIODevice::ReadOnly));
        const QByteArray raw = lf.readAll();
        const float* expected = reinterpret_cast<const float*>(raw.constData());
        const auto worstDiff = [&](bool image, int32_t* next) {
            model->reset();
            std::vector<float> logits;
            const SoftTokens soft{first, count, rows, image};
            const int32_t n = model->prefill(prompt, {&soft, 1}, &logits);
            if (next)
                *next = n;
            double worst = 0;
            for (size_t i = 0; i < logits.size(); ++i)
                worst = std::max(worst, double(std::abs(logits[i] - expected[i])));
            return worst;
        };
        int32_t next = -1;
        const double causal = worstDiff(false, nullptr);
        const double worst = worstDiff(true, &next);
        qInfo("max |logit diff| %.3g (image tokens causal instead: %.3g)", worst, causal);
        QVERIFY2(worst <= 1e-3, qPrintable(QString::number(worst)));
        QVERIFY(causal > 1e-2);
        std::vector<int32_t> greedy, want;
        for (const QJsonValue v : ref["greedy"].toArray()) {
            want.push_back(v.toInt());
            greedy.push_back(next);
            next = model->decode(next);
        }
        QCOMPARE(greedy, want);
    }

    void imageLargerThanTheChunkSaysSo()
    {
        const QString dir = FACET_TEST_DATA "/vision/multimodal-31b/";
        TextModelOptions opts;
        opts.prefillChunk = 40;
        auto model = TextModel::open((dir + "model.gguf").toStdString(), opts);
        const std::vector<float> rows(size_t(64) * model->info().hidden, 0.1f);
        std::vector<int32_t> prompt(80, 17);
        const SoftTokens soft{6, 64, rows, true};
        try {
            model->prefill(prompt, {&soft, 1});
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("The image has 64 soft tokens, more than the 40 this model takes at once; "
                                                "choose a smaller image budget."));
        }
    }
};

QTEST_GUILESS_MAIN(TestMultimodal)
#include "tst_multimodal.moc"
