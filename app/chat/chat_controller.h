// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "conversation_store.h"
#include "engine_session.h"
#include "message_list_model.h"
#include "settings_store.h"

#include <QElapsedTimer>
#include <QVariant>
#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

// One open conversation: loads it from the store, sends, streams the reply into the
// message list and into the store (at least once a second, so a killed app loses at
// most the last second), stops, regenerates, and continues from an edited message.
class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(EngineSession* session MEMBER m_session NOTIFY wiringChanged)
    Q_PROPERTY(ConversationStore* store MEMBER m_store NOTIFY wiringChanged)
    Q_PROPERTY(SettingsStore* settings MEMBER m_settings NOTIFY wiringChanged)
    Q_PROPERTY(MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(qint64 conversationId READ conversationId WRITE open NOTIFY conversationChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY conversationChanged)
    Q_PROPERTY(bool thinking READ thinking WRITE setThinking NOTIFY conversationChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit ChatController(QObject* parent = nullptr);

    MessageListModel* messages() { return &m_messages; }
    qint64 conversationId() const { return m_conversation; }
    QString systemPrompt() const { return m_systemPrompt; }
    bool thinking() const { return m_thinking; }
    QString error() const { return m_error; }

    Q_INVOKABLE void open(qint64 conversationId);
    void setSystemPrompt(const QString& prompt);
    void setThinking(bool on);

    // Sends `text` as the next user message (a new conversation when none is open), with
    // images: a list of {path, budget} maps. Each file is copied into the app's data
    // folder so the conversation keeps it.
    Q_INVOKABLE bool send(const QString& text, const QVariantList& images = {});
    Q_INVOKABLE void stop();
    // Replaces the last reply with a new one.
    Q_INVOKABLE void regenerate();
    // Rewrites user message `row`, drops everything after it and answers it again.
    Q_INVOKABLE void edit(int row, const QString& text);

signals:
    void wiringChanged();
    void conversationChanged();
    void errorChanged();

private:
    void connectSession();
    bool startReply();
    void save(bool final);
    void setError(const QString& e);
    std::vector<facet::chat::Message> conversationForEngine() const;
    facet::SamplingParams sampling() const;
    QString keepCopy(const QString& path);

    QPointer<EngineSession> m_session;
    QPointer<ConversationStore> m_store;
    QPointer<SettingsStore> m_settings;
    QPointer<EngineSession> m_connected;
    MessageListModel m_messages;
    qint64 m_conversation = 0;
    QString m_systemPrompt;
    bool m_thinking = false;
    QString m_error;
    int m_replyRow = -1;
    QElapsedTimer m_sinceSave;
};
