// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// matvec_f32 on the Vulkan device against a CPU double-precision product, including a
// weight larger than lavapipe's 128 MiB storage-binding limit and an output wider than
// 65535 workgroups; and the f32, f16 and bf16 mat-vecs, through texels and storage buffers.
#include "vk/kernels/matvec.h"
#include "vk_fixture.h"

#include <cmath>
#include <cstring>
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

    void readsEveryStorageType_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<quint32>("tokens");
        QTest::addColumn<quint32>("cols");
        QTest::addColumn<bool>("storageX");
        for (auto t : {facet::GgmlType::F32, facet::GgmlType::F16, facet::GgmlType::BF16}) {
            const char* name = facet::ggmlTypeTraits(t).name.data();
            for (quint32 n : {1u, 3u, 8u, 13u}) {
                QTest::newRow(qPrintable(QString("%1 x %2 tokens").arg(name).arg(n))) << int(t) << n << 96u << false;
                // x without its texel view: the storage-buffer kernel, on any device.
                QTest::newRow(qPrintable(QString("%1 x %2 tokens, storage x").arg(name).arg(n))) << int(t) << n << 96u << true;
            }
            // Rows not whole texels for 16-bit types (the storage kernel takes them).
            for (quint32 n : {1u, 8u})
                QTest::newRow(qPrintable(QString("%1 x %2 tokens, 100 columns").arg(name).arg(n))) << int(t) << n << 100u << false;
        }
    }

    void readsEveryStorageType()
    {
        // Y[tokens, rows] = X · W^T with W stored as F32, F16 or BF16; the CPU reference
        // uses the same rounded weights in f64, so only accumulation order differs. On a CPU
        // device the texel kernel runs unless x has no texel view or rows are not whole texels.
        QFETCH(int, type);
        QFETCH(quint32, tokens);
        QFETCH(quint32, cols);
        QFETCH(bool, storageX);
        const auto t = facet::GgmlType(type);
        auto& ctx = m_vk.ctx();
        const uint32_t rows = 67;
        std::mt19937 rng(99);
        std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
        std::vector<float> w(size_t(rows) * cols), x(size_t(tokens) * cols);
        for (auto& v : x)
            v = dist(rng);
        std::vector<uint16_t> packed(w.size());
        for (size_t i = 0; i < w.size(); ++i) {
            const float v = dist(rng);
            if (t == facet::GgmlType::F16) {
                const _Float16 h = static_cast<_Float16>(v);
                std::memcpy(&packed[i], &h, 2);
                w[i] = static_cast<float>(h);
            } else if (t == facet::GgmlType::BF16) {
                uint32_t bits;
                std::memcpy(&bits, &v, 4);
                packed[i] = static_cast<uint16_t>((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
                const uint32_t back = uint32_t(packed[i]) << 16;
                std::memcpy(&w[i], &back, 4);
            } else {
                w[i] = v;
            }
        }
        const uint64_t rowBytes = t == facet::GgmlType::F32 ? cols * 4 : cols * 2;
        kernels::DeviceMatrix m{RowChunkedBuffer(ctx, rows, rowBytes, MemoryUse::Device), t, cols};
        if (t == facet::GgmlType::F32)
            m.data.upload(std::as_bytes(std::span(w)));
        else
            m.data.upload(std::as_bytes(std::span(packed)));
        Buffer xb(ctx, x.size() * 4, MemoryUse::Device), yb(ctx, size_t(tokens) * rows * 4, MemoryUse::Readback);
        xb.uploadValues(std::span<const float>(x));
        Recorder rec(ctx);
        rec.begin();
        BufferRange xr = xb.range();
        if (storageX)
            xr.texels = VK_NULL_HANDLE;
        kernels::recordMatvec(rec, m_vk.pipelines(), m, xr, yb.range(), tokens, 0.5f);
        rec.submitAndWait();
        const auto y = yb.downloadValues<float>(size_t(tokens) * rows);
        for (uint32_t tk = 0; tk < tokens; ++tk) {
            for (uint32_t r = 0; r < rows; ++r) {
                double ref = 0, mag = 0;
                for (uint32_t c = 0; c < cols; ++c) {
                    ref += double(w[r * cols + c]) * x[tk * cols + c];
                    mag += std::fabs(double(w[r * cols + c]) * x[tk * cols + c]);
                }
                QVERIFY2(std::fabs(y[tk * rows + r] - 0.5 * ref) <= 0.5 * mag * 1e-6 + 1e-30,
                         qPrintable(QString("token %1 row %2: %3 vs %4").arg(tk).arg(r).arg(y[tk * rows + r]).arg(0.5 * ref)));
            }
        }
    }

    void checksBindingsBeforeRecording()
    {
        auto& ctx = m_vk.ctx();
        Buffer a(ctx, 64, MemoryUse::Device);
        Recorder rec(ctx);
        rec.begin();
        const auto& p = m_vk.pipelines().get(ShaderId::matvec_f32, {ctx.limits().subgroupSize, 4, 1});
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
