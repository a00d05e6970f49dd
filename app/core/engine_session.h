// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThread>
#include <QtQml/qqmlregistration.h>

#include "engine_worker.h"
#include "facet/device.h"

#include <atomic>

// The app's handle on the inference engine. Device search runs on the thread pool;
// the model lives on one worker thread (EngineWorker) that loads and generates, so the
// GUI never waits. Results come back as property changes and signals. Created by main()
// and handed to the pages.
class EngineSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("EngineSession is created by main() and handed to the pages")
    Q_PROPERTY(bool deviceReady READ deviceReady NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceKind READ deviceKind NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceReason READ deviceReason NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceError READ deviceError NOTIFY deviceChanged)
    Q_PROPERTY(QStringList deviceNames READ deviceNames NOTIFY deviceChanged)
    Q_PROPERTY(qint64 deviceMemory READ deviceMemory NOTIFY deviceChanged)
    Q_PROPERTY(QString demoModelPath READ demoModelPath CONSTANT)
    Q_PROPERTY(bool modelLoaded READ modelLoaded NOTIFY modelChanged)
    Q_PROPERTY(QString modelName READ modelName NOTIFY modelChanged)
    Q_PROPERTY(QString modelPath READ modelPath NOTIFY modelChanged)
    Q_PROPERTY(bool demoModel READ demoModel NOTIFY modelChanged)
    Q_PROPERTY(bool vision READ vision NOTIFY modelChanged)
    Q_PROPERTY(QString visionError READ visionError NOTIFY modelChanged)
    Q_PROPERTY(bool audio READ audio NOTIFY modelChanged)
    Q_PROPERTY(QString audioError READ audioError NOTIFY modelChanged)
    Q_PROPERTY(bool transcribing READ transcribing NOTIFY generatingChanged)
    Q_PROPERTY(int contextLength READ contextLength NOTIFY modelChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadingChanged)
    Q_PROPERTY(QString loadError READ loadError NOTIFY loadingChanged)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(int contextUsed READ contextUsed NOTIFY statsChanged)
    Q_PROPERTY(double tokensPerSecond READ tokensPerSecond NOTIFY statsChanged)
    Q_PROPERTY(double firstTokenMs READ firstTokenMs NOTIFY statsChanged)

public:
    explicit EngineSession(QObject* parent = nullptr);
    ~EngineSession() override;

    // Looks for Vulkan devices on a worker thread; deviceChanged follows.
    Q_INVOKABLE void probeDevices(const QString& preferred = {});

    bool deviceReady() const { return m_ready; }
    QString deviceName() const;
    QString deviceKind() const;
    QString deviceReason() const { return QString::fromStdString(m_report.reason); }
    QString deviceError() const { return m_error; }
    QStringList deviceNames() const;
    qint64 deviceMemory() const { return m_ready ? qint64(m_report.devices[m_report.chosen].memoryBytes) : 0; }
    // Where tools/dev.sh run puts the bundled demo model (it may not be there).
    QString demoModelPath() const;
    bool modelLoaded() const { return !m_model.path.isEmpty(); }
    QString modelName() const { return m_model.fileName; }
    QString modelPath() const { return m_model.path; }
    QString modelArchitecture() const { return m_model.architecture; }
    bool demoModel() const { return m_model.demo; }
    bool vision() const { return m_model.vision; }
    QString visionError() const { return m_model.visionError; }
    bool audio() const { return m_model.audio; }
    // Why the model cannot hear, in one sentence (empty when it can).
    QString audioError() const;
    bool transcribing() const { return m_generating && m_transcribing; }
    int contextLength() const { return int(m_model.contextLength); }
    bool loading() const { return m_loading; }
    double loadProgress() const { return m_loadProgress; }
    QString loadError() const { return m_loadError; }
    bool generating() const { return m_generating; }
    int contextUsed() const { return m_contextUsed; }
    double tokensPerSecond() const { return m_tokensPerSecond; }
    double firstTokenMs() const { return m_firstTokenMs; }
    facet::SamplingParams fileSampling() const { return m_model.sampling; }

    // Unloads the current model and loads `path` (a GGUF file) on the worker thread; if
    // that fails, the previous model is loaded again and loadError says why.
    // mmproj: the model's projector file (vision encoder), optional.
    Q_INVOKABLE void loadModel(const QString& path, int contextLength = 0, const QString& mmproj = {});
    Q_INVOKABLE void cancelLoad();
    // Ends the reply being generated: the GUI stops showing text at once, the worker
    // stops after the token it is computing.
    Q_INVOKABLE void stop();

    // Starts a reply to `conversation`; text arrives through replyText, then
    // replyFinished or replyFailed. Refused (false) while loading or generating.
    bool generate(const std::vector<facet::chat::Message>& conversation, bool thinking, quint32 maxTokens,
                  const facet::SamplingParams& sampling);
    // Dictation: the words spoken in `samples` (16 kHz mono) arrive through transcriptText,
    // then transcriptFinished or transcriptFailed. Refused (false) while busy or deaf.
    bool transcribe(std::vector<float> samples, const QString& language);

signals:
    void deviceChanged();
    void modelChanged();
    void loadingChanged();
    void generatingChanged();
    void statsChanged();
    void replyText(const QString& text, bool thinking);
    void replyFinished(const ReplyReport& report);
    void replyFailed(const QString& sentence);
    void transcriptText(const QString& text);
    void transcriptFinished();
    void transcriptFailed(const QString& sentence);
    // The engine received a recording: its sample count and FNV-1a checksum.
    void audioReceived(quint64 samples, quint32 checksum);

private:
    struct ProbeResult {
        facet::DeviceReport report;
        QString error;
    };
    QFutureWatcher<ProbeResult> m_probe;
    facet::DeviceReport m_report;
    QString m_error;
    bool m_ready = false;

    void setGenerating(bool on);
    std::atomic<bool> m_cancelLoad{false};
    std::atomic<quint64> m_stopBefore{0};
    QThread m_thread;
    EngineWorker* m_worker = nullptr;
    LoadedModel m_model;
    bool m_loading = false;
    double m_loadProgress = 0;
    QString m_loadError;
    bool m_generating = false;
    bool m_transcribing = false; // the running request is a dictation
    quint64 m_serial = 0;
    int m_contextUsed = 0;
    double m_tokensPerSecond = 0, m_firstTokenMs = 0;
};
