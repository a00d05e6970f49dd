// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "engine_session.h"

#include "facet/error.h"

#include <QtConcurrent/QtConcurrentRun>

#include <limits>

EngineSession::EngineSession(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<LoadedModel>();
    qRegisterMetaType<ReplyReport>();
    m_worker = new EngineWorker(&m_cancelLoad, &m_stopBefore);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName("facet-engine");
    m_thread.start();

    connect(m_worker, &EngineWorker::loadProgress, this, [this](float share) {
        m_loadProgress = share;
        emit loadingChanged();
    });
    connect(m_worker, &EngineWorker::loaded, this, [this](const LoadedModel& model) {
        m_model = model;
        m_loading = false;
        m_contextUsed = 0;
        emit modelChanged();
        emit loadingChanged();
        emit statsChanged();
    });
    connect(m_worker, &EngineWorker::loadFailed, this, [this](const QString& sentence, bool restored) {
        m_loadError = restored ? sentence + " " + tr("The previous model is loaded again.") : sentence;
        m_loading = false;
        if (!restored) {
            m_model = {};
            emit modelChanged();
        }
        emit loadingChanged();
    });
    connect(m_worker, &EngineWorker::textArrived, this, [this](quint64 serial, const QString& text, bool thinking) {
        if (m_generating && serial == m_serial) {
            if (m_transcribing)
                emit transcriptText(text);
            else
                emit replyText(text, thinking);
        }
    });
    connect(m_worker, &EngineWorker::replyFinished, this, [this](const ReplyReport& r) {
        m_contextUsed = int(r.contextUsed);
        m_tokensPerSecond = r.tokensPerSecond;
        m_firstTokenMs = r.firstTokenMs;
        emit statsChanged();
        if (m_generating && r.serial == m_serial) {
            const bool dictation = m_transcribing;
            setGenerating(false);
            if (dictation)
                emit transcriptFinished();
            else
                emit replyFinished(r);
        }
    });
    connect(m_worker, &EngineWorker::replyFailed, this, [this](quint64 serial, const QString& sentence) {
        if (m_generating && serial == m_serial) {
            const bool dictation = m_transcribing;
            setGenerating(false);
            if (dictation)
                emit transcriptFailed(sentence);
            else
                emit replyFailed(sentence);
        }
    });
    connect(m_worker, &EngineWorker::audioReceived, this, [this](quint64 serial, quint64 samples, quint32 checksum) {
        if (serial == m_serial)
            emit audioReceived(samples, checksum);
    });
    connect(&m_probe, &QFutureWatcher<ProbeResult>::finished, this, [this] {
        const ProbeResult r = m_probe.result();
        m_report = r.report;
        m_error = r.error;
        m_ready = r.error.isEmpty();
        emit deviceChanged();
    });
}

EngineSession::~EngineSession()
{
    m_cancelLoad = true;
    m_stopBefore = std::numeric_limits<quint64>::max();
    m_thread.quit();
    m_thread.wait();
    m_probe.waitForFinished();
}

void EngineSession::loadModel(const QString& path, int contextLength, const QString& mmproj)
{
    if (m_loading || path.isEmpty())
        return;
    stop();
    m_loading = true;
    m_loadProgress = 0;
    m_loadError.clear();
    m_cancelLoad = false;
    emit loadingChanged();
    facet::TextModelOptions options;
    options.contextLength = quint32(std::max(0, contextLength));
    if (m_ready)
        options.device = m_report.devices[m_report.chosen].name;
    const QString previous = m_model.path;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path, mmproj, previous, options] { w->load(path, mmproj, previous, options); },
                              Qt::QueuedConnection);
}

void EngineSession::cancelLoad() { m_cancelLoad = true; }

void EngineSession::stop()
{
    m_stopBefore = m_serial + 1;
    if (m_generating) {
        setGenerating(false);
        ReplyReport r;
        r.serial = m_serial;
        r.cancelled = true;
        emit replyFinished(r);
    }
}

void EngineSession::setGenerating(bool on)
{
    if (m_generating == on)
        return;
    m_generating = on;
    if (!on)
        m_transcribing = false;
    emit generatingChanged();
}

bool EngineSession::generate(const std::vector<facet::chat::Message>& conversation, bool thinking, quint32 maxTokens,
                             const facet::SamplingParams& sampling)
{
    if (m_loading || m_generating || !modelLoaded())
        return false;
    ++m_serial;
    m_transcribing = false;
    setGenerating(true);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, serial = m_serial, conversation, thinking, maxTokens, sampling] {
        w->generate(serial, conversation, thinking, maxTokens, sampling);
    }, Qt::QueuedConnection);
    return true;
}

bool EngineSession::transcribe(std::vector<float> samples, const QString& language)
{
    if (m_loading || m_generating || !modelLoaded() || !m_model.audio)
        return false;
    ++m_serial;
    m_transcribing = true;
    setGenerating(true);
    // A dictation is short; 30 s of speech is about 100 words.
    constexpr quint32 kMaxTokens = 1024;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, serial = m_serial, s = std::move(samples), language] {
        w->transcribe(serial, s, language, kMaxTokens);
    }, Qt::QueuedConnection);
    return true;
}

QString EngineSession::audioError() const
{
    if (m_model.audio)
        return {};
    if (!modelLoaded())
        return tr("No model is loaded.");
    if (!m_model.audioError.isEmpty())
        return m_model.audioError;
    return tr("This model has no audio encoder loaded: choose its mmproj file in Settings to use audio.");
}

void EngineSession::probeDevices(const QString& preferred)
{
    if (m_probe.isRunning())
        return;
    const std::string want = preferred.toStdString();
    m_probe.setFuture(QtConcurrent::run([want]() -> ProbeResult {
        try {
            return {facet::probeDevices(want), {}};
        } catch (const facet::Error& e) {
            return {{}, QString::fromUtf8(e.what())};
        }
    }));
}

QString EngineSession::deviceName() const
{
    return m_ready ? QString::fromStdString(m_report.devices[m_report.chosen].name) : QString();
}

QString EngineSession::deviceKind() const
{
    return m_ready ? QString::fromStdString(m_report.devices[m_report.chosen].kind) : QString();
}

QStringList EngineSession::deviceNames() const
{
    QStringList names;
    for (const auto& d : m_report.devices)
        names << QString::fromStdString(d.name + " (" + d.kind + ")");
    return names;
}

QString EngineSession::demoModelPath() const { return QString::fromStdString(facet::defaultModelPath().string()); }
