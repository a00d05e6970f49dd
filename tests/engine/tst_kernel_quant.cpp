// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Every block-quantized weight type on the Vulkan device against gguf-py
// (tools/reference/make_quant_fixtures.py): the shaders' dequantization equals
// gguf.quants.dequantize bit for bit, and the mat-vec and expert mat-mul on those
// weights match a CPU f64 product of the same values (|err| <= 1e-6 * sum|w x|). The
// mat-vec runs twice where the device reads through texels (a CPU device): once that
// way, on weights in the tiled layout the model loads there, and once from storage
// buffers in the file's layout, so both kernels and layouts stay proven on lavapipe. There
// the mat-vec that applies a gated MLP's GELU product as it stores is checked as well.
#include "vk/kernels/dequant.h"
#include "vk/kernels/gather.h"
#include "vk/kernels/matvec.h"
#include "vk/kernels/moe.h"
#include "vk/kernels/weight_types.h"
#include "vk_fixture.h"

#include <QFile>

#include <cmath>
#include <cstring>
#include <random>

using namespace facet;
using namespace facet::vk;

namespace {

constexpr uint32_t kRows = 6, kBlocksPerRow = 3; // as make_quant_fixtures.py writes them

QByteArray readFixture(const QString& name)
{
    QFile f(QString(FACET_TEST_DATA) + "/quant/" + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A weight row times x in f64, and the sum of |w x| the tolerance scales with.
struct Reference {
    double sum = 0, mag = 0;
};

Reference reference(const float* w, const float* x, uint32_t cols)
{
    Reference ref;
    for (uint32_t c = 0; c < cols; ++c) {
        const double p = double(w[c]) * x[c];
        ref.sum += p;
        ref.mag += std::fabs(p);
    }
    return ref;
}

} // namespace

class TestKernelQuant : public QObject {
    Q_OBJECT
    VkFixtures m_fixtures;
    VkFixture& m_vk = m_fixtures.byDefault();

private:
    // storageX: x without its texel view, so the storage-buffer kernel runs on any device.
    static void checkMatvec(Context& ctx, PipelineCache& pipes, Recorder& rec, const kernels::DeviceMatrix& w, uint32_t cols,
                            const float* expect, const char* path, bool storageX = false, uint32_t rows = kRows)
    {
        // 11 tokens: a group of 8 and a tail of 3, which takes the one-token kernel
        // (matvec.cpp's kTailTokens) on CPU devices.
        for (uint32_t tokens : {1u, 8u, 11u}) {
            std::mt19937 rng(tokens);
            std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
            std::vector<float> x(size_t(tokens) * cols);
            for (auto& v : x)
                v = dist(rng);
            Buffer xb(ctx, x.size() * 4, MemoryUse::Device), out(ctx, size_t(tokens) * rows * 4, MemoryUse::Readback);
            xb.uploadValues(std::span<const float>(x));
            BufferRange xr = xb.range();
            if (storageX)
                xr.texels = VK_NULL_HANDLE;
            rec.begin();
            kernels::recordMatvec(rec, pipes, w, xr, out.range(), tokens);
            rec.submitAndWait();
            const auto got = out.downloadValues<float>(size_t(tokens) * rows);
            for (uint32_t tk = 0; tk < tokens; ++tk) {
                for (uint32_t r = 0; r < rows; ++r) {
                    const auto [sum, mag] = reference(expect + r * cols, x.data() + tk * cols, cols);
                    QVERIFY2(std::fabs(got[tk * rows + r] - sum) <= 1e-6 * mag + 1e-30,
                             qPrintable(QString("%6: %1 tokens, token %2 row %3: %4 vs %5").arg(tokens).arg(tk).arg(r)
                                            .arg(got[tk * rows + r]).arg(sum).arg(path)));
                }
            }
            // Prefill and decode add in the same order: each token's row is bit for bit the
            // one-token mat-vec's of its x (the model's prefilled and decoded logits agree).
            for (uint32_t tk = 0; tokens > 1 && tk < tokens; ++tk) {
                Buffer x1(ctx, size_t(cols) * 4, MemoryUse::Device), one(ctx, size_t(rows) * 4, MemoryUse::Readback);
                x1.uploadValues(std::span<const float>(x.data() + size_t(tk) * cols, cols));
                BufferRange x1r = x1.range();
                if (storageX)
                    x1r.texels = VK_NULL_HANDLE;
                rec.begin();
                kernels::recordMatvec(rec, pipes, w, x1r, one.range(), 1);
                rec.submitAndWait();
                const auto single = one.downloadValues<float>(rows);
                QVERIFY2(std::memcmp(single.data(), got.data() + size_t(tk) * rows, size_t(rows) * 4) == 0,
                         qPrintable(QString("%1: %2 tokens, token %3 differs from its one-token mat-vec").arg(path).arg(tokens).arg(tk)));
            }
        }
    }

    // The mat-vec with the GELU product applied as it stores (CPU devices), both ways round,
    // at 1 and 8 tokens, its operand read through a stride and offset:
    // |err| <= 1e-6 * (sum|w x| * |gelu(g)| or |gelu'| * |g| * sum|w x|) + 1e-6 * |g * w x|: the
    // mat-vec's tolerance carried through the product, plus the GELU product's own
    // (tst_kernel_elementwise: 1e-6 of |a b|; 1 + tanh cancels for negative inputs).
    static void checkGated(Context& ctx, PipelineCache& pipes, Recorder& rec, const kernels::DeviceMatrix& w, uint32_t cols,
                           const float* expect, uint32_t rows = kRows)
    {
        auto gelu = [](double a) { return 0.5 * a * (1.0 + std::tanh(0.7978845608028654 * (a + 0.044715 * a * a * a))); };
        using G = kernels::MatvecGate::Gelu;
        for (G mode : {G::Of, G::Self}) {
            for (uint32_t tokens : {1u, 8u, 11u}) {
                std::mt19937 rng(100 + tokens);
                std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
                std::vector<float> x(size_t(tokens) * cols);
                for (auto& v : x)
                    v = dist(rng);
                const uint32_t stride = rows + 3, offset = 2;
                std::vector<float> g(size_t(tokens) * stride + offset);
                for (auto& v : g)
                    v = 3.0f * dist(rng);
                Buffer xb(ctx, x.size() * 4, MemoryUse::Device), gb(ctx, g.size() * 4, MemoryUse::Device);
                Buffer out(ctx, size_t(tokens) * rows * 4, MemoryUse::Readback);
                xb.uploadValues(std::span<const float>(x));
                gb.uploadValues(std::span<const float>(g));
                rec.begin();
                kernels::recordMatvecGated(rec, pipes, w, xb.range(), out.range(), {mode, gb.range(), stride, offset}, tokens);
                rec.submitAndWait();
                const auto got = out.downloadValues<float>(size_t(tokens) * rows);
                for (uint32_t tk = 0; tk < tokens; ++tk) {
                    for (uint32_t r = 0; r < rows; ++r) {
                        const auto [sum, mag] = reference(expect + r * cols, x.data() + tk * cols, cols);
                        const double other = g[tk * stride + offset + r];
                        const double want = mode == G::Of ? gelu(other) * sum : gelu(sum) * other;
                        // GELU's slope is below 1.13 everywhere.
                        const double err = mode == G::Of ? mag * std::fabs(gelu(other)) : 1.13 * mag * std::fabs(other);
                        QVERIFY2(std::fabs(got[tk * rows + r] - want) <= 1e-6 * (err + std::fabs(other * sum)) + 1e-30,
                                 qPrintable(QString("gated %1, %2 tokens, token %3 row %4: %5 vs %6").arg(int(mode)).arg(tokens)
                                                .arg(tk).arg(r).arg(got[tk * rows + r]).arg(want)));
                    }
                }
                // Bit for bit each token's one-token product, its operand at that token's row.
                for (uint32_t tk = 0; tokens > 1 && tk < tokens; ++tk) {
                    Buffer x1(ctx, size_t(cols) * 4, MemoryUse::Device), one(ctx, size_t(rows) * 4, MemoryUse::Readback);
                    x1.uploadValues(std::span<const float>(x.data() + size_t(tk) * cols, cols));
                    rec.begin();
                    kernels::recordMatvecGated(rec, pipes, w, x1.range(), one.range(), {mode, gb.range(), stride, offset + tk * stride}, 1);
                    rec.submitAndWait();
                    const auto single = one.downloadValues<float>(rows);
                    QVERIFY2(std::memcmp(single.data(), got.data() + size_t(tk) * rows, size_t(rows) * 4) == 0,
                             qPrintable(QString("gated %1, %2 tokens, token %3 differs from its one-token product").arg(int(mode))
                                            .arg(tokens).arg(tk)));
                }
            }
        }
    }

    // Embedding rows (5, 0 and 3 unless told) times 2 (exact), bit for bit the expected values.
    static void checkGather(Context& ctx, PipelineCache& pipes, Recorder& rec, const kernels::DeviceMatrix& w, uint32_t cols,
                            const float* expect, const char* path, const std::vector<uint32_t>& rows = {5, 0, 3})
    {
        Buffer ids(ctx, rows.size() * 4, MemoryUse::Device), out(ctx, rows.size() * cols * 4, MemoryUse::Readback);
        ids.uploadValues(std::span<const uint32_t>(rows));
        rec.begin();
        kernels::recordGather(rec, pipes, w, ids, out, uint32_t(rows.size()), 2.0f);
        rec.submitAndWait();
        const auto got = out.downloadValues<float>(rows.size() * cols);
        for (size_t t = 0; t < rows.size(); ++t) {
            for (uint32_t i = 0; i < cols; ++i) {
                const float want = expect[rows[t] * cols + i] * 2.0f;
                QVERIFY2(std::memcmp(&got[t * cols + i], &want, 4) == 0,
                         qPrintable(QString("%5: gathered row %1 element %2: %3 vs %4").arg(rows[t]).arg(i).arg(got[t * cols + i])
                                        .arg(want).arg(path)));
            }
        }
    }

    static void checkExperts(Context& ctx, PipelineCache& pipes, Recorder& rec, const QByteArray& raw, GgmlType t, uint32_t cols,
                             const float* expect, const char* path, uint32_t matrixRows = kRows)
    {
        constexpr uint32_t experts = 2, k = 2;
        const uint32_t rows = matrixRows / experts;
        // As the model loads them: tiled where the device reads texels.
        const kernels::ExpertMatrices w =
            kernels::uploadExperts(ctx, std::as_bytes(std::span(raw.constData(), size_t(raw.size()))), experts, rows, t, cols);
        auto u32 = [&](const std::vector<uint32_t>& v) {
            Buffer b(ctx, v.size() * 4, MemoryUse::Device);
            b.uploadValues(std::span<const uint32_t>(v));
            return b;
        };
        // One, two and nine tokens: 2 to 18 routed pairs.
        for (uint32_t tokens : {1u, 2u, 9u}) {
            std::vector<uint32_t> ids; // [token, slot] -> expert: 1, 0, then 0, 1, ...
            for (uint32_t tk = 0; tk < tokens; ++tk)
                ids.insert(ids.end(), {(tk + 1) % 2, tk % 2});
            std::vector<uint32_t> offsets(experts + 1, 0), order; // pairs grouped by expert
            for (uint32_t e = 0; e < experts; ++e) {
                for (uint32_t pair = 0; pair < ids.size(); ++pair)
                    if (ids[pair] == e)
                        order.push_back(pair);
                offsets[e + 1] = uint32_t(order.size());
            }
            kernels::Routing r{u32(ids), Buffer(ctx, 16, MemoryUse::Device), u32(offsets), u32(order)};
            for (bool perPair : {false, true}) {
                const uint32_t xRows = perPair ? tokens * k : tokens;
                std::mt19937 rng(5 + perPair);
                std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
                std::vector<float> x(size_t(xRows) * cols);
                for (auto& v : x)
                    v = dist(rng);
                Buffer xb(ctx, x.size() * 4, MemoryUse::Device), out(ctx, uint64_t(tokens) * k * rows * 4, MemoryUse::Readback);
                xb.uploadValues(std::span<const float>(x));
                rec.begin();
                kernels::recordMoeMatmul(rec, pipes, w, xb, r, out, tokens, k, perPair);
                rec.submitAndWait();
                const auto got = out.downloadValues<float>(size_t(tokens) * k * rows);
                for (uint32_t pair = 0; pair < tokens * k; ++pair) {
                    for (uint32_t row = 0; row < rows; ++row) {
                        const uint32_t wRow = ids[pair] * rows + row, xRow = perPair ? pair : pair / k;
                        const auto [sum, mag] = reference(expect + wRow * cols, x.data() + xRow * cols, cols);
                        QVERIFY2(std::fabs(got[pair * rows + row] - sum) <= 1e-6 * mag + 1e-30,
                                 qPrintable(QString("%1 experts, %7 tokens, x per %2: pair %3 row %4: %5 vs %6").arg(path)
                                                .arg(perPair ? "pair" : "token").arg(pair).arg(row).arg(got[pair * rows + row]).arg(sum).arg(tokens)));
                    }
                }
            }
        }
    }

private slots:
    void initTestCase() { m_fixtures.init(); }
    void cleanup() { m_fixtures.checkNoValidationErrors(); }
    void cleanupTestCase() { m_fixtures.release(); }

    void matchesGgufPy_data()
    {
        QTest::addColumn<int>("type");
        for (auto t : {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q4_K,
                       GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_NL, GgmlType::IQ4_XS, GgmlType::MXFP4})
            QTest::newRow(ggmlTypeTraits(t).name.data()) << int(t);
    }

    void matchesGgufPy()
    {
        QFETCH(int, type);
        const auto t = GgmlType(type);
        const auto& traits = ggmlTypeTraits(t);
        QVERIFY(kernels::weightTypeKernels(t));
        const QByteArray raw = readFixture(QString(traits.name.data()) + ".bin");
        const QByteArray ref = readFixture(QString(traits.name.data()) + ".f32");
        const uint32_t cols = kBlocksPerRow * traits.blockElements;
        QCOMPARE(raw.size(), int(kRows * kBlocksPerRow * traits.blockBytes));
        QCOMPARE(ref.size(), int(kRows * cols * 4));
        auto& ctx = m_vk.ctx();
        kernels::DeviceMatrix w{RowChunkedBuffer(ctx, kRows, kBlocksPerRow * traits.blockBytes, MemoryUse::Device), t, cols};
        w.data.upload(std::as_bytes(std::span(raw.constData(), size_t(raw.size()))));

        // 1. Dequantization, bit for bit.
        Buffer y(ctx, uint64_t(kRows) * cols * 4, MemoryUse::Readback);
        Recorder rec(ctx);
        rec.begin();
        kernels::recordDequant(rec, m_vk.pipelines(), w, y);
        rec.submitAndWait();
        const auto values = y.downloadValues<float>(size_t(kRows) * cols);
        const auto* expect = reinterpret_cast<const float*>(ref.constData());
        for (size_t i = 0; i < values.size(); ++i) {
            uint32_t a, b;
            std::memcpy(&a, &values[i], 4);
            std::memcpy(&b, &expect[i], 4);
            QVERIFY2(a == b, qPrintable(QString("element %1: %2 vs gguf-py %3").arg(i).arg(values[i]).arg(expect[i])));
        }

        // 2. Mat-vec (decode) and mat-mul (8 tokens, prefill) against f64 on those values,
        // from texels where the device reads that way and from storage buffers.
        for (VkFixture* f : {&m_vk, &m_fixtures.storage()}) {
            if (f != &m_vk && !m_fixtures.differ())
                break; // the first pass was the storage one already
            auto& c = f->ctx();
            // As the model loads weights: tiled where the device reads texels (block_tiles.h).
            const kernels::DeviceMatrix wm =
                kernels::uploadMatrix(c, std::as_bytes(std::span(raw.constData(), size_t(raw.size()))), kRows, t, cols);
            Recorder r2(c);
            checkMatvec(c, f->pipelines(), r2, wm, cols, expect, f == &m_vk ? "default" : "storage");
            // 3. The expert mat-mul: the six rows as two experts of three, two tokens routed
            // to both in either order, x per token and per pair.
            if (kernels::weightTypeKernels(t)->moeMatmul != ShaderId::Count)
                checkExperts(c, f->pipelines(), r2, raw, t, cols, expect, f == &m_vk ? "default" : "storage");
            // 4. On the default device: x without its texel view (the storage kernel, as a
            // device reading texels falls back to it), and the embedding gather (one
            // shader for every device; the storage context would repeat both).
            if (f == &m_vk) {
                checkMatvec(c, f->pipelines(), r2, wm, cols, expect, "default, storage x", true);
                if (kernels::canGateMatvec(c, wm))
                    checkGated(c, f->pipelines(), r2, wm, cols, expect);
                checkGather(c, f->pipelines(), r2, wm, cols, expect, "default");
            }
        }
    }

    // The mat-vec types' tiled block layout (block_tiles.h), as a CPU device loads models:
    // two chunks, two and a half tiles wide, so bands and tiles of every shape (whole,
    // short, narrow) occur. Random blocks; the values expected are the dequantizer's
    // on the file's layout, which matchesGgufPy proves equal to gguf-py's.
    void tiledLayout_data()
    {
        QTest::addColumn<int>("type");
        for (auto t : {GgmlType::Q4_0, GgmlType::Q5_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K})
            QTest::newRow(ggmlTypeTraits(t).name.data()) << int(t);
    }

    void tiledLayout()
    {
        QFETCH(int, type);
        const auto t = GgmlType(type);
        const auto& traits = ggmlTypeTraits(t);
        auto& ctx = m_vk.ctx();
        const kernels::BlockTiles tiles = kernels::matvecTiles(ctx, t);
        // Two whole tiles across and a narrow one (the tile width follows the subgroup size);
        // the first chunk a whole band and a short one, the second chunk one short band.
        const uint32_t band = tiles.tiled() ? tiles.rows : 32, chunkRows = band + 8, rows = chunkRows + band - 2;
        const uint32_t blocksPerRow = tiles.tiled() ? 2 * tiles.blocks + 1 : 9;
        const uint32_t cols = blocksPerRow * traits.blockElements;
        const uint64_t rowBytes = uint64_t(blocksPerRow) * traits.blockBytes;
        std::mt19937 rng{uint32_t(type)};
        std::vector<uint8_t> raw(rows * rowBytes);
        for (auto& b : raw)
            b = uint8_t(rng() & 0x3B); // small exponents: every f16 scale finite
        const auto bytes = std::as_bytes(std::span(raw));
        Recorder rec(ctx);

        kernels::DeviceMatrix file{RowChunkedBuffer(ctx, rows, rowBytes, MemoryUse::Device), t, cols};
        file.data.upload(bytes);
        Buffer y(ctx, uint64_t(rows) * cols * 4, MemoryUse::Readback);
        rec.begin();
        kernels::recordDequant(rec, m_vk.pipelines(), file, y);
        rec.submitAndWait();
        const auto expect = y.downloadValues<float>(size_t(rows) * cols);

        const kernels::DeviceMatrix tiled = kernels::uploadMatrix(ctx, bytes, rows, t, cols,
                                                                   chunkRows * blocksPerRow * tiles.deviceBlockBytes(traits.blockBytes) + 16);
        QCOMPARE(int(tiled.data.chunks().size()), 2);
        QCOMPARE(tiled.data.chunks().front().rowCount, uint64_t(chunkRows));
        QCOMPARE(tiled.tiles.tiled(), ctx.limits().texelReads);
        if (tiled.tiles.tiled())
            QVERIFY(tiled.tiles.blocks > 1);
        // The 32-element types' fields lie split wherever the tiles are 8 blocks or more.
        const bool split = tiled.tiles.tiled() && traits.blockElements == 32 && tiled.tiles.blocks % 8 == 0;
        QCOMPARE(bool(tiled.tiles.split), split);
        checkMatvec(ctx, m_vk.pipelines(), rec, tiled, cols, expect.data(), "tiled", false, rows);
        checkMatvec(ctx, m_vk.pipelines(), rec, tiled, cols, expect.data(), "tiled, storage x", true, rows);
        if (kernels::canGateMatvec(ctx, tiled))
            checkGated(ctx, m_vk.pipelines(), rec, tiled, cols, expect.data(), rows);
        // The same rows as two experts (one chunk each way the experts' layout is tiled).
        if (kernels::weightTypeKernels(t)->moeMatmul != ShaderId::Count && rows % 2 == 0)
            checkExperts(ctx, m_vk.pipelines(), rec, QByteArray(reinterpret_cast<const char*>(raw.data()), int(raw.size())), t, cols,
                         expect.data(), "tiled", rows);
        checkGather(ctx, m_vk.pipelines(), rec, tiled, cols, expect.data(), "tiled", {rows - 1, 0, chunkRows - 1, chunkRows, band + 1});
        // The dequantizer reads the first chunk, tiled too.
        rec.begin();
        kernels::recordDequant(rec, m_vk.pipelines(), tiled, y);
        rec.submitAndWait();
        const auto first = y.downloadValues<float>(size_t(chunkRows) * cols);
        QVERIFY(std::memcmp(first.data(), expect.data(), first.size() * 4) == 0);
    }

    void refusesUnsupportedTypes()
    {
        // Types Facet cannot compute with yet have no kernels; the model loader turns that
        // into a sentence naming the tensor and type.
        QVERIFY(!kernels::weightTypeKernels(GgmlType::Q2_K));
        QVERIFY(!kernels::weightTypeKernels(GgmlType::IQ2_XXS));
        QCOMPARE(QString::fromStdString(kernels::supportedWeightTypes()),
                 QString("F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, MXFP4"));
    }
};

QTEST_APPLESS_MAIN(TestKernelQuant)
#include "tst_kernel_quant.moc"
