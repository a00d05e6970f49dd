// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// rms_norm_f32 on the Vulkan device against a CPU double-precision reference, and
// residual_norm_f32 bit for bit against the three dispatches it replaces.
#include "vk/kernels/elementwise.h"
#include "vk/kernels/rms_norm.h"
#include "vk_fixture.h"

#include <cmath>
#include <cstring>
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

    void residualNormIsTheThreeKernels_data()
    {
        QTest::addColumn<quint32>("rows");
        QTest::addColumn<quint32>("n");
        QTest::addColumn<float>("scale");
        QTest::addColumn<bool>("next");
        QTest::newRow("E2B decode, layer scalar, next norm") << 1u << 1536u << 0.37f << true;
        QTest::newRow("prefill rows, no next norm") << 5u << 1536u << 1.0f << false;
        QTest::newRow("odd width") << 3u << 13u << 2.5f << true;
    }

    void residualNormIsTheThreeKernels()
    {
        QFETCH(quint32, rows);
        QFETCH(quint32, n);
        QFETCH(float, scale);
        QFETCH(bool, next);
        auto& ctx = m_vk.ctx();
        auto& pipes = m_vk.pipelines();
        const float eps = 1e-6f;
        std::mt19937 rng(11);
        std::normal_distribution<float> dist(0.0f, 3.0f);
        auto values = [&](size_t count) {
            std::vector<float> v(count);
            for (auto& e : v)
                e = dist(rng);
            return v;
        };
        const auto x = values(size_t(rows) * n), o = values(size_t(rows) * n), wb = values(n), wn = values(n);
        auto buffer = [&](const std::vector<float>& v) {
            Buffer b(ctx, v.size() * 4, MemoryUse::Readback);
            b.uploadValues(std::span<const float>(v));
            return b;
        };
        // The three kernels: o' = norm(o) * wb; x = (x + o') * scale; xn = norm(x) * wn.
        Buffer x1 = buffer(x), o1 = buffer(o), wbB = buffer(wb), wnB = buffer(wn), xn1 = buffer(x);
        Recorder rec(ctx);
        rec.begin();
        kernels::recordRmsNormF32(rec, pipes, o1, &wbB, o1, rows, n, eps);
        rec.computeBarrier();
        kernels::recordAddScale(rec, pipes, x1.range(), o1.range(), x1.range(), rows * n, scale);
        rec.computeBarrier();
        if (next)
            kernels::recordRmsNormF32(rec, pipes, x1, &wnB, xn1, rows, n, eps);
        rec.submitAndWait();
        // The fused one.
        Buffer x2 = buffer(x), o2 = buffer(o), xn2 = buffer(x);
        rec.begin();
        kernels::recordResidualNorm(rec, pipes, x2, o2, wbB, scale, next ? &wnB : nullptr, xn2, rows, n, eps);
        rec.submitAndWait();
        auto same = [&](const Buffer& a, const Buffer& b, const char* what) {
            const auto va = a.downloadValues<float>(size_t(rows) * n), vb = b.downloadValues<float>(size_t(rows) * n);
            QVERIFY2(std::memcmp(va.data(), vb.data(), va.size() * 4) == 0, what);
        };
        same(x1, x2, "residual differs from rms_norm + add_scale");
        same(xn1, xn2, "next norm differs from rms_norm");
        same(buffer(o), o2, "the branch was written");
    }
};

QTEST_APPLESS_MAIN(TestKernelRmsNorm)
#include "tst_kernel_rms_norm.moc"
