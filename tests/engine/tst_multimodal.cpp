// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// An image in the prompt of a tiny E2B-like Gemma 4 (tests/data/vision/multimodal, from
// tools/reference/make_multimodal_fixtures.py): the vision encoder's soft tokens
// replace the placeholder tokens' embeddings, their per-layer embeddings come from the
// pad token, and the decoder runs causally. Tolerance: every logit of the 77-token
// prompt within 1e-3 of transformers' (absolute; logits are soft-capped at ±30), and
// the 16-token greedy continuation identical.
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
};

QTEST_GUILESS_MAIN(TestMultimodal)
#include "tst_multimodal.moc"
