// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Dictation and sound files in the app, with a microphone that is a WAV file: a private
// PulseAudio server (toolchain-notes §5) with a pipe source fed the clip's 16-bit
// samples. The mic button is pressed, the clip goes through the pipe, the button is
// pressed again; the engine must receive exactly the clip (sample count and FNV-1a of
// the samples' bits, as the worker computes it) and the composer must end up holding
// exactly the text the model streamed (the tiny chat model's words are random, so the
// text itself is not checked). Then a sound file dropped on the composer becomes a chip
// with its length, is sent, and is kept with the conversation. Skips when PulseAudio
// cannot be started, or without the tiny chat model (it needs shared/data).
#include "conversation_store.h"
#include "engine_session.h"
#include "qml_plugins.h"
#include "settings_store.h"

#include <QFile>
#include <QMimeData>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {
const QString kModels = FACET_AUDIO_CHAT_MODEL_DIR;
const QString kClip = FACET_TEST_DATA "/audio/chirp.wav";

// The 16-bit samples of a canonical 16 kHz mono WAV (the test clips are written so).
QByteArray pcmOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = f.readAll();
    const qsizetype data = all.indexOf("data");
    return data < 0 ? QByteArray() : all.mid(data + 8);
}

quint32 fnv1a(const QByteArray& pcm)
{
    quint32 h = 2166136261u;
    for (qsizetype i = 0; i + 1 < pcm.size(); i += 2) {
        qint16 s;
        std::memcpy(&s, pcm.constData() + i, 2);
        const float v = float(s) / 32768.0f;
        quint32 bits;
        std::memcpy(&bits, &v, 4);
        for (int b = 0; b < 4; ++b)
            h = (h ^ ((bits >> (8 * b)) & 0xFFu)) * 16777619u;
    }
    return h;
}

// Writes to a FIFO from its own thread: the write blocks until PulseAudio reads.
class FifoWriter : public QThread {
public:
    FifoWriter(QString path, QByteArray bytes) : m_path(std::move(path)), m_bytes(std::move(bytes)) {}
    void run() override
    {
        const int fd = ::open(m_path.toLocal8Bit().constData(), O_WRONLY);
        if (fd < 0)
            return;
        qsizetype done = 0;
        while (done < m_bytes.size()) {
            const ssize_t n = ::write(fd, m_bytes.constData() + done, size_t(m_bytes.size() - done));
            if (n <= 0)
                break;
            done += n;
        }
        ::close(fd);
    }

private:
    QString m_path;
    QByteArray m_bytes;
};
} // namespace

class TestDictation : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_runtime;
    bool m_pulse = false;

    bool run(const QString& program, const QStringList& args, int timeoutMs = 10000)
    {
        QProcess p;
        p.start(program, args);
        return p.waitForFinished(timeoutMs) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(kModels + "/model.gguf"))
            QSKIP("the tiny chat model was not built (tools/reference/make_audio_chat_model.py needs shared/data)");
        if (QStandardPaths::findExecutable("pulseaudio").isEmpty() || QStandardPaths::findExecutable("pactl").isEmpty())
            QSKIP("PulseAudio is not installed");
        // A server of our own: its runtime folder holds the socket and the FIFO.
        m_runtime = m_dir.filePath("pulse-runtime");
        QDir().mkpath(m_runtime);
        QFile::setPermissions(m_runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", m_runtime.toLocal8Bit());
        qputenv("PULSE_RUNTIME_PATH", (m_runtime + "/pulse").toLocal8Bit());
        if (!run("pulseaudio", {"-D", "--exit-idle-time=-1", "--disallow-exit", "-n", "--load=module-native-protocol-unix",
                                "--load=module-null-sink"}))
            QSKIP("a PulseAudio server could not be started here");
        m_pulse = true;
        QTRY_VERIFY_WITH_TIMEOUT(run("pactl", {"info"}, 2000), 10000);
        if (!run("pactl", {"load-module", "module-pipe-source", "source_name=fifomic", "file=" + m_runtime + "/mic.fifo",
                           "format=s16le", "rate=16000", "channels=1"}))
            QSKIP("PulseAudio's pipe source could not be loaded");
    }

    void cleanupTestCase()
    {
        if (m_pulse)
            run("pulseaudio", {"--kill"});
    }

    void dictateIntoTheComposerThenAttachAFile()
    {
        QQuickStyle::setStyle("Fusion");
        const QByteArray pcm = pcmOf(kClip);
        QVERIFY(pcm.size() > 16000);
        SettingsStore settings(m_dir.filePath("settings.ini"));
        settings.setMaxTokens(4);
        settings.setMicrophone("fifomic");
        EngineSession session;
        ConversationStore store(m_dir.filePath("conversations.sqlite"));
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
        session.loadModel(kModels + "/model.gguf", 1024, kModels + "/mmproj.gguf");
        QTRY_VERIFY_WITH_TIMEOUT(session.modelLoaded() && !session.loading(), 60000);
        QVERIFY2(session.audio(), qPrintable(session.audioError()));

        auto* composer = window->findChild<QQuickItem*>("composer");
        QVERIFY(composer);
        auto* recorder = composer->property("voice").value<QObject*>();
        auto* input = window->findChild<QQuickItem*>("composerInput");
        auto* mic = window->findChild<QQuickItem*>("micButton");
        QVERIFY(recorder && input && mic);
        QCOMPARE(recorder->property("deviceId").toString(), QString("fifomic"));

        QSignalSpy received(&session, &EngineSession::audioReceived);
        QSignalSpy words(&session, &EngineSession::transcriptText);
        QSignalSpy finished(&session, &EngineSession::transcriptFinished);
        QSignalSpy failed(&session, &EngineSession::transcriptFailed);
        QMetaObject::invokeMethod(mic, "clicked");
        QTRY_VERIFY2(recorder->property("recording").toBool(), qPrintable(recorder->property("error").toString()));
        FifoWriter writer(m_runtime + "/mic.fifo", pcm);
        writer.start();
        const int clipMs = int(pcm.size() / 2 * 1000 / 16000);
        QTRY_VERIFY_WITH_TIMEOUT(recorder->property("elapsedMs").toInt() >= clipMs, 20000);
        QVERIFY(window->findChild<QQuickItem*>("levelMeter")->isVisible());
        QVERIFY(writer.wait(5000));
        QTest::qWait(300); // nothing more arrives: the pipe only carries what was written
        QMetaObject::invokeMethod(mic, "clicked");
        QTRY_VERIFY(!recorder->property("recording").toBool());

        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 10000);
        QCOMPARE(received.at(0).at(0).toULongLong(), quint64(pcm.size() / 2));
        QCOMPARE(received.at(0).at(1).toUInt(), fnv1a(pcm));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, 120000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.at(0).at(0).toString()));
        QString streamed;
        for (const QList<QVariant>& w : words)
            streamed += w.at(0).toString();
        QVERIFY(!streamed.isEmpty());
        QCOMPARE(input->property("text").toString(), streamed);
        QCOMPARE(store.conversations().size(), 0); // dictation sends nothing by itself

        // A sound file dropped on the composer: a chip with its length, then sent and kept.
        QObject* controller = composer->property("controller").value<QObject*>();
        const QPoint at = composer->mapToScene(QPointF(composer->width() / 2, composer->height() / 2)).toPoint();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(kClip)});
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QGuiApplication::sendEvent(window, &enter);
        QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QGuiApplication::sendEvent(window, &dropEvent);
        QTRY_COMPARE(controller->property("images").toList().size(), 1);
        const QVariantMap chip = controller->property("images").toList().at(0).toMap();
        QCOMPARE(chip["kind"].toString(), QString("audio"));
        QCOMPARE(chip["seconds"].toDouble(), double(pcm.size() / 2) / 16000.0);
        QMetaObject::invokeMethod(window->findChild<QQuickItem*>("sendButton"), "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(!session.generating() && store.conversations().size() == 1, 120000);
        const auto messages = store.messages(store.conversations().at(0).id);
        QVERIFY(!messages.isEmpty());
        QCOMPARE(messages.at(0).attachments.size(), 1);
        QCOMPARE(messages.at(0).attachments.at(0).kind, QString("audio"));
        QVERIFY(QFile::exists(messages.at(0).attachments.at(0).path));
    }
};

QTEST_MAIN(TestDictation)
#include "tst_dictation.moc"
