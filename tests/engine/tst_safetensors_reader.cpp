// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The safetensors reader against folders written by the `safetensors` package
// (tools/reference/make_safetensors_fixtures.py) and damaged copies. Built with ASan.
#include "facet/error.h"
#include "facet/safetensors.h"

#include <QTest>

#include <cstring>

using namespace facet;

namespace {

std::filesystem::path data(const char* name) { return std::filesystem::path(FACET_TEST_DATA) / "safetensors" / name; }

template <class T> T at(const safetensors::TensorInfo& t, size_t i)
{
    T v;
    std::memcpy(&v, t.data.data() + i * sizeof(T), sizeof v);
    return v;
}

} // namespace

class TestSafetensorsReader : public QObject {
    Q_OBJECT

private:
    static void checkTensors(const safetensors::Model& m)
    {
        QCOMPARE(m.tensors().size(), size_t(3));
        const auto& embed = m.requireTensor("model.embed.weight");
        QCOMPARE(embed.dtype, safetensors::DType::F32);
        QCOMPARE(embed.shape, (std::vector<int64_t>{6, 4}));
        QCOMPARE(embed.nbytes, 96u);
        for (size_t i = 0; i < 24; ++i)
            QCOMPARE(at<float>(embed, i), float(i) * 0.5f - 3.0f);
        const auto& norm = m.requireTensor("model.norm.weight");
        QCOMPARE(norm.dtype, safetensors::DType::F16);
        QCOMPARE(at<uint16_t>(norm, 3), uint16_t(0x4200)); // 3.0 in f16
        const auto& ids = m.requireTensor("model.layers.0.ids");
        QCOMPARE(ids.dtype, safetensors::DType::I64);
        QCOMPARE(ids.shape, (std::vector<int64_t>{1, 3}));
        QCOMPARE(at<int64_t>(ids, 1), int64_t(-2));
    }

private slots:
    void readsSingleFileFolder()
    {
        const auto m = safetensors::Model::open(data("single"));
        QCOMPARE(m.shardCount(), size_t(1));
        checkTensors(m);
        QVERIFY(m.configJson().find("\"gemma4\"") != std::string::npos);
        QCOMPARE(m.metadata().at("format"), std::string("pt"));
    }

    void readsOneFileByPath()
    {
        const auto m = safetensors::Model::open(data("single") / "model.safetensors");
        checkTensors(m);
    }

    void readsShardsThroughTheIndex()
    {
        const auto m = safetensors::Model::open(data("sharded"));
        QCOMPARE(m.shardCount(), size_t(2));
        checkTensors(m);
        QCOMPARE(m.requireTensor("model.norm.weight").fileIndex, 1u);
        QVERIFY(!m.tensor("nope"));
    }

    void rejectsDamagedFolders_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("sentence");
        auto row = [](const char* f, const char* s) { QTest::newRow(f) << f << s; };
        row("no-config", "The folder no-config has no config.json, so it is not a Hugging Face model folder.");
        row("no-weights", "The folder no-weights has neither model.safetensors nor model.safetensors.index.json.");
        row("bad-config", "config.json in bad-config is not valid JSON: expected a member name at byte 24.");
        row("truncated", "model.safetensors is truncated: tensor model.norm.weight ends at byte 128 of the data section but the section has 120 bytes.");
        row("header-past-end", "model.safetensors is truncated: its header of 392 bytes runs past the end of the file (392 bytes).");
        row("huge-header", "model.safetensors is damaged: its header claims 4611686018427387904 bytes, more than the 100 MiB Facet accepts.");
        row("bad-header-json", "The header of model.safetensors is not valid JSON: expected ',' or ']' at byte 15.");
        row("size-mismatch", "model.safetensors is damaged: tensor model.embed.weight is F32 of shape [7, 4] (112 bytes) but its data offsets span 96 bytes.");
        row("unknown-dtype", "model.safetensors stores tensor model.norm.weight as F4, which Facet does not know.");
        row("overlap", "model.safetensors is damaged: tensors model.embed.weight and model.norm.weight overlap.");
        row("index-missing-shard", "model.safetensors.index.json names model-00002-of-00002.safetensors, which is missing from index-missing-shard.");
        row("index-wrong-shard", "model.safetensors.index.json places model.norm.weight in model-00001-of-00002.safetensors, but model-00001-of-00002.safetensors does not hold it.");
        row("does-not-exist", "does-not-exist does not exist.");
    }

    void rejectsDamagedFolders()
    {
        QFETCH(QString, folder);
        QFETCH(QString, sentence);
        try {
            safetensors::Model::open(data(folder.toUtf8().constData()));
            QFAIL("the damaged folder was accepted");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), sentence);
        }
    }
};

QTEST_APPLESS_MAIN(TestSafetensorsReader)
#include "tst_safetensors_reader.moc"
