// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The GGUF reader against files written by gguf-py (tools/reference/make_gguf_fixtures.py)
// and hand-damaged copies of them. Built with AddressSanitizer: a hostile file must give
// its sentence, never a crash or a stray read.
#include "facet/error.h"
#include "facet/gguf.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace facet;

namespace {

std::filesystem::path data(const char* name) { return std::filesystem::path(FACET_TEST_DATA) / "gguf" / name; }

float halfToFloat(uint16_t h)
{
    const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 31, mant = h & 1023;
    float v = exp == 0 ? std::ldexp(float(mant), -24) : std::ldexp(float(mant | 1024), int(exp) - 25);
    return sign ? -v : v;
}

template <class T> T at(const gguf::TensorInfo& t, size_t i)
{
    T v;
    std::memcpy(&v, t.data.data() + i * sizeof(T), sizeof v);
    return v;
}

} // namespace

class TestGgufReader : public QObject {
    Q_OBJECT

private slots:
    void readsEveryScalarType()
    {
        const auto f = gguf::File::open(data("tiny.gguf"));
        QCOMPARE(f.version(), 3u);
        QCOMPARE(f.architecture(), std::string("gemma4"));
        QCOMPARE(f.require("test.u8").toU64("k"), 200u);
        QCOMPARE(f.require("test.i8").toI64("k"), -100);
        QCOMPARE(f.require("test.u16").toU64("k"), 60000u);
        QCOMPARE(f.require("test.i16").toI64("k"), -30000);
        QCOMPARE(f.require("test.u32").toU64("k"), 4000000000u);
        QCOMPARE(f.require("test.i32").toI64("k"), -2000000000);
        QCOMPARE(f.require("test.f32").toF64("k"), 0.15625);
        QCOMPARE(f.require("test.bool").toBool("k"), true);
        QCOMPARE(f.require("test.u64").toU64("k"), (uint64_t(1) << 63) + 5);
        QCOMPARE(f.require("test.i64").toI64("k"), -(int64_t(1) << 62));
        QCOMPARE(f.require("test.f64").toF64("k"), -1.0e300);
        QCOMPARE(f.require("test.string").toString("k"), std::string_view("héllo, wörld ✓"));
        QCOMPARE(f.require("gemma4.block_count").type(), gguf::ValueType::U32);
        QCOMPARE(f.keys().front(), std::string("general.architecture"));
    }

    void readsArrays()
    {
        const auto f = gguf::File::open(data("tiny.gguf"));
        const auto& i32 = f.require("test.array_i32").toArray("k");
        QCOMPARE(i32.elementType, gguf::ValueType::I32);
        QCOMPARE(i32.count, 4u);
        QCOMPARE(i32.integer(1), -2);
        QCOMPARE(i32.integer(3), -4);
        const auto& f32 = f.require("test.array_f32").toArray("k");
        QCOMPARE(f32.number(2), -2.25);
        const auto& strs = f.require("test.array_str").toArray("k");
        QCOMPARE(strs.strings.size(), size_t(4));
        QCOMPARE(strs.strings[1], std::string_view("▁the"));
        QCOMPARE(strs.strings[2], std::string_view(""));
        QCOMPARE(strs.strings[3], std::string_view("😀"));
    }

    void readsNestedArrays()
    {
        const auto f = gguf::File::open(data("tiny.gguf"));
        const auto& nested = f.require("test.array_nested").toArray("k");
        QCOMPARE(nested.elementType, gguf::ValueType::Array);
        QCOMPARE(nested.arrays.size(), size_t(3));
        const auto& second = nested.arrays[1].toArray("k");
        QCOMPARE(second.count, 3u);
        QCOMPARE(second.integer(2), 5);
        const auto& strs = f.require("test.array_nested_str").toArray("k");
        QCOMPARE(strs.arrays[1].toArray("k").strings[0], std::string_view("c"));
        // Seven levels of nesting are fine; ten are refused (rejectsDamagedFiles).
        QVERIFY(gguf::File::open(data("nested-ok.gguf")).find("test.deep"));
    }

    void refusesWrongValueConversions()
    {
        const auto f = gguf::File::open(data("tiny.gguf"));
        QVERIFY_THROWS_EXCEPTION(Error, f.require("test.string").toU64("test.string"));
        QVERIFY_THROWS_EXCEPTION(Error, f.require("test.i8").toU64("test.i8"));
        QVERIFY_THROWS_EXCEPTION(Error, f.require("test.u64").toI64("test.u64"));
        try {
            f.require("no.such.key");
            QFAIL("no exception");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), std::string("tiny.gguf lacks the metadata entry no.such.key."));
        }
    }

    void readsTensorInfosAndData()
    {
        const auto f = gguf::File::open(data("tiny.gguf"));
        QCOMPARE(f.tensors().size(), size_t(5));
        const auto& r32 = f.requireTensor("ramp.f32");
        QCOMPARE(r32.type, GgmlType::F32);
        QCOMPARE(r32.nDims, 2u);
        QCOMPARE(r32.ne[0], 8);
        QCOMPARE(r32.ne[1], 4);
        QCOMPARE(r32.nbytes, 128u);
        for (size_t i = 0; i < 32; ++i)
            QCOMPARE(at<float>(r32, i), float(i) * 0.125f - 2.0f);

        const auto& r16 = f.requireTensor("ramp.f16");
        QCOMPARE(r16.type, GgmlType::F16);
        for (size_t i = 0; i < 128; ++i)
            QCOMPARE(halfToFloat(at<uint16_t>(r16, i)), float(i) * 0.25f - 16.0f);

        const auto& bf = f.requireTensor("ramp.bf16");
        QCOMPARE(bf.type, GgmlType::BF16);
        QCOMPARE(bf.ne[0], 64);
        for (size_t i = 0; i < 128; ++i) {
            const uint32_t bits = uint32_t(at<uint16_t>(bf, i)) << 16;
            float v;
            std::memcpy(&v, &bits, 4);
            QCOMPARE(v, float(i) * 0.5f - 32.0f); // exact in bf16
        }

        // Q8_0: 2 rows of 64 = 4 blocks of 34 bytes; value = d * q.
        const auto& q8 = f.requireTensor("ramp.q8_0");
        QCOMPARE(q8.type, GgmlType::Q8_0);
        QCOMPARE(q8.nbytes, 4u * 34u);
        QCOMPARE(q8.rowBytes(), 2u * 34u);
        for (size_t b = 0; b < 4; ++b) {
            const float d = halfToFloat(at<uint16_t>(q8, b * 17));
            for (size_t j = 0; j < 32; ++j) {
                const auto q = static_cast<int8_t>(q8.data[b * 34 + 2 + j]);
                const float expect = float(b * 32 + j) * 0.0625f - 4.0f;
                // Half a quantization step, plus d's own f16 rounding (2^-11 relative) times |q|.
                const float bound = d * 0.5f + std::fabs(float(q)) * d / 2048.0f + 1e-6f;
                QVERIFY2(std::fabs(d * q - expect) <= bound, "Q8_0 element off by more than half a step");
            }
        }

        // numpy shape (2, 5, 3, 32) is ne = {32, 3, 5, 2}.
        const auto& q = f.requireTensor("blk.0.attn_q.weight");
        QCOMPARE(q.nDims, 4u);
        QCOMPARE(q.ne, (std::array<int64_t, 4>{32, 3, 5, 2}));
        QCOMPARE(q.rows(), 30);
        QCOMPARE(at<float>(q, 959), 959.0f);
        QVERIFY(!f.tensor("missing"));
    }

    void honoursAlignment()
    {
        const auto a = gguf::File::open(data("aligned64.gguf"));
        const auto t = gguf::File::open(data("tiny.gguf"));
        QCOMPARE(a.alignment(), 64u);
        QCOMPARE(t.alignment(), 32u);
        for (const auto& ti : a.tensors()) {
            QCOMPARE(ti.offset % 64, 0u);
            const auto& other = t.requireTensor(ti.name);
            QCOMPARE(ti.nbytes, other.nbytes);
            QVERIFY(std::memcmp(ti.data.data(), other.data.data(), ti.nbytes) == 0);
        }
    }

    void readsVersion2() { QCOMPARE(gguf::File::open(data("version2.gguf")).version(), 2u); }

    void joinsSplitParts_data()
    {
        QTest::addColumn<QString>("part");
        QTest::newRow("first") << "split-00001-of-00003.gguf";
        QTest::newRow("middle") << "split-00002-of-00003.gguf";
        QTest::newRow("last") << "split-00003-of-00003.gguf";
    }

    void joinsSplitParts()
    {
        QFETCH(QString, part);
        const auto f = gguf::File::open(data(part.toUtf8().constData()));
        QCOMPARE(f.partCount(), size_t(3));
        QCOMPARE(f.displayName(), std::string("split-00001-of-00003.gguf"));
        QCOMPARE(f.tensors().size(), size_t(5));
        for (int i = 0; i < 5; ++i) {
            const auto& t = f.requireTensor("t" + std::to_string(i));
            QCOMPARE(t.fileIndex, uint32_t(i / 2)); // two tensors per part
            QCOMPARE(at<float>(t, 31), float(i));
        }
    }

    void rejectsDamagedFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("sentence");
        auto row = [](const char* file, const char* sentence) { QTest::newRow(file) << file << sentence; };
        row("empty.gguf", "empty.gguf is empty.");
        row("bad-magic.gguf", "bad-magic.gguf is not a GGUF model file (it does not start with the letters GGUF).");
        row("version1.gguf", "version1.gguf is GGUF version 1, an old format Facet does not read; convert the model again with a current llama.cpp.");
        row("version9.gguf", "version9.gguf has GGUF version 9; Facet reads versions 2 and 3.");
        row("big-endian.gguf", "big-endian.gguf is a big-endian GGUF file, which Facet cannot read.");
        row("truncated.gguf", "truncated.gguf is truncated: tensor blk.0.attn_q.weight ends at byte 5760 but the file has 5660 bytes.");
        row("truncated-header.gguf", "truncated-header.gguf is truncated: its header lists 5 tensors, but the file's 90 bytes cannot hold them.");
        row("tensor-past-end.gguf", "tensor-past-end.gguf is truncated: tensor ramp.q8_0 ends at byte 1049832 but the file has 5760 bytes.");
        row("offset-overflow.gguf", "offset-overflow.gguf is damaged: tensor ramp.q8_0 has an offset (18446744073709551584) beyond any file size.");
        row("huge-tensor-count.gguf", "huge-tensor-count.gguf is damaged: its header claims 1099511627776 tensors, more than its 5760 bytes can hold.");
        row("negative-tensor-count.gguf", "negative-tensor-count.gguf is damaged: its header claims -1 tensors, more than its 5760 bytes can hold.");
        row("huge-kv-count.gguf", "huge-kv-count.gguf is damaged: its header claims 1099511627776 metadata entries, more than its 5760 bytes can hold.");
        row("huge-string.gguf", "huge-string.gguf is truncated: the metadata entry general.name runs past the end of the file (5760 bytes).");
        row("huge-array.gguf", "huge-array.gguf is damaged: the metadata entry test.array_i32 claims an array of 2305843009213693952 elements, more than the file's 5760 bytes can hold.");
        row("nested-deep.gguf", "nested-deep.gguf is damaged: the metadata entry test.deep nests arrays more than 8 deep.");
        row("bad-value-type.gguf", "bad-value-type.gguf is damaged: the metadata entry general.name has unknown value type 13.");
        row("bad-tensor-type.gguf", "bad-tensor-type.gguf stores tensor ramp.q8_0 in type 99, which Facet does not know.");
        row("overlap.gguf", "overlap.gguf is damaged: tensors ramp.f32 and ramp.f16 overlap at bytes 1152 to 1248.");
        row("misaligned.gguf", "misaligned.gguf is damaged: tensor ramp.q8_0 starts at offset 644, which is not a multiple of the file's alignment 32.");
        row("too-many-dims.gguf", "too-many-dims.gguf is damaged: tensor ramp.q8_0 has 5 dimensions; GGUF allows 1 to 4.");
        row("dim-overflow.gguf", "dim-overflow.gguf is damaged: tensor ramp.f32 has dimensions 1099511627776 x 1099511627776 whose element count overflows.");
        row("negative-dim.gguf", "negative-dim.gguf is damaged: tensor ramp.f32 has a negative dimension (-4).");
        row("ragged-block.gguf", "ragged-block.gguf is damaged: tensor ramp.q8_0 has rows of 40 elements, not a multiple of the Q8_0 block of 32.");
        row("bad-alignment.gguf", "bad-alignment.gguf is damaged: general.alignment is 48, which is not a power of two.");
        row("renamed-part.gguf", "renamed-part.gguf is one part of a model split into 3 files, but its name does not end in -00001-of-0000N.gguf, so the other parts cannot be found.");
        row("missing/split-00001-of-00003.gguf", "split-00001-of-00003.gguf is one of 3 parts of a split model, but split-00002-of-00003.gguf is missing.");
        row("no-such-file.gguf", "no-such-file.gguf cannot be opened: No such file or directory.");
    }

    void rejectsDamagedFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, sentence);
        try {
            gguf::File::open(data(file.toUtf8().constData()));
            QFAIL("the damaged file was accepted");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), sentence);
        }
    }

    void knowsEveryGgmlBlockSize()
    {
        // Block geometry as gguf-py's GGML_QUANT_SIZES lists it.
        QCOMPARE(ggmlTypeTraits(GgmlType::Q4_K).blockBytes, 144u);
        QCOMPARE(ggmlTypeTraits(GgmlType::Q6_K).blockBytes, 210u);
        QCOMPARE(ggmlTypeTraits(GgmlType::IQ4_XS).blockBytes, 136u);
        QCOMPARE(ggmlTypeTraits(GgmlType::MXFP4).blockBytes, 17u);
        QCOMPARE(ggmlTypeTraits(GgmlType::NVFP4).blockElements, 64u);
        QVERIFY(!ggmlTypeTraits(4u)); // ids 4 and 5 were removed from ggml
        QVERIFY(!ggmlTypeTraits(99u));
    }
};

QTEST_APPLESS_MAIN(TestGgufReader)
#include "tst_gguf_reader.moc"
