// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "voice_recorder.h"

#include <QAudioDevice>
#include <QLocale>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>
#include <cstring>

VoiceRecorder::VoiceRecorder(QObject* parent) : QObject(parent) {}

VoiceRecorder::~VoiceRecorder() { cancel(); }

void VoiceRecorder::setSession(EngineSession* session)
{
    if (m_session == session)
        return;
    m_session = session;
    emit sessionChanged();
}

void VoiceRecorder::setDeviceId(const QString& id)
{
    if (m_deviceId == id)
        return;
    m_deviceId = id;
    emit deviceIdChanged();
}

void VoiceRecorder::refreshDevices()
{
    if (!m_watcher) {
        m_watcher = new QMediaDevices(this);
        connect(m_watcher, &QMediaDevices::audioInputsChanged, this, &VoiceRecorder::refreshDevices);
    }
    QVariantList list;
    for (const QAudioDevice& d : QMediaDevices::audioInputs())
        list.append(QVariantMap{{"id", QString::fromUtf8(d.id())}, {"name", d.description()}});
    m_devices = list;
    emit devicesChanged();
}

void VoiceRecorder::setError(const QString& sentence)
{
    if (m_error == sentence)
        return;
    m_error = sentence;
    emit errorChanged();
}

bool VoiceRecorder::start()
{
    if (m_source)
        return true;
    if (!m_session || !m_session->audio()) {
        setError(m_session ? m_session->audioError() : tr("No model is loaded."));
        return false;
    }
    if (m_session->generating()) {
        setError(tr("Wait for the reply to finish, or stop it, before dictating."));
        return false;
    }
    QAudioDevice device;
    const auto inputs = QMediaDevices::audioInputs();
    for (const QAudioDevice& d : inputs)
        if (!m_deviceId.isEmpty() && QString::fromUtf8(d.id()) == m_deviceId)
            device = d;
    if (device.isNull())
        device = QMediaDevices::defaultAudioInput();
    if (device.isNull() && !inputs.isEmpty())
        device = inputs.first();
    if (device.isNull()) {
        setError(tr("No microphone was found: connect one, or check the system's sound settings."));
        return false;
    }
    QAudioFormat format;
    format.setSampleRate(kRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    m_float = device.isFormatSupported(format);
    if (!m_float)
        format.setSampleFormat(QAudioFormat::Int16);
    if (!device.isFormatSupported(format)) {
        setError(tr("The microphone %1 cannot record 16 kHz mono.").arg(device.description()));
        return false;
    }
    m_samples.clear();
    m_pending.clear();
    m_level = 0;
    m_source = std::make_unique<QAudioSource>(device, format);
    m_io = m_source->start();
    if (!m_io || m_source->error() != QAudio::NoError) {
        const bool refused = m_source->error() == QAudio::OpenError;
        m_source.reset();
        m_io = nullptr;
        setError(refused ? tr("Facet may not use the microphone: allow it in the system's privacy or sound settings.")
                         : tr("The microphone could not be started."));
        return false;
    }
    connect(m_io, &QIODevice::readyRead, this, &VoiceRecorder::readAvailable);
    setError({});
    emit recordingChanged();
    emit levelChanged();
    return true;
}

void VoiceRecorder::readAvailable()
{
    if (!m_io)
        return;
    m_pending += m_io->readAll();
    const int width = m_float ? 4 : 2;
    const qsizetype whole = m_pending.size() / width * width;
    double sum = 0;
    const qsizetype count = whole / width;
    for (qsizetype i = 0; i < count; ++i) {
        float v;
        if (m_float) {
            std::memcpy(&v, m_pending.constData() + i * 4, 4);
        } else {
            qint16 s;
            std::memcpy(&s, m_pending.constData() + i * 2, 2);
            v = float(s) / 32768.0f;
        }
        m_samples.push_back(v);
        sum += double(v) * v;
    }
    m_pending.remove(0, whole);
    if (count > 0) {
        // RMS on a rough dB scale: -60 dB reads as silence, 0 dB as full.
        const double db = 10.0 * std::log10(sum / double(count) + 1e-12);
        m_level = std::clamp((db + 60.0) / 60.0, 0.0, 1.0);
        emit levelChanged();
    }
}

void VoiceRecorder::finish()
{
    if (!m_source)
        return;
    readAvailable();
    m_source->stop();
    m_source.reset();
    m_io = nullptr;
    m_level = 0;
    emit recordingChanged();
    emit levelChanged();
}

void VoiceRecorder::stop()
{
    if (!m_source)
        return;
    finish();
    if (m_samples.size() < size_t(kRate) / 10) {
        setError(tr("Nothing was recorded: hold the microphone button a little longer."));
        return;
    }
    // The prompt names the language to write in: the system's, English when it has none.
    const QLocale::Language l = QLocale::system().language();
    const QString language = l == QLocale::C || l == QLocale::AnyLanguage ? QStringLiteral("English") : QLocale::languageToString(l);
    if (!m_session)
        setError(tr("No model is loaded."));
    else if (m_session->generating())
        setError(tr("Wait for the reply to finish, or stop it, before dictating."));
    else if (!m_session->transcribe(std::move(m_samples), language))
        setError(m_session->audioError());
    m_samples.clear();
}

void VoiceRecorder::cancel()
{
    finish();
    m_samples.clear();
}
