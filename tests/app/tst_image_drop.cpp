// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Images in the app as a user adds them: a PNG dropped on the composer through a real
// drag-and-drop event, its budget changed in the chip, the message sent, and the
// attachment (a copy in the data folder, with its budget) still there after a restart.
// The model is the Gemma 3 demo, which takes no images: the reply says so in one
// sentence, and the message and its picture are kept all the same. A picture pasted
// with Ctrl+V gets the default budget from Settings.
#include "conversation_store.h"
#include "engine_session.h"
#include "qml_plugins.h"
#include "settings_store.h"

#include <QClipboard>
#include <QImage>
#include <QMimeData>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

namespace {
// Repeater delegates are children of the item tree, not of the QObject tree.
QQuickItem* findItem(QQuickItem* root, const QString& name)
{
    if (root->objectName() == name)
        return root;
    for (QQuickItem* child : root->childItems())
        if (QQuickItem* found = findItem(child, name))
            return found;
    return nullptr;
}
} // namespace

class TestImageDrop : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void dropSendAndKeep()
    {
        QQuickStyle::setStyle("Fusion");
        const QString storeFile = m_dir.filePath("conversations.sqlite");
        {
            SettingsStore settings(m_dir.filePath("settings.ini"));
            settings.setMaxTokens(4);
            EngineSession session;
            ConversationStore store(storeFile);
            QQmlApplicationEngine engine;
            addFacetImportPath(engine);
            engine.setInitialProperties({{"settings", QVariant::fromValue(&settings)},
                                         {"session", QVariant::fromValue(&session)},
                                         {"store", QVariant::fromValue(&store)}});
            engine.load(QUrl("qrc:/Facet/Main.qml"));
            auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().value(0));
            QVERIFY(window);
            QVERIFY(QTest::qWaitForWindowExposed(window));
            session.probeDevices();
            QTRY_VERIFY_WITH_TIMEOUT(session.deviceReady(), 20000);
            session.loadModel(FACET_MODELS_DIR "/gemma-3-270m-q4_k_m.gguf", 512);
            QTRY_VERIFY_WITH_TIMEOUT(session.modelLoaded() && !session.loading(), 60000);

            auto* composer = window->findChild<QQuickItem*>("composer");
            QVERIFY(composer);
            QObject* controller = composer->property("controller").value<QObject*>();
            QVERIFY(controller);
            const QPoint at = composer->mapToScene(QPointF(composer->width() / 2, composer->height() / 2)).toPoint();
            QMimeData mime;
            mime.setUrls({QUrl::fromLocalFile(FACET_TEST_DATA "/vision/images/wide-300x200.png")});
            QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QGuiApplication::sendEvent(window, &enter);
            QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QGuiApplication::sendEvent(window, &move);
            QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QGuiApplication::sendEvent(window, &dropEvent);
            QTRY_COMPARE(controller->property("images").toList().size(), 1);

            QQuickItem* budget = nullptr;
            QTRY_VERIFY((budget = findItem(window->contentItem(), "budgetBox0")) != nullptr);
            QVERIFY(budget->property("displayText").toString().startsWith("280 → "));
            QMetaObject::invokeMethod(budget, "activated", Q_ARG(int, 3)); // 560
            QCOMPARE(controller->property("images").toList()[0].toMap()["budget"].toInt(), 560);
            // The chips are rebuilt from the new list: look the box up again.
            QTRY_VERIFY((budget = findItem(window->contentItem(), "budgetBox0")) != nullptr &&
                        budget->property("displayText").toString().startsWith("560 → "));

            window->findChild<QObject*>("composerInput")->setProperty("text", "What is in this picture?");
            QMetaObject::invokeMethod(window->findChild<QObject*>("sendButton"), "clicked");
            QTRY_VERIFY_WITH_TIMEOUT(!session.generating(), 60000);
            auto* error = window->findChild<QObject*>("chatError");
            QTRY_COMPARE(error->property("text").toString(), QString("Gemma 3 models take no images in Facet; choose a Gemma 4 model."));
        }
        ConversationStore again(storeFile);
        const auto conversations = again.conversations();
        QCOMPARE(conversations.size(), 1);
        const auto messages = again.messages(conversations.first().id);
        QVERIFY(messages.size() >= 1);
        QCOMPARE(messages[0].text, QString("What is in this picture?"));
        QCOMPARE(messages[0].attachments.size(), 1);
        QCOMPARE(messages[0].attachments[0].budget, 560);
        QVERIFY(messages[0].attachments[0].path.startsWith(m_dir.path() + "/attachments/"));
        QVERIFY(QFile::exists(messages[0].attachments[0].path));
        QCOMPARE(QFileInfo(messages[0].attachments[0].path).size(), QFileInfo(FACET_TEST_DATA "/vision/images/wide-300x200.png").size());
    }

    // Ctrl+V with a picture on the clipboard attaches it at the default budget from Settings.
    void pastesAnImageAtTheDefaultBudget()
    {
        SettingsStore settings(m_dir.filePath("paste.ini"));
        settings.setImageBudget(1120);
        settings.setImageBudget(300); // not a budget: ignored
        EngineSession session;
        ConversationStore store(m_dir.filePath("paste.sqlite"));
        QQmlApplicationEngine engine;
        addFacetImportPath(engine);
        engine.setInitialProperties({{"settings", QVariant::fromValue(&settings)},
                                     {"session", QVariant::fromValue(&session)},
                                     {"store", QVariant::fromValue(&store)}});
        engine.load(QUrl("qrc:/Facet/Main.qml"));
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().value(0));
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QImage picture(120, 80, QImage::Format_RGB32);
        picture.fill(Qt::darkCyan);
        QGuiApplication::clipboard()->setImage(picture);
        auto* input = window->findChild<QQuickItem*>("composerInput");
        input->forceActiveFocus();
        QTRY_VERIFY(input->hasActiveFocus());
        QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
        QObject* controller = window->findChild<QQuickItem*>("composer")->property("controller").value<QObject*>();
        QTRY_COMPARE(controller->property("images").toList().size(), 1);
        const QVariantMap image = controller->property("images").toList()[0].toMap();
        QCOMPARE(image["budget"].toInt(), 1120);
        QCOMPARE(image["width"].toInt(), 120);
        QVERIFY(image["path"].toString().startsWith(store.attachmentFolder() + "/pasted-"));
    }
};

QTEST_MAIN(TestImageDrop)
#include "tst_image_drop.moc"
