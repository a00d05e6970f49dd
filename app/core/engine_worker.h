// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/chat_session.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

struct LoadedModel {
    QString path, fileName, architecture, deviceName;
    bool demo = false;
    bool vision = false;   // its projector loaded: images work
    QString visionError;   // why not, when a projector was given
    bool audio = false;    // its audio encoder loaded: dictation and audio files work
    QString audioError;    // why not, when that can be said (no encoder in the projector, a size that does not hear)
    quint32 contextLength = 0;
    quint64 deviceBytes = 0;
    facet::SamplingParams sampling; // the file's general.sampling.* values
};
Q_DECLARE_METATYPE(LoadedModel)

struct ReplyReport {
    quint64 serial = 0; // which generate() call this answers
    quint32 tokens = 0, contextUsed = 0;
    double firstTokenMs = 0, tokensPerSecond = 0;
    bool endOfTurn = false, cancelled = false, contextFull = false;
};
Q_DECLARE_METATYPE(ReplyReport)

// Lives on EngineSession's worker thread and owns the model there; every call arrives
// queued, every result leaves as a signal. The cancel marks belong to EngineSession,
// which sets them from the GUI thread: loading stops once *cancelLoad is true, a reply
// once its serial is below *stopBefore.
class EngineWorker : public QObject {
    Q_OBJECT
public:
    EngineWorker(const std::atomic<bool>* cancelLoad, const std::atomic<quint64>* stopBefore);
    ~EngineWorker() override;

    // Unloads what is loaded, then loads `path`; when that fails and `fallback` is set,
    // loads the previous model again so the user can go on.
    void load(const QString& path, const QString& mmproj, const QString& fallback, const facet::TextModelOptions& options);
    void unload();
    void generate(quint64 serial, const std::vector<facet::chat::Message>& conversation, bool thinking, quint32 maxTokens,
                  const facet::SamplingParams& sampling);
    // Dictation: the words in `samples` (16 kHz mono) stream out as textArrived.
    void transcribe(quint64 serial, const std::vector<float>& samples, const QString& language, quint32 maxTokens);

signals:
    void loadProgress(float share);
    void loaded(const LoadedModel& model);
    void loadFailed(const QString& sentence, bool previousRestored);
    void unloaded();
    void textArrived(quint64 serial, const QString& text, bool thinking);
    void replyFinished(const ReplyReport& report);
    void replyFailed(quint64 serial, const QString& sentence);
    // What a transcription received: sample count and FNV-1a of the samples' bits.
    void audioReceived(quint64 serial, quint64 samples, quint32 checksum);

private:
    std::unique_ptr<facet::ChatSession> open(const QString& path, facet::TextModelOptions options);
    LoadedModel describe(const QString& path) const;
    QString attachVision(const QString& mmproj, const std::string& device);
    QString attachAudio(const QString& mmproj, const std::string& device);
    const std::atomic<bool>* m_cancelLoad;
    const std::atomic<quint64>* m_stopBefore;
    std::unique_ptr<facet::ChatSession> m_session;
};
