// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The main window built from the same object graph main() builds: it loads without a
// single QML warning, shows its parts, and its controls do what they say.
#include "conversation_store.h"
#include "engine_session.h"
#include "model_file_check.h"
#include "qml_plugins.h"
#include "settings_store.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

QStringList g_warnings;
QtMessageHandler g_previous = nullptr;

void collectWarnings(QtMsgType type, const QMessageLogContext& ctx, const QString& msg)
{
    if (type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg)
        g_warnings << msg;
    if (g_previous)
        g_previous(type, ctx, msg);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SettingsStore> m_settings;
    std::unique_ptr<EngineSession> m_session;
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;

    template <class T = QQuickItem> T* find(const char* name)
    {
        auto* o = m_window->findChild<T*>(name);
        if (!o)
            qWarning("no object named %s", name);
        return o;
    }

private slots:
    void initTestCase()
    {
        g_previous = qInstallMessageHandler(collectWarnings);
        QQuickStyle::setStyle("Fusion");
        m_settings = std::make_unique<SettingsStore>(m_dir.filePath("settings.ini"));
        m_session = std::make_unique<EngineSession>();
        m_store = std::make_unique<ConversationStore>(m_dir.filePath("conversations.sqlite"));
        m_engine = std::make_unique<QQmlApplicationEngine>();
        addFacetImportPath(*m_engine);
        m_engine->setInitialProperties({{"settings", QVariant::fromValue(m_settings.get())},
                                        {"session", QVariant::fromValue(m_session.get())},
                                        {"store", QVariant::fromValue(m_store.get())}});
        m_engine->load(QUrl("qrc:/Facet/Main.qml"));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
        QVERIFY(m_window);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        m_session->probeDevices();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->deviceReady() || !m_session->deviceError().isEmpty(), 20000);
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        qInstallMessageHandler(g_previous);
    }

    void showsEveryPart()
    {
        QCOMPARE(m_window->width(), 1280);
        QCOMPARE(m_window->height(), 800);
        for (const char* name : {"conversationDrawer", "conversationList", "chatPage", "messageList", "chatPlaceholder",
                                 "composer", "composerInput", "sendButton", "settingsButton", "statusLine", "newChatButton"})
            QVERIFY2(find(name), name);
        QVERIFY(find("chatPlaceholder")->isVisible());
        QCOMPARE(find("chatPlaceholder")->property("text").toString(),
                 QString("Choose a Gemma 4 model file in Settings to start chatting."));
    }

    void reportsTheDeviceInTheStatusLine()
    {
        QVERIFY2(m_session->deviceReady(), qPrintable(m_session->deviceError()));
        QCOMPARE(find("statusLine")->property("text").toString(), m_session->deviceName());
        QVERIFY(m_session->deviceReason().startsWith(m_session->deviceName() + " runs Facet because "));
    }

    void cannotSendWithoutAModel()
    {
        auto* input = find("composerInput");
        input->setProperty("text", "Hello there");
        QCOMPARE(find("sendButton")->property("enabled").toBool(), false);
        QVERIFY(input->property("placeholderText").toString().contains("No model is loaded yet"));
        input->setProperty("text", "");
    }

    // A new chat is a blank page: it joins the list with its first message, so empty
    // conversations never pile up; an open one shows its messages from the store.
    void newChatOpensABlankPage()
    {
        const qint64 id = m_store->createConversation("Saved earlier");
        ConversationStore::Message m;
        m.role = "user";
        m.text = "hello from the store";
        m_store->appendMessage(id, m);
        auto* list = find("conversationList");
        QTRY_COMPARE(list->property("count").toInt(), 1);
        QVERIFY(QMetaObject::invokeMethod(find("conversationDrawer"), "openRequested", Q_ARG(QVariant, QVariant::fromValue(id))));
        QTRY_COMPARE(find("messageList")->property("count").toInt(), 1);
        QCOMPARE(list->property("currentIndex").toInt(), 0);

        QMetaObject::invokeMethod(find("newChatButton"), "clicked");
        QCOMPARE(find("messageList")->property("count").toInt(), 0);
        QCOMPARE(list->property("currentIndex").toInt(), -1);
        QCOMPARE(list->property("count").toInt(), 1);
    }

    void ctrlNStartsANewChatAndCtrlFSearches()
    {
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QMetaObject::invokeMethod(find("conversationDrawer"), "openRequested", Q_ARG(QVariant, QVariant::fromValue(m_store->conversations().first().id)));
        QTRY_COMPARE(find("messageList")->property("count").toInt(), 1);
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(find("messageList")->property("count").toInt(), 0);
        QTRY_VERIFY(find("composerInput")->property("activeFocus").toBool());
        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(find("searchField")->property("activeFocus").toBool());
        for (const char c : QByteArray("zzqx"))
            QTest::keyClick(m_window, c);
        QTRY_COMPARE(find("conversationList")->property("count").toInt(), 0);
        find("searchField")->setProperty("text", "FROM THE");
        QTRY_COMPARE(find("conversationList")->property("count").toInt(), 1); // message text, any case
        find("searchField")->setProperty("text", "");
    }

    void settingsShowDeviceAndReason()
    {
        auto* drawer = m_window->findChild<QObject*>("settingsDrawer");
        QVERIFY(drawer);
        QMetaObject::invokeMethod(drawer, "open");
        QTRY_VERIFY(drawer->property("opened").toBool());
        auto* name = find("deviceName");
        auto* reason = find("deviceReason");
        QVERIFY(name && reason);
        QCOMPARE(name->property("text").toString(), m_session->deviceName() + " (" + m_session->deviceKind() + ")");
        QCOMPARE(reason->property("text").toString(), m_session->deviceReason());
        QMetaObject::invokeMethod(drawer, "close");
        QTRY_VERIFY(!drawer->property("visible").toBool());
    }

    void persistsSettings()
    {
        QSignalSpy spy(m_settings.get(), &SettingsStore::modelPathChanged);
        m_settings->setModelPath("E4B", "file:///models/gemma-4-E4B-it-Q4_K_M.gguf");
        QCOMPARE(spy.count(), 1);
        m_settings->setActiveSize("31B");
        m_settings->setActiveSize("70B"); // not a Gemma 4 size: ignored
        m_settings->setMmprojPath("E4B", "file:///models/mmproj-gemma-4-E4B-f16.gguf");
        m_settings->setTemperature(0.7);
        m_settings->setMaxTokens(-1); // "unset": back to the built-in 1024
        SettingsStore again(m_dir.filePath("settings.ini"));
        QCOMPARE(again.modelPath("E4B"), QString("/models/gemma-4-E4B-it-Q4_K_M.gguf"));
        QCOMPARE(again.activeSize(), QString("31B"));
        QCOMPARE(again.mmprojPath("E4B"), QString("/models/mmproj-gemma-4-E4B-f16.gguf"));
        QCOMPARE(again.temperature(), 0.7);
        QCOMPARE(again.maxTokens(), 1024);
        QCOMPARE(again.topK(), -1); // the file's value
    }

    void checksChosenModelFiles()
    {
        const QString dir = QString(FACET_TEST_DATA) + "/gguf/";
        const auto noConfig = ModelFileCheck::inspect(dir + "tiny.gguf");
        QVERIFY(!noConfig.ok);
        QCOMPARE(noConfig.summary, QString("tiny.gguf lacks the metadata entry gemma4.embedding_length."));
        // The E2B-shaped fixture: the memory estimate names the device part, the cache
        // at the chosen context and the PLE table kept in system memory.
        const QString e2b = QString(FACET_TEST_DATA) + "/text/tiny-e2b/model.gguf";
        const auto good = ModelFileCheck::inspect(e2b, 64, qint64(1) << 30);
        QVERIFY2(good.ok, qPrintable(good.summary));
        QVERIFY2(good.summary.startsWith("gemma4 model, "), qPrintable(good.summary));
        QVERIFY2(good.estimate.startsWith("Needs "), qPrintable(good.estimate));
        QVERIFY2(good.estimate.contains("at 64 tokens, plus "), qPrintable(good.estimate));
        QVERIFY2(good.estimate.contains("of per-layer embeddings in system memory; the device has 1.00 GiB."), qPrintable(good.estimate));
        QVERIFY(good.fits);
        const auto tooBig = ModelFileCheck::inspect(e2b, 64, 1024);
        QVERIFY(!tooBig.fits);
        QVERIFY(tooBig.estimate.endsWith("It will not fit: choose a smaller context or a smaller model."));
        const auto bad = ModelFileCheck::inspect(dir + "truncated.gguf");
        QVERIFY(!bad.ok);
        QCOMPARE(bad.summary, QString("truncated.gguf is truncated: tensor blk.0.attn_q.weight ends at byte 5760 but the file has 5660 bytes."));
        const auto folder = ModelFileCheck::inspect(QString(FACET_TEST_DATA) + "/safetensors/sharded");
        QVERIFY(folder.ok);
        QCOMPARE(folder.summary, QString("Hugging Face model folder: 3 tensors in 2 file(s)"));
    }

    void loggedNoWarnings()
    {
        // Runs last: everything above must have been warning-free.
        if (!g_warnings.isEmpty())
            qInfo() << g_warnings;
        QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join('\n')));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
