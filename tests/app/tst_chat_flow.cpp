// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The chat as a user drives it, on the real Gemma 3 270M file: load, send, watch the
// reply stream in and land in the store, stop, regenerate, edit an earlier message,
// come back to the conversation, and a broken file that leaves the model usable.
#include "chat_controller.h"
#include "conversation_store.h"
#include "engine_session.h"
#include "settings_store.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QString kModel = FACET_MODELS_DIR "/gemma-3-270m-q4_k_m.gguf";
}

class TestChatFlow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SettingsStore> m_settings;
    std::unique_ptr<EngineSession> m_session;
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<ChatController> m_chat;

    bool waitForReply(int ms = 120000)
    {
        QElapsedTimer t;
        t.start();
        while (m_session->generating() && t.elapsed() < ms)
            QTest::qWait(20);
        return !m_session->generating();
    }

private slots:
    void initTestCase()
    {
        m_settings = std::make_unique<SettingsStore>(m_dir.filePath("settings.ini"));
        m_settings->setTemperature(0); // greedy: the same reply every run
        m_settings->setMaxTokens(12);
        m_session = std::make_unique<EngineSession>();
        m_store = std::make_unique<ConversationStore>(m_dir.filePath("conversations.sqlite"));
        m_chat = std::make_unique<ChatController>();
        m_chat->setProperty("session", QVariant::fromValue(m_session.get()));
        m_chat->setProperty("store", QVariant::fromValue(m_store.get()));
        m_chat->setProperty("settings", QVariant::fromValue(m_settings.get()));

        QSignalSpy loaded(m_session.get(), &EngineSession::modelChanged);
        m_session->loadModel(kModel, 1024);
        QVERIFY(m_session->loading());
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->loading(), 60000);
        QVERIFY2(m_session->modelLoaded(), qPrintable(m_session->loadError()));
        QCOMPARE(m_session->modelName(), QString("gemma-3-270m-q4_k_m.gguf"));
        QCOMPARE(m_session->contextLength(), 1024);
        QCOMPARE(m_session->loadProgress(), 1.0);
    }

    void streamsAReplyIntoTheStore()
    {
        QSignalSpy text(m_session.get(), &EngineSession::replyText);
        QVERIFY(m_chat->send("Write one word."));
        QVERIFY(m_session->generating());
        QVERIFY(!m_chat->send("a second message while busy"));
        QVERIFY(waitForReply());
        QVERIFY(text.count() >= 2); // streamed in pieces, not at the end
        QCOMPARE(m_chat->messages()->count(), 2);
        const auto& reply = m_chat->messages()->rows()[1];
        QVERIFY(!reply.text.isEmpty());
        QVERIFY(!reply.streaming);
        QVERIFY2(reply.details.contains("tokens/s"), qPrintable(reply.details));
        QVERIFY(m_session->tokensPerSecond() > 0);
        QVERIFY(m_session->contextUsed() > 10);

        const qint64 id = m_chat->conversationId();
        QVERIFY(id > 0);
        const auto saved = m_store->messages(id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved[0].text, QString("Write one word."));
        QCOMPARE(saved[1].text, reply.text);
        QCOMPARE(saved[1].model, QString("gemma-3-270m-q4_k_m.gguf"));
        QVERIFY(saved[1].sampling.contains("\"temperature\":0"));
        QCOMPARE(m_store->conversation(id).title, QString("Write one word."));
    }

    void regeneratesTheSameGreedyReply()
    {
        const QString before = m_chat->messages()->rows()[1].text;
        m_chat->regenerate();
        QVERIFY(waitForReply());
        QCOMPARE(m_chat->messages()->count(), 2);
        QCOMPARE(m_chat->messages()->rows()[1].text, before);
    }

    void stopsWithin100Milliseconds()
    {
        m_settings->setMaxTokens(400);
        QVERIFY(m_chat->send("Count from one to one hundred."));
        QSignalSpy first(m_session.get(), &EngineSession::replyText);
        QVERIFY(first.wait(60000));
        QElapsedTimer t;
        t.start();
        m_chat->stop();
        QVERIFY(!m_session->generating());
        QVERIFY2(t.elapsed() < 100, qPrintable(QString::number(t.elapsed())));
        const QString shown = m_chat->messages()->rows().last().text;
        QTest::qWait(1500); // the worker finishes its token; nothing more appears
        QCOMPARE(m_chat->messages()->rows().last().text, shown);
        QVERIFY(m_chat->messages()->rows().last().details.contains("stopped"));
        QCOMPARE(m_store->messages(m_chat->conversationId()).last().text, shown);
        m_settings->setMaxTokens(12);
    }

    void continuesFromAnEditedMessage()
    {
        QCOMPARE(m_chat->messages()->count(), 4);
        m_chat->edit(0, "Write two words.");
        QVERIFY(waitForReply());
        QCOMPARE(m_chat->messages()->count(), 2);
        QCOMPARE(m_chat->messages()->rows()[0].text, QString("Write two words."));
        const auto saved = m_store->messages(m_chat->conversationId());
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved[1].text, m_chat->messages()->rows()[1].text);
    }

    void reopensAConversation()
    {
        const qint64 id = m_chat->conversationId();
        m_chat->open(0);
        QCOMPARE(m_chat->messages()->count(), 0);
        m_chat->open(id);
        QCOMPARE(m_chat->messages()->count(), 2);
        QCOMPARE(m_chat->messages()->rows()[0].text, QString("Write two words."));
    }

    void keepsTheModelWhenANewFileIsBroken()
    {
        m_session->loadModel(FACET_TEST_DATA "/gguf/truncated.gguf", 1024);
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->loading(), 60000);
        QCOMPARE(m_session->loadError(), QString("truncated.gguf is truncated: tensor blk.0.attn_q.weight ends at byte 5760 but "
                                                 "the file has 5660 bytes. The previous model is loaded again."));
        QVERIFY(m_session->modelLoaded());
        QCOMPARE(m_session->modelName(), QString("gemma-3-270m-q4_k_m.gguf"));
        QVERIFY(m_chat->send("Still there?"));
        QVERIFY(waitForReply());
        QVERIFY(!m_chat->messages()->rows().last().text.isEmpty());
    }

    void cleanupTestCase()
    {
        m_chat.reset();
        m_session.reset();
    }
};

QTEST_GUILESS_MAIN(TestChatFlow)
#include "tst_chat_flow.moc"
