// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The host half of sampling: greedy at temperature 0, the same picks for the same seed,
// frequencies that follow the softmax, and the top-p and min-p cuts.
#include "facet/sampling.h"

#include <QTest>

#include <cmath>
#include <map>

using namespace facet;

class TestSampler : public QObject {
    Q_OBJECT

    // Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1.
    const std::vector<Candidate> m_c{{10, std::log(0.5f)}, {20, std::log(0.3f)}, {30, std::log(0.15f)}, {40, std::log(0.05f)}};

    std::map<int32_t, int> draw(SamplingParams p, int n)
    {
        Sampler s(p);
        std::map<int32_t, int> count;
        for (int i = 0; i < n; ++i)
            ++count[s.pick(m_c)];
        return count;
    }

private slots:
    void isGreedyAtTemperatureZero()
    {
        SamplingParams p;
        p.temperature = 0;
        QCOMPARE(draw(p, 100)[10], 100);
    }

    void repeatsForTheSameSeed()
    {
        SamplingParams p;
        p.topP = 1.0f;
        p.seed = 42;
        Sampler a(p), b(p);
        p.seed = 43;
        Sampler c(p);
        bool differs = false;
        for (int i = 0; i < 200; ++i) {
            const int32_t x = a.pick(m_c);
            QCOMPARE(b.pick(m_c), x);
            differs = differs || c.pick(m_c) != x;
        }
        QVERIFY(differs);
    }

    void followsTheSoftmax()
    {
        // 20000 draws: each frequency within 4 standard deviations of its probability.
        SamplingParams p;
        p.topP = 1.0f;
        const int n = 20000;
        const auto count = draw(p, n);
        const std::map<int32_t, double> want{{10, 0.5}, {20, 0.3}, {30, 0.15}, {40, 0.05}};
        for (const auto& [id, prob] : want) {
            const double sigma = std::sqrt(n * prob * (1 - prob));
            const int got = count.count(id) ? count.at(id) : 0;
            QVERIFY2(std::fabs(got - n * prob) <= 4 * sigma,
                     qPrintable(QString("token %1: %2 of %3").arg(id).arg(count.count(id) ? count.at(id) : 0).arg(n)));
        }
    }

    void cutsAtTopPAndMinP()
    {
        SamplingParams p;
        p.topP = 0.75f; // 0.5 falls short, 0.5 + 0.3 reaches it: only two candidates remain
        auto count = draw(p, 2000);
        QCOMPARE(count.count(30) + count.count(40), size_t(0));
        p.topP = 1.0f;
        p.minP = 0.4f; // below 0.4 x 0.5 = 0.2 is dropped: 0.15 and 0.05 go
        count = draw(p, 2000);
        QCOMPARE(count.count(30) + count.count(40), size_t(0));
        QVERIFY(count[20] > 0);
    }

    void sharpensWithLowTemperature()
    {
        SamplingParams p;
        p.topP = 1.0f;
        p.temperature = 0.1f; // 0.5 vs 0.3 becomes about 0.994 vs 0.006
        QVERIFY(draw(p, 1000)[10] >= 980);
    }
};

QTEST_APPLESS_MAIN(TestSampler)
#include "tst_sampler.moc"
