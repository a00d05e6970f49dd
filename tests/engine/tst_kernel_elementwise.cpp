// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The element-wise kernels (GELU product, scaled add and product, soft-cap), plain and
// through strided views, against a CPU double-precision reference (2e-6 relative, plus
// 1e-6 of |a b| for GELU and of the cap for the soft-cap: the device's tanh is accurate
// in absolute, not relative, terms); where the device
// reads through texels (a CPU device) the texel kernels must equal the storage-buffer
// ones bit for bit.
#include "vk/kernels/elementwise.h"
#include "vk_fixture.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace facet::vk;
using facet::vk::kernels::Strided;

namespace {

enum class Op { GeluMul, AddScale, Mul, Softcap };

double reference(Op op, double a, double b, double scale)
{
    switch (op) {
    case Op::GeluMul: return 0.5 * a * (1.0 + std::tanh(0.7978845608028654 * (a + 0.044715 * a * a * a))) * b;
    case Op::AddScale: return (a + b) * scale;
    case Op::Mul: return a * b * scale;
    case Op::Softcap: return scale * std::tanh(a / scale);
    }
    return 0;
}

} // namespace

class TestKernelElementwise : public QObject {
    Q_OBJECT
    VkFixtures m_vk;

    std::vector<float> run(VkFixture& f, Op op, const std::vector<float>& a, const std::vector<float>& b, uint32_t n,
                           float scale, Strided bv, Strided av)
    {
        auto& ctx = f.ctx();
        Buffer ab(ctx, a.size() * 4, MemoryUse::Device), bb(ctx, b.size() * 4, MemoryUse::Device);
        Buffer yb(ctx, uint64_t(n) * 4, MemoryUse::Readback);
        ab.uploadValues(std::span<const float>(a));
        bb.uploadValues(std::span<const float>(b));
        Recorder rec(ctx);
        rec.begin();
        switch (op) {
        case Op::GeluMul: kernels::recordGeluMul(rec, f.pipelines(), ab.range(), bb.range(), yb.range(), n, bv, av); break;
        case Op::AddScale: kernels::recordAddScale(rec, f.pipelines(), ab.range(), bb.range(), yb.range(), n, scale, bv); break;
        case Op::Mul: kernels::recordMul(rec, f.pipelines(), ab.range(), bb.range(), yb.range(), n, scale, bv); break;
        case Op::Softcap: kernels::recordSoftcap(rec, f.pipelines(), ab.range(), yb.range(), n, scale); break;
        }
        rec.submitAndWait();
        return yb.downloadValues<float>(n);
    }

private slots:
    void initTestCase() { m_vk.init(); }
    void cleanup() { m_vk.checkNoValidationErrors(); }
    void cleanupTestCase() { m_vk.release(); }

    void matchesCpu_data()
    {
        QTest::addColumn<int>("op");
        QTest::addColumn<quint32>("n");
        QTest::addColumn<bool>("strided");
        for (auto [name, op] : {std::pair{"gelu*", Op::GeluMul}, {"add", Op::AddScale}, {"mul", Op::Mul}, {"softcap", Op::Softcap}}) {
            QTest::newRow((std::string(name) + " E2B FFN").c_str()) << int(op) << 12288u << false;
            QTest::newRow((std::string(name) + " odd length").c_str()) << int(op) << 1001u << false;
            if (op != Op::Softcap)
                QTest::newRow((std::string(name) + " PLE slice").c_str()) << int(op) << 3u * 256u << true;
        }
    }

    void matchesCpu()
    {
        QFETCH(int, op);
        QFETCH(quint32, n);
        QFETCH(bool, strided);
        const Op o = Op(op);
        const float scale = o == Op::Softcap ? 30.0f : 0.37f;
        // Strided: b is layer 5's 256-wide slice of [tokens, 35 * 256] PLE inputs; a plain.
        const Strided bv = strided ? Strided{256, 35 * 256, 5 * 256} : Strided{};
        const size_t bSize = strided ? size_t(n / 256) * 35 * 256 : n;
        std::mt19937 rng(n + op);
        std::normal_distribution<float> dist(0.0f, o == Op::Softcap ? 40.0f : 2.0f);
        std::vector<float> a(n), b(bSize);
        for (auto& v : a)
            v = dist(rng);
        for (auto& v : b)
            v = dist(rng);
        const auto got = run(m_vk.byDefault(), o, a, b, n, scale, bv, {});
        for (uint32_t i = 0; i < n; ++i) {
            const uint32_t bi = strided ? (i / 256) * bv.stride + bv.offset + i % 256 : i;
            const double ref = reference(o, a[i], b[bi], scale);
            // tanh is good to about 2e-7 absolute, not relative (near 0 and near -1 it
            // loses its relative accuracy): the tolerance is in the terms around it.
            const double around = o == Op::GeluMul   ? std::fabs(double(a[i]) * b[bi])
                                  : o == Op::Softcap ? scale
                                                     : std::fabs(ref);
            QVERIFY2(std::fabs(got[i] - ref) <= 2e-6 * std::fabs(ref) + 1e-6 * around + 1e-30,
                     qPrintable(QString("element %1: %2 vs %3").arg(i).arg(got[i]).arg(ref)));
        }
        if (m_vk.differ()) {
            const auto plain = run(m_vk.storage(), o, a, b, n, scale, bv, {});
            QVERIFY2(std::memcmp(plain.data(), got.data(), n * 4) == 0, "texel and storage kernels differ");
        }
    }
};

QTEST_APPLESS_MAIN(TestKernelElementwise)
#include "tst_kernel_elementwise.moc"
