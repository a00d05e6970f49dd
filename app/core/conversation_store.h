// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QDateTime>
#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QtQml/qqmlregistration.h>

// Conversations and their messages in SQLite (Qt Sql, QSQLITE) in WAL mode, so a reply
// saved while it streams survives the app being killed, and a crash never leaves the
// file half-written. The schema carries a version (PRAGMA user_version) and is moved
// forward by the migrations in conversation_store.cpp. Deleting marks a conversation;
// undo unmarks it, and marked ones are purged when the store next opens.
// Created by main() (tests pass their own file); lives on the GUI thread.
class ConversationStore : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ConversationStore is created by main()")
    // Where attached files are kept, next to the database.
    Q_PROPERTY(QString attachmentFolder READ attachmentFolder CONSTANT)
public:
    struct Conversation {
        qint64 id = 0;
        QString title, systemPrompt;
        bool thinking = false;
        QDateTime updated;
    };
    struct Attachment {
        QString kind; // "image" or "audio"
        QString path; // the copy in the app's data folder
        int budget = 0; // image soft-token budget
    };
    struct Message {
        qint64 id = 0;
        QString role; // "user" or "model"
        QString text, thinking;
        QString model, sampling; // the reply's model file and sampling settings (JSON)
        double firstTokenMs = 0, tokensPerSecond = 0;
        QList<Attachment> attachments;
    };

    // fileName empty: conversations.sqlite in the platform's app data folder.
    explicit ConversationStore(const QString& fileName = {}, QObject* parent = nullptr);
    ~ConversationStore() override;

    static constexpr int kSchemaVersion = 2;
    QString error() const { return m_error; } // why the store could not open, if it did not
    QString fileName() const { return m_fileName; }
    QString attachmentFolder() const;

    QList<Conversation> conversations(const QString& search = {}) const; // newest first
    Conversation conversation(qint64 id) const;
    qint64 createConversation(const QString& title);
    void rename(qint64 id, const QString& title);
    void setSystemPrompt(qint64 id, const QString& prompt);
    void setThinking(qint64 id, bool on);
    void markDeleted(qint64 id, bool deleted);

    QList<Message> messages(qint64 conversationId) const;
    qint64 appendMessage(qint64 conversationId, const Message& message);
    // A streaming reply's text, thinking and timings (model and sampling stay as appended).
    void updateMessage(const Message& message);
    // Removes the messages from `position` (0-based) on: edit and regenerate continue there.
    void truncate(qint64 conversationId, int position);

signals:
    void conversationsChanged();

private:
    bool migrate();
    void touch(qint64 conversationId);
    QString m_connection;
    QString m_fileName;
    QString m_error;
};
