// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The JSON parser behind config.json and safetensors headers: RFC 8259 documents in,
// exact integers kept, and every malformed input answered with a sentence. Built with ASan.
#include "facet/error.h"
#include "util/json.h"

#include <QTest>

using namespace facet;

class TestJson : public QObject {
    Q_OBJECT

private slots:
    void parsesDocuments()
    {
        // moc cannot read raw string literals, so the document is spelled with escapes.
        const char* doc = " {\"a\": [1, -2.5e1, true, false, null], \"big\": 9007199254740993,"
                          " \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"o\": {}} ";
        const auto v = json::parse(doc, "doc");
        QVERIFY(v.isObject());
        const auto& a = v.find("a")->array();
        QCOMPARE(a.size(), size_t(5));
        QCOMPARE(*a[0].integer(), int64_t(1));
        QCOMPARE(a[1].number(), -25.0);
        QVERIFY(!a[1].integer());
        QVERIFY(a[2].boolean());
        QVERIFY(a[4].isNull());
        QCOMPARE(*v.find("big")->integer(), int64_t(9007199254740993)); // not representable as a double
        QCOMPARE(v.find("s")->string(), std::string("x\"\\/\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80"));
        QVERIFY(v.find("o")->isObject());
        QVERIFY(!v.find("missing"));
    }

    void rejectsMalformedText_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("empty") << QByteArray("") << "doc is not valid JSON: unexpected end at byte 0.";
        QTest::newRow("trailing comma") << QByteArray("[1,]") << "doc is not valid JSON: unexpected character at byte 3.";
        QTest::newRow("after end") << QByteArray("{} x") << "doc is not valid JSON: unexpected text after the end at byte 3.";
        QTest::newRow("open string") << QByteArray("\"abc") << "doc is not valid JSON: unterminated string at byte 4.";
        QTest::newRow("lone surrogate") << QByteArray("\"\\udc00\"") << "doc is not valid JSON: unpaired surrogate at byte 7.";
        QTest::newRow("control char") << QByteArray("\"a\nb\"") << "doc is not valid JSON: control character in a string at byte 3.";
        QTest::newRow("leading zero ok, bad number") << QByteArray("-") << "doc is not valid JSON: malformed number at byte 1.";
        QTest::newRow("deep") << QByteArray(200, '[') << "doc is not valid JSON: nesting deeper than 128 at byte 129.";
    }

    void rejectsMalformedText()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, sentence);
        try {
            json::parse(std::string_view(text.constData(), size_t(text.size())), "doc");
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(QString::fromUtf8(e.what()), sentence);
        }
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
