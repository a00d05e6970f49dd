// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QAudioSource>
#include <QMediaDevices>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include "engine_session.h"

#include <memory>
#include <vector>

// The microphone: records 16 kHz mono through Qt Multimedia while the user speaks
// (level and elapsed time for the meter), and on stop hands the samples to the engine
// for transcription; the words come back through the session's transcriptText. Created
// in QML next to the composer.
class VoiceRecorder : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(EngineSession* session READ session WRITE setSession NOTIFY sessionChanged)
    // QAudioDevice::id() of the microphone to use; empty: the system's default.
    Q_PROPERTY(QString deviceId READ deviceId WRITE setDeviceId NOTIFY deviceIdChanged)
    // {id, name} of every microphone, for the settings; filled by refreshDevices(), so
    // the sound system is not touched before the user asks for it.
    Q_PROPERTY(QVariantList devices READ devices NOTIFY devicesChanged)
    Q_PROPERTY(bool recording READ recording NOTIFY recordingChanged)
    Q_PROPERTY(double level READ level NOTIFY levelChanged)       // 0..1, the last chunk's loudness
    Q_PROPERTY(int elapsedMs READ elapsedMs NOTIFY levelChanged)  // recorded audio so far
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit VoiceRecorder(QObject* parent = nullptr);
    ~VoiceRecorder() override;

    EngineSession* session() const { return m_session; }
    void setSession(EngineSession* session);
    QString deviceId() const { return m_deviceId; }
    void setDeviceId(const QString& id);
    QVariantList devices() const { return m_devices; }
    Q_INVOKABLE void refreshDevices();
    bool recording() const { return m_source != nullptr; }
    double level() const { return m_level; }
    int elapsedMs() const { return int(m_samples.size() * 1000 / kRate); }
    QString error() const { return m_error; }

    // Starts recording; false (with error set) when there is no microphone, the model
    // cannot hear, or the system refuses access.
    Q_INVOKABLE bool start();
    // Stops and sends what was recorded to the engine for transcription.
    Q_INVOKABLE void stop();
    // Stops without transcribing.
    Q_INVOKABLE void cancel();

    static constexpr int kRate = 16000;

signals:
    void sessionChanged();
    void deviceIdChanged();
    void devicesChanged();
    void recordingChanged();
    void levelChanged();
    void errorChanged();

private:
    void setError(const QString& sentence);
    void readAvailable();
    void finish();
    QPointer<EngineSession> m_session;
    QString m_deviceId;
    QString m_error;
    QVariantList m_devices;
    QMediaDevices* m_watcher = nullptr;
    std::unique_ptr<QAudioSource> m_source;
    QIODevice* m_io = nullptr;
    bool m_float = true; // the device gave float samples; else signed 16-bit
    QByteArray m_pending;
    std::vector<float> m_samples;
    double m_level = 0;
};
