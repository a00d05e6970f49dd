// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The SQLite store: schema version and WAL, messages in order, edits that truncate,
// search over titles and text, delete with undo, purge on reopen, a newer schema refused,
// and a reply saved while streaming that survives a process killed mid-write.
#include "conversation_store.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

class TestConversationStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static QVariant pragma(const QString& file, const QString& name)
    {
        QVariant v;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "probe");
            db.setDatabaseName(file);
            db.open();
            QSqlQuery q(db);
            q.exec("PRAGMA " + name);
            if (q.next())
                v = q.value(0);
            db.close();
        }
        QSqlDatabase::removeDatabase("probe");
        return v;
    }

private slots:
    void createsVersionedWalDatabase()
    {
        const QString file = m_dir.filePath("a.sqlite");
        {
            ConversationStore store(file);
            QVERIFY2(store.error().isEmpty(), qPrintable(store.error()));
        }
        QCOMPARE(pragma(file, "user_version").toInt(), ConversationStore::kSchemaVersion);
        QCOMPARE(pragma(file, "journal_mode").toString(), QString("wal"));
    }

    void keepsMessagesInOrderAndTruncates()
    {
        ConversationStore store(m_dir.filePath("b.sqlite"));
        const qint64 c = store.createConversation("First");
        QVERIFY(c > 0);
        for (const char* t : {"one", "two", "three"}) {
            ConversationStore::Message m;
            m.role = "user";
            m.text = t;
            QVERIFY(store.appendMessage(c, m) > 0);
        }
        QCOMPARE(store.messages(c).size(), 3);
        QCOMPARE(store.messages(c)[2].text, QString("three"));
        ConversationStore::Message withImage;
        withImage.role = "user";
        withImage.text = "look";
        withImage.attachments.append({"image", "/data/attachments/a.png", 560});
        store.appendMessage(c, withImage);
        QCOMPARE(store.messages(c)[3].attachments.size(), 1);
        QCOMPARE(store.messages(c)[3].attachments[0].budget, 560);
        store.truncate(c, 1);
        QCOMPARE(store.messages(c).size(), 1);
        ConversationStore::Message m;
        m.role = "model";
        m.text = "again";
        store.appendMessage(c, m);
        QCOMPARE(store.messages(c)[1].text, QString("again"));
    }

    void searchesTitlesAndTextAndUndoesDeletes()
    {
        const QString file = m_dir.filePath("c.sqlite");
        {
            ConversationStore store(file);
            const qint64 a = store.createConversation("Paris trip");
            const qint64 b = store.createConversation("Recipes");
            ConversationStore::Message m;
            m.role = "user";
            m.text = "How long to boil an egg? 100% sure_please";
            store.appendMessage(b, m);
            QCOMPARE(store.conversations("paris").size(), 1);
            QCOMPARE(store.conversations("EGG").size(), 1);
            QCOMPARE(store.conversations("100%").size(), 1);
            QCOMPARE(store.conversations("0%_").size(), 0); // % and _ are text, not wildcards
            QCOMPARE(store.conversations().size(), 2);
            store.markDeleted(a, true);
            QCOMPARE(store.conversations().size(), 1);
            store.markDeleted(a, false);
            QCOMPARE(store.conversations().size(), 2);
            store.markDeleted(a, true);
        }
        ConversationStore again(file); // purges what stayed deleted
        QCOMPARE(again.conversations().size(), 1);
        QCOMPARE(again.conversations().first().title, QString("Recipes"));
    }

    void refusesANewerSchema()
    {
        const QString file = m_dir.filePath("d.sqlite");
        { ConversationStore store(file); }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "bump");
            db.setDatabaseName(file);
            db.open();
            QSqlQuery(db).exec("PRAGMA user_version = 99");
            db.close();
        }
        QSqlDatabase::removeDatabase("bump");
        ConversationStore store(file);
        QCOMPARE(store.error(), QString("The conversation store was written by a newer Facet (schema 99); this one reads up to 2."));
    }

    // A child process saves a streaming reply and is killed in the middle; what it
    // committed is there and the file opens cleanly.
    void survivesAKillMidReply()
    {
        if (qEnvironmentVariableIsSet("FACET_STORE_CHILD")) {
            ConversationStore store(qEnvironmentVariable("FACET_STORE_CHILD"));
            const qint64 c = store.createConversation("Streaming");
            ConversationStore::Message m;
            m.role = "model";
            m.id = store.appendMessage(c, m);
            for (int i = 0;; ++i) {
                m.text += QString("word%1 ").arg(i);
                store.updateMessage(m);
                if (i == 50)
                    std::printf("ready\n"), std::fflush(stdout);
            }
        }
        const QString file = m_dir.filePath("e.sqlite");
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FACET_STORE_CHILD", file);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {"survivesAKillMidReply"});
        QVERIFY(child.waitForReadyRead(20000));
        QTest::qWait(200);
        child.kill();
        child.waitForFinished();
        ConversationStore store(file);
        QVERIFY2(store.error().isEmpty(), qPrintable(store.error()));
        const auto conversations = store.conversations();
        QCOMPARE(conversations.size(), 1);
        const auto messages = store.messages(conversations.first().id);
        QCOMPARE(messages.size(), 1);
        QVERIFY(messages.first().text.startsWith("word0 word1 "));
        QVERIFY(messages.first().text.count("word") > 50);
        QCOMPARE(pragma(file, "integrity_check").toString(), QString("ok"));
    }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversation_store.moc"
