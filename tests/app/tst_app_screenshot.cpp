// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// build/bin/facet as a user starts it: on the display the suite runs under (Xvfb in
// tools/dev.sh test), `facet --screenshot` must draw the window, write the PNG and exit
// 0 without a QML warning.
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestAppScreenshot : public QObject {
    Q_OBJECT

private slots:
    void rendersTheMainWindowToPng()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath("facet.png");
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (env.contains("DISPLAY"))
            env.remove("QT_QPA_PLATFORM"); // a real X window, as users get
        env.insert("XDG_CACHE_HOME", dir.filePath("cache"));
        app.setProcessEnvironment(env);
        app.start(FACET_APP_BINARY, {"--screenshot", png, "--settings", dir.filePath("settings.ini")});
        QVERIFY(app.waitForFinished(60000));
        const QString log = QString::fromUtf8(app.readAllStandardError()) + QString::fromUtf8(app.readAllStandardOutput());
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, qPrintable(log));
        for (const char* sign : {".qml:", "QML", "TypeError", "ReferenceError", "Binding loop"})
            QVERIFY2(!log.contains(sign), qPrintable(log));

        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1280, 800));
        // A drawn window has text, buttons and panels, not one flat colour.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString("only %1 colours").arg(colours.size())));
        qInfo("screenshot: %dx%d, %lld distinct colours sampled; log: %s", image.width(), image.height(),
              qlonglong(colours.size()), qPrintable(log.trimmed()));
    }
};

QTEST_GUILESS_MAIN(TestAppScreenshot)
#include "tst_app_screenshot.moc"
