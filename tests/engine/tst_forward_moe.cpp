// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The 26B-A4B mixture-of-experts decoder on the Vulkan device against transformers and
// llama.cpp, on tiny-26b (128 experts, top 8) and tiny-26b-e24 (24 experts, top 4),
// from GGUF and from the Hugging Face folder, routing on the GPU.
//
// Tolerances (DESIGN.md; as in tst_forward_tiny): logits per row within 1e-3 relative of
// transformers with an f32 cache, 2e-2 of llama.cpp; argmax identical on decisive rows.
// Routing: expert ids identical, in order, for every token and layer whose router
// separates the k-th and (k+1)-th expert by more than ROUTE_TIE in probability; their
// weights within 1e-5. A row downstream of a near-tie at its own token is not judged
// (either expert is a correct answer there); such rows are counted in the log.
#include "facet/error.h"
#include "facet/text_model.h"
#include "model/gemma4_text.h"
#include "text_fixture.h"

#include <QTest>

using namespace facet;
using namespace facet::testing;

namespace {

constexpr double kRouteTie = 1e-6;

std::vector<bool> nearTies(const std::vector<LayerRouting>& routing, uint32_t rows)
{
    std::vector<bool> tie(rows, false);
    for (const auto& l : routing) {
        for (uint32_t t = 0; t < rows && t < l.gap.size(); ++t)
            tie[t] = tie[t] || l.gap[t] < kRouteTie;
    }
    return tie;
}

} // namespace

class TestForwardMoe : public QObject {
    Q_OBJECT

private slots:
    void matchesReferences_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("format");
        for (const char* v : {"tiny-26b", "tiny-26b-e24"}) {
            for (const char* fmt : {"gguf", "hf"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(v, fmt))) << v << fmt;
        }
    }

    void matchesReferences()
    {
        QFETCH(QString, variant);
        QFETCH(QString, format);
        const Fixture f = load(variant);
        const auto routing = loadRouting(variant);
        const auto path = format == "gguf" ? dir(variant) / "model.gguf" : dir(variant) / "hf";
        auto model = TextModel::open(path, TextModelOptions{{}, 256, true, false});
        auto* g = dynamic_cast<model::Gemma4Text*>(model.get());
        QVERIFY(g);
        const uint32_t K = g->config().expertsPerToken;

        std::vector<int32_t> tokens = f.prompt;
        tokens.insert(tokens.end(), f.greedy.begin(), f.greedy.end());
        std::vector<float> logits;
        model->prefill(tokens, &logits); // one chunk: every layer's routing for all tokens stays readable

        // Routing decisions, layer by layer.
        uint32_t compared = 0, ties = 0;
        for (const auto& l : routing) {
            const auto ids = g->routedExperts(l.layer, f.rows);
            const auto weights = g->routedWeights(l.layer, f.rows);
            for (uint32_t t = 0; t < f.rows; ++t) {
                if (l.gap[t] < kRouteTie) {
                    ++ties;
                    continue;
                }
                for (uint32_t s = 0; s < K; ++s) {
                    QVERIFY2(ids[t * K + s] == l.experts[t][s],
                             qPrintable(QString("layer %1 token %2 slot %3: expert %4, reference %5")
                                            .arg(l.layer).arg(t).arg(s).arg(ids[t * K + s]).arg(l.experts[t][s])));
                    QVERIFY2(std::fabs(weights[t * K + s] - l.weights[t][s]) <= 1e-5 * std::fabs(l.weights[t][s]) + 1e-7,
                             qPrintable(QString("layer %1 token %2 slot %3: weight %4, reference %5")
                                            .arg(l.layer).arg(t).arg(s).arg(weights[t * K + s]).arg(l.weights[t][s])));
                }
                ++compared;
            }
        }
        qInfo("%s: expert ids and weights identical for %u token-layers; %u router near-ties not judged",
              qPrintable(variant), compared, ties);

        const auto excused = nearTies(routing, f.rows);
        const Comparison hf = compare(logits, f.hf, f.rows, f.vocab, 1e-3, &excused);
        qInfo("%s vs transformers: worst row %u at %.2e (limit 1e-3), argmax identical on %u decisive rows",
              qPrintable(variant), hf.worstRow, hf.worst, hf.decisive);
        QVERIFY2(hf.worst <= 1e-3, qPrintable(QString("row %1 is off by %2").arg(hf.worstRow).arg(hf.worst)));
        QVERIFY(hf.flips.empty());
        const Comparison ll = compare(logits, f.llama, f.rows, f.vocab, 2e-2, &excused);
        qInfo("%s vs llama.cpp: worst row %u at %.2e (limit 2e-2)", qPrintable(variant), ll.worstRow, ll.worst);
        QVERIFY(ll.worst <= 2e-2);
        QVERIFY(ll.flips.empty());
        QCOMPARE(model->validationErrors(), 0u);
    }

    void generatesTheReferenceGreedyTokens_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::newRow("tiny-26b") << "tiny-26b";
        QTest::newRow("tiny-26b-e24") << "tiny-26b-e24";
    }

    void generatesTheReferenceGreedyTokens()
    {
        // Free-running decode with GPU routing at every step, one submission per token.
        QFETCH(QString, variant);
        const Fixture f = load(variant);
        const auto excused = nearTies(loadRouting(variant), f.rows);
        auto model = TextModel::open(dir(variant) / "model.gguf", TextModelOptions{{}, 256, true, false});
        // All 64 must match; the only accepted way to part is at a router near-tie.
        int32_t next = model->prefill(f.prompt);
        size_t identical = 0;
        for (size_t k = 0; k < f.greedy.size(); ++k) {
            if (next != f.greedy[k]) {
                const size_t row = f.prompt.size() - 1 + k;
                QVERIFY2(excused[row], qPrintable(QString("greedy token %1 is %2, reference %3").arg(k).arg(next).arg(f.greedy[k])));
                qInfo("%s: parted from the reference at token %zu, a router near-tie", qPrintable(variant), k);
                break;
            }
            ++identical;
            next = model->decode(next);
        }
        qInfo("%s: %zu of 64 greedy tokens identical", qPrintable(variant), identical);
        QCOMPARE(model->validationErrors(), 0u);
    }

    void prefillAndDecodeAgree()
    {
        // Grouped-by-expert prefill and one-token decode give the same logits.
        const Fixture f = load("tiny-26b");
        TextModelOptions opts{{}, 256, true, false};
        auto model = TextModel::open(dir("tiny-26b") / "model.gguf", opts);
        std::vector<float> all;
        model->prefill(std::span(f.prompt).first(20), &all);
        model->reset();
        std::vector<float> step;
        for (size_t t = 0; t < 20; ++t) {
            model->decode(f.prompt[t], &step);
            for (uint32_t i = 0; i < f.vocab; ++i) {
                const float a = all[t * f.vocab + i], b = step[i];
                QVERIFY2(std::fabs(a - b) <= 1e-5f * std::max(1.0f, std::fabs(a)),
                         qPrintable(QString("token %1 logit %2: %3 vs %4").arg(t).arg(i).arg(a).arg(b)));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestForwardMoe)
#include "tst_forward_moe.moc"
