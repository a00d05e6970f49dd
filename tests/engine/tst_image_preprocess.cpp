// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Image decoding and Gemma 4's preprocessing against transformers' image processor
// (tests/data/vision/preprocess.jsonl from tools/reference/make_image_fixtures.py):
// 14 images of different shapes, formats and pixel modes at all five budgets. Lossless
// formats must give the same 8-bit pixels in every patch (sha256); lossy ones (JPEG,
// WebP) are decoded by FFmpeg rather than libjpeg/libwebp, so there the grid and token
// count must match and the mean pixel within 2 of 255.
#include "facet/error.h"
#include "facet/image.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace facet;

namespace {
const QString kDir = FACET_TEST_DATA "/vision/";
}

class TestImagePreprocess : public QObject {
    Q_OBJECT

private slots:
    void reproducesTheSpecBudgetTable()
    {
        const uint32_t side[] = {384, 528, 768, 1104, 1584};
        const uint32_t budgets[] = {70, 140, 280, 560, 1120};
        for (int i = 0; i < 5; ++i)
            for (uint32_t s : {10u, 224u, 1000u, 4000u}) {
                const auto t = vision::targetSize(s, s, budgets[i]);
                QCOMPARE(t.height, side[i]);
                QCOMPARE(t.width, side[i]);
            }
        struct Row { uint32_t h, w, budget, th, tw, tokens; };
        const Row rows[] = {{768, 1024, 70, 336, 432, 63}, {768, 1024, 1120, 1344, 1824, 1064}, {1080, 1920, 280, 576, 1056, 264},
                            {1080, 1920, 560, 816, 1488, 527}, {100, 2000, 70, 48, 1776, 37}, {100, 2000, 1120, 336, 7152, 1043}};
        for (const Row& r : rows) {
            const auto t = vision::targetSize(r.h, r.w, r.budget);
            QCOMPARE(t.height, r.th);
            QCOMPARE(t.width, r.tw);
            QCOMPARE(t.softTokens(), r.tokens);
        }
    }

    void matchesTransformers()
    {
        QFile f(kDir + "preprocess.jsonl");
        QVERIFY(f.open(QIODevice::ReadOnly));
        int exact = 0, lossy = 0;
        QString current;
        RgbImage image;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject row = QJsonDocument::fromJson(line).object();
            const QString name = row["image"].toString();
            if (name != current) {
                image = decodeImage((kDir + "images/" + name).toStdString());
                current = name;
                QCOMPARE(int(image.height), row["shown"].toArray()[0].toInt());
                QCOMPARE(int(image.width), row["shown"].toArray()[1].toInt());
            }
            const auto p = vision::preprocess(image, uint32_t(row["budget"].toInt()));
            QCOMPARE(int(p.rows), row["rows"].toInt());
            QCOMPARE(int(p.cols), row["cols"].toInt());
            QCOMPARE(int(p.softTokens()), row["soft_tokens"].toInt());
            QCOMPARE(p.positions[2 * (p.cols + 1)], 1);       // x of the second patch in row 1
            QCOMPARE(p.positions[2 * (p.cols + 1) + 1], 1);   // its y
            QByteArray u8(qsizetype(p.values.size()), '\0');
            double sum = 0;
            for (size_t i = 0; i < p.values.size(); ++i) {
                const long v = std::lround(double(p.values[i]) * 255.0);
                u8[qsizetype(i)] = char(v);
                sum += double(v);
            }
            const double mean = sum / double(p.values.size());
            if (name.endsWith(".jpg") || name.endsWith(".webp")) {
                // FFmpeg's JPEG and VP8 decoders are not libjpeg-turbo's and libwebp's:
                // the mean pixel may move by up to 2 levels of 255 (measured 0.2 and 1.5).
                QVERIFY2(std::abs(mean - row["mean"].toDouble()) < 2.0, qPrintable(name + QString(" mean %1 vs %2").arg(mean).arg(row["mean"].toDouble())));
                ++lossy;
            } else {
                QVERIFY2(QCryptographicHash::hash(u8, QCryptographicHash::Sha256).toHex() == row["sha256"].toString().toLatin1(),
                         qPrintable(QString("%1 at %2: mean %3 vs %4").arg(name).arg(row["budget"].toInt()).arg(mean).arg(row["mean"].toDouble())));
                ++exact;
            }
        }
        qInfo("%d image/budget pairs pixel-exact, %d lossy ones within tolerance", exact, lossy);
        QVERIFY(exact >= 60);
    }

    void refusesBadInput_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("truncated") << "bad/truncated.png" << "truncated.png is damaged or not an image: no picture could be decoded from it.";
        QTest::newRow("not an image") << "bad/not-an-image.png" << "not-an-image.png is damaged or not an image: no picture could be decoded from it.";
        QTest::newRow("absurd size") << "bad/sliver-100000x1.png" << "sliver-100000x1.png is 100000×1 pixels; Facet reads images up to 16384 pixels a side.";
        QTest::newRow("missing") << "nowhere.png" << "nowhere.png does not exist.";
    }

    void refusesBadInput()
    {
        QFETCH(QString, file);
        QFETCH(QString, sentence);
        try {
            decodeImage((kDir + file).toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), sentence);
        }
    }

    void refusesImpossibleSizesAndBudgets()
    {
        QVERIFY_THROWS_EXCEPTION(Error, vision::targetSize(100, 100, 100));
        QVERIFY_THROWS_EXCEPTION(Error, vision::targetSize(0, 100, 280));
        // As in transformers: a one-pixel sliver becomes one row of 48-px cells, capped at the budget.
        const auto sliver = vision::targetSize(1, 100000, 280);
        QCOMPARE(sliver.height, 48u);
        QCOMPARE(sliver.width, 280u * 48u);
        try {
            vision::targetSize(100, 100, 300);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), QString("An image budget of 300 soft tokens is not one Gemma 4 was trained for; choose 70, 140, 280, 560 or 1120."));
        }
    }
};

QTEST_GUILESS_MAIN(TestImagePreprocess)
#include "tst_image_preprocess.moc"
