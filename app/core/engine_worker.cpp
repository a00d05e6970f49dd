// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "engine_worker.h"

#include "facet/error.h"

#include <QFileInfo>

#include <cstring>

EngineWorker::EngineWorker(const std::atomic<bool>* cancelLoad, const std::atomic<quint64>* stopBefore)
    : m_cancelLoad(cancelLoad), m_stopBefore(stopBefore)
{
}

EngineWorker::~EngineWorker() = default;

std::unique_ptr<facet::ChatSession> EngineWorker::open(const QString& path, facet::TextModelOptions options)
{
    options.cancel = m_cancelLoad;
    options.progress = [this](float share) { emit loadProgress(share); };
    return std::make_unique<facet::ChatSession>(facet::TextModel::open(path.toStdString(), options));
}

QString EngineWorker::attachVision(const QString& mmproj, const std::string& device)
{
    if (mmproj.isEmpty())
        return {};
    try {
        m_session->setVision(facet::VisionEncoder::open(mmproj.toStdString(), device));
        return {};
    } catch (const facet::Error& e) {
        return QString::fromUtf8(e.what());
    }
}

QString EngineWorker::attachAudio(const QString& mmproj, const std::string& device)
{
    if (!m_session->model().info().perLayerEmbeddings)
        return tr("This model does not hear audio: only Gemma 4 E2B and E4B do.");
    if (mmproj.isEmpty())
        return {};
    if (!facet::AudioEncoder::present(mmproj.toStdString()))
        return tr("%1 has no audio encoder.").arg(QFileInfo(mmproj).fileName());
    try {
        m_session->setAudio(facet::AudioEncoder::open(mmproj.toStdString(), device));
        return {};
    } catch (const facet::Error& e) {
        return QString::fromUtf8(e.what());
    }
}

void EngineWorker::load(const QString& path, const QString& mmproj, const QString& fallback, const facet::TextModelOptions& options)
{
    // The old model leaves the device first: two large models rarely fit at once.
    m_session.reset();
    try {
        m_session = open(path, options);
    } catch (const facet::Error& e) {
        m_session.reset();
        const QString sentence = QString::fromUtf8(e.what());
        bool restored = false;
        if (!fallback.isEmpty()) {
            try {
                facet::TextModelOptions again = options;
                m_session = open(fallback, again);
                restored = true;
            } catch (const facet::Error&) {
                m_session.reset();
            }
        }
        emit loadFailed(sentence, restored);
        if (restored)
            emit loaded(describe(fallback));
        return;
    }
    const QString visionError = attachVision(mmproj, m_session->model().info().deviceName);
    const QString audioError = attachAudio(mmproj, m_session->model().info().deviceName);
    emit loadProgress(1.0f);
    LoadedModel loadedModel = describe(path);
    loadedModel.visionError = visionError;
    loadedModel.audioError = audioError;
    emit loaded(loadedModel);
}

LoadedModel EngineWorker::describe(const QString& path) const
{
    const facet::TextModelInfo& info = m_session->model().info();
    LoadedModel m;
    m.path = path;
    m.fileName = QString::fromStdString(info.fileName);
    m.architecture = QString::fromStdString(info.architecture);
    m.deviceName = QString::fromStdString(info.deviceName);
    m.demo = QFileInfo(path) == QFileInfo(QString::fromStdString(facet::defaultModelPath().string()));
    m.vision = m_session->hasVision();
    m.audio = m_session->hasAudio();
    m.contextLength = info.contextLength;
    m.deviceBytes = info.deviceBytes;
    m.sampling = info.defaultSampling;
    return m;
}

void EngineWorker::unload()
{
    m_session.reset();
    emit unloaded();
}

void EngineWorker::generate(quint64 serial, const std::vector<facet::chat::Message>& conversation, bool thinking, quint32 maxTokens,
                            const facet::SamplingParams& sampling)
{
    if (!m_session) {
        emit replyFailed(serial, tr("No model is loaded."));
        return;
    }
    try {
        m_session->model().setSampling(sampling);
        const facet::ReplyStats s = m_session->generate(
            conversation, m_session->options(thinking), maxTokens,
            [this, serial](std::string_view text, bool inThought) {
                emit textArrived(serial, QString::fromUtf8(text.data(), qsizetype(text.size())), inThought);
            },
            [this, serial] { return serial < m_stopBefore->load(); });
        emit replyFinished({serial, s.tokens, m_session->model().position(), s.firstTokenMs, s.tokensPerSecond, s.endOfTurn, s.cancelled,
                            s.contextFull});
    } catch (const facet::Error& e) {
        emit replyFailed(serial, QString::fromUtf8(e.what()));
    }
}

void EngineWorker::transcribe(quint64 serial, const std::vector<float>& samples, const QString& language, quint32 maxTokens)
{
    quint32 hash = 2166136261u;
    for (float v : samples) {
        quint32 bits;
        std::memcpy(&bits, &v, 4);
        for (int b = 0; b < 4; ++b)
            hash = (hash ^ ((bits >> (8 * b)) & 0xFFu)) * 16777619u;
    }
    emit audioReceived(serial, samples.size(), hash);
    if (!m_session) {
        emit replyFailed(serial, tr("No model is loaded."));
        return;
    }
    try {
        facet::SamplingParams greedy; // dictation wants the likeliest words, not a creative reply
        greedy.temperature = 0.0f;
        m_session->model().setSampling(greedy);
        const facet::ReplyStats s = m_session->transcribe(
            samples, language.toStdString(), maxTokens,
            [this, serial](std::string_view text, bool) {
                emit textArrived(serial, QString::fromUtf8(text.data(), qsizetype(text.size())), false);
            },
            [this, serial] { return serial < m_stopBefore->load(); });
        emit replyFinished({serial, s.tokens, m_session->model().position(), s.firstTokenMs, s.tokensPerSecond, s.endOfTurn, s.cancelled,
                            s.contextFull});
    } catch (const facet::Error& e) {
        emit replyFailed(serial, QString::fromUtf8(e.what()));
    }
}
