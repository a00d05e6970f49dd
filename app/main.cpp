// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "conversation_store.h"
#include "engine_session.h"
#include "qml_plugins.h"
#include "settings_store.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

namespace {

// --screenshot FILE: once the window has drawn and the device search has answered (or
// three seconds passed), save what the window shows and quit.
void saveScreenshotWhenReady(QQuickWindow* window, EngineSession* session, const QString& file)
{
    auto drawn = std::make_shared<bool>(false);
    auto shoot = [window, file] {
        const QImage image = window->grabWindow();
        const bool saved = !image.isNull() && image.save(file);
        if (!saved)
            std::fprintf(stderr, "facet: the screenshot could not be written to %s.\n", qPrintable(file));
        QCoreApplication::exit(saved ? 0 : 1);
    };
    auto maybeShoot = [drawn, session, shoot] {
        if (*drawn && (session->deviceReady() || !session->deviceError().isEmpty()))
            QTimer::singleShot(200, shoot);
    };
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [drawn, maybeShoot] {
        if (!*drawn) {
            *drawn = true;
            maybeShoot();
        }
    });
    QObject::connect(session, &EngineSession::deviceChanged, window, maybeShoot);
    QTimer::singleShot(3000, window, shoot);
}

// The model to load at start: the active size's file when it is set, else the bundled
// demo model when tools/dev.sh run has put it in place, else none (Settings asks).
QString startupModel(const SettingsStore& settings)
{
    const QString chosen = settings.modelPath(settings.activeSize());
    if (!chosen.isEmpty())
        return chosen;
    const QString demo = QString::fromStdString(facet::defaultModelPath().string());
    return QFileInfo::exists(demo) ? demo : QString();
}

} // namespace

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName("Facet");
    QGuiApplication::setApplicationName("Facet");
    QGuiApplication::setApplicationVersion("0.1.0");

    QCommandLineParser cli;
    cli.setApplicationDescription("Facet: chat with Gemma 4 on your own machine.");
    cli.addHelpOption();
    cli.addVersionOption();
    const QCommandLineOption screenshot("screenshot", "Render one frame to FILE.png and exit.", "FILE");
    const QCommandLineOption settingsFile("settings", "Read and write settings in FILE instead of the usual place.", "FILE");
    const QCommandLineOption storeFile("conversations", "Keep conversations in the SQLite FILE instead of the usual place.", "FILE");
    const QCommandLineOption noModel("no-model", "Start without loading a model.");
    cli.addOption(screenshot);
    cli.addOption(settingsFile);
    cli.addOption(storeFile);
    cli.addOption(noModel);
    cli.process(app);

    QQuickStyle::setStyle("Fusion");
    SettingsStore settings(cli.value(settingsFile));
    EngineSession session;
    ConversationStore store(cli.value(storeFile));
    if (!store.error().isEmpty())
        std::fprintf(stderr, "facet: %s\n", qPrintable(store.error()));

    QQmlApplicationEngine engine;
    addFacetImportPath(engine);
    engine.setInitialProperties({{"settings", QVariant::fromValue(&settings)},
                                 {"session", QVariant::fromValue(&session)},
                                 {"store", QVariant::fromValue(&store)}});
    engine.load(QUrl("qrc:/Facet/Main.qml"));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (cli.isSet(screenshot) && window)
        saveScreenshotWhenReady(window, &session, cli.value(screenshot));
    const QString model = cli.isSet(noModel) || cli.isSet(screenshot) ? QString() : startupModel(settings);
    if (!model.isEmpty()) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = QObject::connect(&session, &EngineSession::deviceChanged, &session, [&session, &settings, model, once] {
            QObject::disconnect(*once);
            if (session.deviceReady())
                session.loadModel(model, settings.contextLength(),
                                  model == settings.modelPath(settings.activeSize()) ? settings.mmprojPath(settings.activeSize()) : QString());
        });
    }
    session.probeDevices(settings.preferredDevice());
    return app.exec();
}
