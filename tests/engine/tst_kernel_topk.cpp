// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// topk.comp against a CPU reference: the repetition penalty on recent tokens (each once,
// positive logits divided, negative multiplied), then the k largest, lowest id on ties.
#include "vk/kernels/argmax.h"
#include "vk_fixture.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

using namespace facet::vk;

class TestKernelTopK : public QObject {
    Q_OBJECT
    VkFixture m_vk;

private slots:
    void initTestCase() { m_vk.init(); }
    void cleanup() { m_vk.checkNoValidationErrors(); }
    void cleanupTestCase() { m_vk.release(); }

    void matchesCpu()
    {
        auto& ctx = m_vk.ctx();
        const uint32_t n = 262144, k = 64;
        std::mt19937 rng(5);
        std::normal_distribution<float> dist(0.0f, 4.0f);
        std::vector<float> x(n);
        for (auto& v : x)
            v = dist(rng);
        x[777] = x[778] = 50.0f; // a tie at the top
        const std::vector<uint32_t> recent{777, 12, 12, 5, 99999};
        const float penalty = 1.3f;

        std::vector<float> ref = x;
        for (uint32_t id : std::set<uint32_t>(recent.begin(), recent.end()))
            ref[id] = ref[id] > 0 ? ref[id] / penalty : ref[id] * penalty;
        std::vector<uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0u);
        std::partial_sort(order.begin(), order.begin() + k, order.end(),
                          [&](uint32_t a, uint32_t b) { return ref[a] > ref[b] || (ref[a] == ref[b] && a < b); });

        Buffer xb(ctx, n * 4, MemoryUse::Readback), rb(ctx, 64 * 4, MemoryUse::Readback);
        Buffer ids(ctx, k * 4, MemoryUse::Readback), values(ctx, k * 4, MemoryUse::Readback);
        xb.uploadValues(std::span<const float>(x));
        rb.uploadValues(std::span<const uint32_t>(recent));
        const uint64_t pairs = kernels::topKScratchPairs(n, k);
        Buffer si(ctx, pairs * 4, MemoryUse::Device), sv(ctx, pairs * 4, MemoryUse::Device);
        Recorder rec(ctx);
        rec.begin();
        kernels::recordTopK(rec, m_vk.pipelines(), xb, rb, uint32_t(recent.size()), penalty, si, sv, ids, values, n, k);
        rec.submitAndWait();
        const auto gotIds = ids.downloadValues<uint32_t>(k);
        const auto gotValues = values.downloadValues<float>(k);
        for (uint32_t i = 0; i < k; ++i) {
            QCOMPARE(gotIds[i], order[i]);
            QCOMPARE(gotValues[i], ref[order[i]]);
        }
        QCOMPARE(gotIds[0], 778u); // 777 was penalised below its twin
    }
};

QTEST_APPLESS_MAIN(TestKernelTopK)
#include "tst_kernel_topk.moc"
