// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "engine_session.h"
#include "qml_plugins.h"
#include "settings_store.h"

#include <QCommandLineParser>
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
    cli.addOption(screenshot);
    cli.addOption(settingsFile);
    cli.process(app);

    QQuickStyle::setStyle("Fusion");
    SettingsStore settings(cli.value(settingsFile));
    EngineSession session;

    QQmlApplicationEngine engine;
    addFacetImportPath(engine);
    engine.setInitialProperties({{"settings", QVariant::fromValue(&settings)}, {"session", QVariant::fromValue(&session)}});
    engine.load(QUrl("qrc:/Facet/Main.qml"));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (cli.isSet(screenshot) && window)
        saveScreenshotWhenReady(window, &session, cli.value(screenshot));
    session.probeDevices(settings.preferredDevice());
    return app.exec();
}
