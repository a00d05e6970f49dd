// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// facet-cli and facet-bench as a user runs them: the greedy continuation and logits
// of the tiny 31B-like fixture against transformers, the JSON of the benchmark, and
// one sentence with exit code 1 for each mistake.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

namespace {

const QString kData = QString(FACET_TEST_DATA) + "/text/tiny-31b/";

struct Run {
    int code;
    QString out, err;
};

Run run(const QString& program, const QStringList& args, const QString& dataHome = {})
{
    QProcess p;
    if (!dataHome.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_DATA_HOME", dataHome);
        p.setProcessEnvironment(env);
    }
    p.start(program, args);
    p.waitForFinished(120000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject reference()
{
    QFile f(kData + "reference.json");
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString ids(const QJsonArray& a, int n = -1)
{
    QStringList s;
    for (int i = 0; i < (n < 0 ? a.size() : n); ++i)
        s << QString::number(a[i].toInt());
    return s.join(',');
}

} // namespace

class TestFacetCli : public QObject {
    Q_OBJECT

private slots:
    void streamsTheGreedyContinuation()
    {
        const auto ref = reference();
        const Run r = run(FACET_CLI, {"--model", kData + "model.gguf", "--tokens", ids(ref["prompt"].toArray()), "-n", "16",
                                      "--print-ids", "--f32-kv"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed().replace(' ', ','), ids(ref["greedy"].toArray(), 16));
    }

    void dumpsLogitsAfterEveryToken()
    {
        const auto ref = reference();
        QTemporaryDir dir;
        const QString out = dir.filePath("logits.f32");
        const Run r = run(FACET_CLI, {"--model", kData + "model.gguf", "--tokens", ids(ref["prompt"].toArray()), "-n", "4",
                                      "--dump-logits", out, "--f32-kv"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile dumped(out), expected(kData + "logits.f32");
        QVERIFY(dumped.open(QIODevice::ReadOnly) && expected.open(QIODevice::ReadOnly));
        const int vocab = ref["vocab"].toInt();
        const int rows = ref["prompt"].toArray().size() + 3; // prompt, then 3 decode steps
        const QByteArray a = dumped.readAll(), b = expected.read(qint64(rows) * vocab * 4);
        QCOMPARE(a.size(), b.size());
        const auto* x = reinterpret_cast<const float*>(a.constData());
        const auto* y = reinterpret_cast<const float*>(b.constData());
        for (int row = 0; row < rows; ++row) {
            double maxRef = 0, maxDiff = 0;
            for (int i = 0; i < vocab; ++i) {
                maxRef = std::max(maxRef, std::fabs(double(y[row * vocab + i])));
                maxDiff = std::max(maxDiff, std::fabs(double(x[row * vocab + i]) - y[row * vocab + i]));
            }
            QVERIFY2(maxDiff <= 1e-3 * maxRef, qPrintable(QString("row %1").arg(row)));
        }
    }

    void samplesTheSameForTheSameSeed()
    {
        const auto ref = reference();
        auto sample = [&](const char* seed) {
            const Run r = run(FACET_CLI, {"--model", kData + "model.gguf", "--tokens", ids(ref["prompt"].toArray()), "-n", "24",
                                          "--print-ids", "--temp", "4", "--top-k", "40", "--top-p", "1", "--seed", seed});
            return r.code == 0 ? r.out : r.err;
        };
        const QString a = sample("11");
        QCOMPARE(sample("11"), a);
        QVERIFY(sample("12") != a);
    }

    void benchPrintsOneJsonObject()
    {
        const Run r = run(FACET_BENCH, {"--model", kData + "model.gguf", "--prompt-tokens", "16", "--gen-tokens", "8"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonParseError e;
        const auto doc = QJsonDocument::fromJson(r.out.toUtf8(), &e);
        QVERIFY2(doc.isObject(), qPrintable(e.errorString()));
        const auto o = doc.object();
        for (const char* key : {"device", "prefill_tok_s", "decode_tok_s", "time_to_first_token_ms", "peak_device_bytes",
                                "peak_host_bytes", "kv_cache_bytes"})
            QVERIFY2(o.contains(key), key);
        QVERIFY(o["decode_tok_s"].toDouble() > 0);
        QCOMPARE(o["prompt_tokens"].toInt(), 16);
        QVERIFY(o["peak_device_bytes"].toDouble() >= o["weights_bytes"].toDouble() + o["kv_cache_bytes"].toDouble());
    }

    void answersMistakesWithOneSentence_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("sentence");
        const QString model = kData + "model.gguf";
        QTest::newRow("no model") << QStringList{"--tokens", "2"} << "facet-cli: --tokens needs a model: pass --model FILE.gguf.";
        QTest::newRow("no prompt") << QStringList{"--model", model}
                                   << "facet-cli: Give one of a message with -p TEXT, token ids with --tokens, or --transcribe with --audio FILE; see --help.";
        QTest::newRow("audio without projector") << QStringList{"--model", model, "-p", "hi", "--audio", "a.wav"}
            << "facet-cli: --audio needs the model's audio encoder: pass its mmproj file with --mmproj FILE.gguf.";
        QTest::newRow("transcribe without audio") << QStringList{"--model", model, "--transcribe"}
            << "facet-cli: --transcribe needs a sound file: pass it with --audio FILE.";
        QTest::newRow("no token list") << QStringList{"--model", model, "-p", "hi"}
                                       << "facet-cli: This model's vocabulary has no <|turn> token, which its chat format needs.";
        QTest::newRow("image without projector") << QStringList{"--model", model, "-p", "hi", "--image", "a.png"}
            << "facet-cli: --image needs the model's vision encoder: pass its mmproj file with --mmproj FILE.gguf.";
        QTest::newRow("image budget") << QStringList{"--model", model, "-p", "hi", "--image-budget", "300"}
            << "facet-cli: --image-budget takes 70, 140, 280, 560 or 1120 soft tokens, not 300.";
        QTest::newRow("bad ids") << QStringList{"--model", model, "--tokens", "2,x"}
                                 << "facet-cli: --tokens takes comma-separated token ids, and \"x\" is not one.";
        QTest::newRow("id out of range") << QStringList{"--model", model, "--tokens", "2,9999", "--print-ids"}
                                         << "facet-cli: Token id 9999 is outside this model's vocabulary of 512.";
        QTest::newRow("wrong architecture") << QStringList{"--model", QString(FACET_TEST_DATA) + "/gguf/tiny.gguf", "--tokens", "2", "--print-ids"}
                                            << "facet-cli: tiny.gguf lacks the metadata entry gemma4.embedding_length.";
        QTest::newRow("truncated file") << QStringList{"--model", QString(FACET_TEST_DATA) + "/gguf/truncated.gguf", "--tokens", "2", "--print-ids"}
                                        << "facet-cli: truncated.gguf is truncated: tensor blk.0.attn_q.weight ends at byte 5760 but the file has 5660 bytes.";
        QTest::newRow("impossible sampling") << QStringList{"--model", model, "--tokens", "2", "--top-p", "2"}
            << "facet-cli: These sampling settings are impossible: temperature must be at least 0, top-k 1 to 256, top-p above 0 "
               "and at most 1, min-p 0 to below 1, the repeat penalty above 0 and its window at most 256 tokens.";
        QTest::newRow("unknown option") << QStringList{"--model", model, "--temperature", "1"}
                                        << "facet-cli: Unknown option --temperature; see --help.";
    }

    // The bundled demo model is found in $XDG_DATA_HOME/Facet/models without --model.
    void chatsWithTheDemoModelByDefault()
    {
        QTemporaryDir home;
        QVERIFY(QDir().mkpath(home.filePath("Facet/models")));
        QVERIFY(QFile::link(FACET_MODELS_DIR "/gemma-3-270m-q4_k_m.gguf", home.filePath("Facet/models/gemma-3-270m-q4_k_m.gguf")));
        const Run r = run(FACET_CLI, {"-p", "What is the capital of France?", "-n", "6"}, home.path());
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("gemma-3-270m-q4_k_m.gguf on"), qPrintable(r.err));
        // <bos><start_of_turn>user\n + 7 text tokens + <end_of_turn>\n<start_of_turn>model\n
        QVERIFY2(r.err.contains("16 prompt tokens, 6 generated"), qPrintable(r.err));
        QVERIFY(!r.out.trimmed().isEmpty());

        QTemporaryDir empty;
        const Run missing = run(FACET_CLI, {"-p", "hi"}, empty.path());
        QCOMPARE(missing.code, 1);
        QCOMPARE(missing.err.trimmed(), "facet-cli: No --model given and the demo model is not at " + empty.path() +
                                            "/Facet/models/gemma-3-270m-q4_k_m.gguf; run tools/dev.sh run once, or pass --model FILE.gguf.");
    }

    void answersMistakesWithOneSentence()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, sentence);
        const Run r = run(FACET_CLI, args);
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.trimmed().split('\n').last(), sentence);
    }
};

QTEST_APPLESS_MAIN(TestFacetCli)
#include "tst_facet_cli.moc"
