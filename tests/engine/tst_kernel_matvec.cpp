// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// matvec_f32 on the Vulkan device against a CPU double-precision product, including a
// weight larger than lavapipe's 128 MiB storage-binding limit and an output wider than
// 65535 workgroups.
#include "vk/kernels/matvec.h"
#include "vk_fixture.h"

#include <cmath>
#include <random>

using namespace facet::vk;

class TestKernelMatvec : public QObject {
    Q_OBJECT
    VkFixture m_vk;

private slots:
    void initTestCase() { m_vk.init(); }
    void cleanup() { m_vk.checkNoValidationErrors(); }
    void cleanupTestCase() { m_vk.release(); }

    void matchesCpu_data()
    {
        QTest::addColumn<quint64>("rows");
        QTest::addColumn<quint32>("cols");
        QTest::addColumn<quint64>("maxChunkBytes");
        QTest::newRow("small") << quint64(37) << quint32(64) << quint64(0);
        QTest::newRow("forced chunks") << quint64(1000) << quint32(256) << quint64(64 * 1024);
        QTest::newRow("more groups than one grid row") << quint64(262144) << quint32(8) << quint64(0);
        // 9216 x 4096 f32 = 144 MiB: more than one 128 MiB binding on lavapipe.
        QTest::newRow("over 128 MiB") << quint64(9216) << quint32(4096) << quint64(0);
    }

    void matchesCpu()
    {
        QFETCH(quint64, rows);
        QFETCH(quint32, cols);
        QFETCH(quint64, maxChunkBytes);
        auto& ctx = m_vk.ctx();

        std::mt19937 rng(1234);
        std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
        std::vector<float> w(rows * cols), x(cols);
        for (auto& v : w)
            v = dist(rng);
        for (auto& v : x)
            v = dist(rng);

        RowChunkedBuffer weight(ctx, rows, uint64_t(cols) * 4, MemoryUse::Device, maxChunkBytes);
        if (rows * cols * 4 > ctx.limits().maxStorageBufferRange)
            QVERIFY(weight.chunks().size() >= 2);
        if (maxChunkBytes)
            QCOMPARE(weight.chunks().size(), size_t((rows * cols * 4 + maxChunkBytes - 1) / maxChunkBytes));
        weight.upload(std::as_bytes(std::span(w)));
        Buffer xb(ctx, uint64_t(cols) * 4, MemoryUse::Device);
        xb.uploadValues(std::span<const float>(x));
        Buffer yb(ctx, rows * 4, MemoryUse::Readback);

        Recorder rec(ctx);
        rec.begin();
        kernels::recordMatvecF32(rec, m_vk.pipelines(), weight, cols, xb, yb);
        QCOMPARE(rec.dispatchCount(), uint32_t(weight.chunks().size()));
        rec.submitAndWait();
        const auto y = yb.downloadValues<float>(rows);

        // f32 accumulation over `cols` terms: error bounded by cols * eps * sum|w x|.
        size_t worst = 0;
        double worstRatio = 0;
        for (size_t r = 0; r < rows; ++r) {
            double ref = 0, mag = 0;
            for (size_t c = 0; c < cols; ++c) {
                ref += double(w[r * cols + c]) * x[c];
                mag += std::fabs(double(w[r * cols + c]) * x[c]);
            }
            const double ratio = std::fabs(y[r] - ref) / (mag * 1e-6 + 1e-30);
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = r;
            }
        }
        QVERIFY2(worstRatio <= 1.0, qPrintable(QString("row %1 is off by %2 x 1e-6 of sum|w x|").arg(worst).arg(worstRatio)));
    }

    void checksBindingsBeforeRecording()
    {
        auto& ctx = m_vk.ctx();
        Buffer a(ctx, 64, MemoryUse::Device);
        Recorder rec(ctx);
        rec.begin();
        const auto& p = m_vk.pipelines().get(ShaderId::matvec_f32, {ctx.limits().subgroupSize, 4});
        QCOMPARE(p.interface.storageBindings, 3u);
        QCOMPARE(p.interface.pushConstantBytes, uint32_t(sizeof(kernels::MatvecPush)));
        // Two bindings for a three-binding shader, a push block of the wrong size.
        QVERIFY_THROWS_EXCEPTION(std::logic_error, rec.dispatch(p, {a.range(), a.range()}, kernels::MatvecPush{}, {1, 1, 1}));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, rec.dispatch(p, {a.range(), a.range(), a.range()}, uint32_t(0), {1, 1, 1}));
        QVERIFY_THROWS_EXCEPTION(std::logic_error,
                                 rec.dispatch(p, {a.range(), a.range(), a.range()}, kernels::MatvecPush{}, {0, 1, 1}));
        QCOMPARE(rec.dispatchCount(), 0u);
        rec.submitAndWait();
    }
};

QTEST_APPLESS_MAIN(TestKernelMatvec)
#include "tst_kernel_matvec.moc"
