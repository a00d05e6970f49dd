// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The C++ chat formats against the official Jinja templates as transformers'
// apply_chat_template renders them (tests/data/chat/conversations.jsonl, written by
// tools/reference/make_chat_fixtures.py): the text must be identical, byte for byte,
// and the token ids identical to llama.cpp's tokenization of that text (special tokens
// parsed) except where a message itself spells a marker, which Facet keeps as text.
#include "facet/chat_format.h"
#include "facet/error.h"
#include "facet/tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace facet;

namespace {

std::string str(const QJsonValue& v) { return v.toString().toStdString(); }

chat::Message toMessage(const QJsonObject& o)
{
    chat::Message m;
    const QString role = o["role"].toString();
    m.role = role == "system" || role == "developer" ? chat::Role::System
        : role == "user"                             ? chat::Role::User
        : role == "tool"                             ? chat::Role::Tool
                                                     : chat::Role::Model;
    const QJsonValue content = o["content"];
    if (content.isString()) {
        m.content.push_back({chat::Part::Kind::Text, str(content)});
    } else if (content.isArray()) {
        for (const QJsonValue p : content.toArray()) {
            const QString type = p["type"].toString();
            if (type == "text")
                m.content.push_back({chat::Part::Kind::Text, str(p["text"])});
            else
                m.content.push_back({type == "image" ? chat::Part::Kind::Image : type == "audio" ? chat::Part::Kind::Audio : chat::Part::Kind::Video, {}});
        }
    }
    m.reasoning = str(o["reasoning"]);
    for (const QJsonValue c : o["tool_calls"].toArray()) {
        const QJsonObject fn = c["function"].toObject();
        m.toolCalls.push_back({str(c["id"]), str(fn["name"]), QJsonDocument(fn["arguments"].toObject()).toJson(QJsonDocument::Compact).toStdString()});
    }
    m.toolCallId = str(o["tool_call_id"]);
    m.toolName = str(o["name"]);
    return m;
}

struct Case {
    chat::Family family;
    std::vector<chat::Message> messages;
    chat::Options options;
    std::string rendered;
    std::vector<int32_t> llamaIds;
    bool typedMarkers = false;
};

std::vector<Case> cases()
{
    QFile f(FACET_TEST_DATA "/chat/conversations.jsonl");
    if (!f.open(QIODevice::ReadOnly))
        qFatal("no chat fixture");
    std::vector<Case> out;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject row = QJsonDocument::fromJson(line).object();
        Case c;
        c.family = row["family"].toString() == "gemma4" ? chat::Family::Gemma4 : chat::Family::Gemma3;
        for (const QJsonValue m : row["messages"].toArray()) {
            c.messages.push_back(toMessage(m.toObject()));
            const QString text = QJsonDocument(m.toObject()).toJson();
            c.typedMarkers = c.typedMarkers || text.contains("<|") || text.contains("|>") || text.contains("<start_of");
        }
        const QJsonObject opt = row["options"].toObject();
        c.options.thinking = opt["enable_thinking"].toBool(false);
        c.options.addGenerationPrompt = opt["add_generation_prompt"].toBool(true);
        for (const QJsonValue t : opt["tools"].toArray())
            c.options.toolsJson.push_back(QJsonDocument(t.toObject()).toJson(QJsonDocument::Compact).toStdString());
        c.rendered = str(row["rendered"]);
        for (const QJsonValue id : row["llamacpp_ids"].toArray())
            c.llamaIds.push_back(id.toInt());
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace

class TestChatFormat : public QObject {
    Q_OBJECT

    std::vector<Case> m_cases;
    std::optional<Tokenizer> m_gemma4, m_gemma3;

private slots:
    void initTestCase()
    {
        m_cases = cases();
        QVERIFY(m_cases.size() >= 30);
        const QByteArray g4 = qgetenv("FACET_GEMMA4_VOCAB");
        if (!g4.isEmpty() && QFile::exists(QString::fromLocal8Bit(g4)))
            m_gemma4.emplace(Tokenizer::fromGguf(g4.toStdString()));
        const std::string g3 = FACET_MODELS_DIR "/gemma-3-270m-q4_k_m.gguf";
        if (QFile::exists(QString::fromStdString(g3)))
            m_gemma3.emplace(Tokenizer::fromGguf(g3));
    }

    void rendersAsTheOfficialTemplates()
    {
        int n = 0;
        for (const Case& c : m_cases) {
            const std::string ours = chat::format(c.family, c.messages, c.options).render();
            if (ours != c.rendered)
                qWarning("conversation %d\n  facet  %s\n  jinja  %s", n, ours.c_str(), c.rendered.c_str());
            QCOMPARE(ours, c.rendered);
            ++n;
        }
        qInfo("%d conversations render identically", n);
    }

    void tokenizesAsLlamaCpp()
    {
        int compared = 0;
        for (const Case& c : m_cases) {
            const Tokenizer* t = c.family == chat::Family::Gemma4 ? (m_gemma4 ? &*m_gemma4 : nullptr) : (m_gemma3 ? &*m_gemma3 : nullptr);
            if (!t || c.typedMarkers)
                continue;
            QCOMPARE(chat::format(c.family, c.messages, c.options).tokens(*t), c.llamaIds);
            ++compared;
        }
        qInfo("%d conversations tokenize as llama.cpp does", compared);
        if (compared == 0)
            QSKIP("no vocabulary available");
    }

    void keepsTypedMarkersAsText()
    {
        if (!m_gemma4)
            QSKIP("no Gemma 4-style vocabulary");
        chat::Message m;
        m.content.push_back({chat::Part::Kind::Text, "<|turn>model\n<turn|>"});
        const auto ids = chat::format(chat::Family::Gemma4, {m}, {}).tokens(*m_gemma4);
        QCOMPARE(std::count(ids.begin(), ids.end(), 105), 2); // the user turn and the reply's, not the typed one
        QCOMPARE(std::count(ids.begin(), ids.end(), 106), 1);
    }

    // The processor's expansion: <|image|> -> <|image>, n × <|image|>, <image|>.
    void expandsImagePlaceholders()
    {
        if (!m_gemma4)
            QSKIP("no Gemma 4-style vocabulary");
        chat::Message m;
        m.content.push_back({chat::Part::Kind::Image, "a.png", 70});
        m.content.push_back({chat::Part::Kind::Text, "Read it."});
        m.content.push_back({chat::Part::Kind::Image, "b.png", 280});
        const chat::Prompt p = chat::format(chat::Family::Gemma4, {m}, {});
        const auto plain = p.tokens(*m_gemma4);
        std::vector<chat::MediaSpan> spans;
        const auto ids = p.tokens(*m_gemma4, {3, 5}, spans);
        QCOMPARE(spans.size(), size_t(2));
        QCOMPARE(ids.size(), plain.size() + 2 * 2 + 3 - 1 + 5 - 1);
        QCOMPARE(ids[spans[0].first - 1], 255999);                 // <|image>
        for (uint32_t i = 0; i < 3; ++i)
            QCOMPARE(ids[spans[0].first + i], 258880);             // <|image|>
        QCOMPARE(ids[spans[0].first + 3], 258882);                 // <image|>
        QCOMPARE(spans[1].count, 5u);
        QCOMPARE(ids[spans[1].first + 5], 258882);
        QVERIFY_THROWS_EXCEPTION(Error, p.tokens(*m_gemma4, {3}, spans)); // two images, one encoded
    }

    void leavesOutTheEmptyThoughtForSmallModels()
    {
        chat::Options o;
        o.emptyThoughtWhenNotThinking = false;
        chat::Message m;
        m.content.push_back({chat::Part::Kind::Text, "Hi"});
        QCOMPARE(chat::format(chat::Family::Gemma4, {m}, o).render(), std::string("<bos><|turn>user\nHi<turn|>\n<|turn>model\n"));
    }

    void stopsOnTheEndOfTurn()
    {
        if (m_gemma4)
            QCOMPARE(chat::stopTokens(chat::Family::Gemma4, *m_gemma4), (std::vector<int32_t>{1, 106, 50}));
        if (m_gemma3)
            QCOMPARE(chat::stopTokens(chat::Family::Gemma3, *m_gemma3), (std::vector<int32_t>{1, 106}));
    }

    void refusesWhatAFormatCannotSay()
    {
        chat::Message a, b;
        a.content.push_back({chat::Part::Kind::Text, "x"});
        b = a;
        QVERIFY_THROWS_EXCEPTION(Error, chat::format(chat::Family::Gemma3, {a, b}, {}));
        QVERIFY_THROWS_EXCEPTION(Error, chat::familyOf("llama"));
        QCOMPARE(chat::familyOf("gemma3"), chat::Family::Gemma3);
        chat::Options o;
        o.toolsJson.push_back("{not json");
        QVERIFY_THROWS_EXCEPTION(Error, chat::format(chat::Family::Gemma4, {a}, o));
    }
};

QTEST_GUILESS_MAIN(TestChatFormat)
#include "tst_chat_format.moc"
