// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// rms_norm_f32 on the Vulkan device against a CPU double-precision reference.
#include "vk/kernels/rms_norm.h"
#include "vk_fixture.h"

#include <cmath>
#include <random>

using namespace facet::vk;

class TestKernelRmsNorm : public QObject {
    Q_OBJECT
    VkFixture m_vk;

private slots:
    void initTestCase() { m_vk.init(); }
    void cleanup() { m_vk.checkNoValidationErrors(); }
    void cleanupTestCase() { m_vk.release(); }

    void matchesCpu_data()
    {
        QTest::addColumn<quint32>("rows");
        QTest::addColumn<quint32>("n");
        QTest::newRow("one row, odd width") << 1u << 13u;
        QTest::newRow("E2B hidden size") << 7u << 1536u;
        QTest::newRow("31B hidden size") << 3u << 5376u;
    }

    void matchesCpu()
    {
        QFETCH(quint32, rows);
        QFETCH(quint32, n);
        auto& ctx = m_vk.ctx();
        const float eps = 1e-6f;
        std::mt19937 rng(7);
        std::normal_distribution<float> dist(0.0f, 3.0f);
        std::vector<float> x(size_t(rows) * n), w(n);
        for (auto& v : x)
            v = dist(rng);
        for (auto& v : w)
            v = dist(rng);
        Buffer xb(ctx, x.size() * 4, MemoryUse::Device), wb(ctx, w.size() * 4, MemoryUse::Device);
        Buffer yb(ctx, x.size() * 4, MemoryUse::Readback);
        xb.uploadValues(std::span<const float>(x));
        wb.uploadValues(std::span<const float>(w));
        Recorder rec(ctx);
        rec.begin();
        kernels::recordRmsNormF32(rec, m_vk.pipelines(), xb, &wb, yb, rows, n, eps);
        rec.submitAndWait();
        const auto y = yb.downloadValues<float>(x.size());
        for (quint32 r = 0; r < rows; ++r) {
            double ss = 0;
            for (quint32 i = 0; i < n; ++i)
                ss += double(x[r * n + i]) * x[r * n + i];
            const double scale = 1.0 / std::sqrt(ss / n + eps);
            for (quint32 i = 0; i < n; ++i) {
                const double ref = x[r * n + i] * scale * w[i];
                // Relative 1e-5: f32 sum of squares and inversesqrt.
                QVERIFY2(std::fabs(y[r * n + i] - ref) <= 1e-5 * std::fabs(ref) + 1e-6,
                         qPrintable(QString("row %1 element %2: %3 vs %4").arg(r).arg(i).arg(y[r * n + i]).arg(ref)));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestKernelRmsNorm)
#include "tst_kernel_rms_norm.moc"
