// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "conversation_store.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

namespace {

// Migration N takes the schema from version N to N+1. Never edit one that shipped;
// append a new one.
const char* const kMigrations[] = {
    R"(CREATE TABLE conversations (
         id INTEGER PRIMARY KEY,
         title TEXT NOT NULL,
         system_prompt TEXT NOT NULL DEFAULT '',
         thinking INTEGER NOT NULL DEFAULT 0,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         deleted INTEGER NOT NULL DEFAULT 0);
       CREATE TABLE messages (
         id INTEGER PRIMARY KEY,
         conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
         position INTEGER NOT NULL,
         role TEXT NOT NULL CHECK (role IN ('user', 'model')),
         text TEXT NOT NULL DEFAULT '',
         thinking TEXT NOT NULL DEFAULT '',
         model TEXT NOT NULL DEFAULT '',
         sampling TEXT NOT NULL DEFAULT '',
         first_token_ms REAL NOT NULL DEFAULT 0,
         tokens_per_second REAL NOT NULL DEFAULT 0,
         created_at TEXT NOT NULL,
         UNIQUE (conversation_id, position));
       CREATE INDEX messages_by_conversation ON messages(conversation_id, position);)",
    // 2: files attached to a message (images now, audio later), copied into the data folder.
    R"(CREATE TABLE attachments (
         id INTEGER PRIMARY KEY,
         message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
         kind TEXT NOT NULL,
         path TEXT NOT NULL,
         budget INTEGER NOT NULL DEFAULT 0);
       CREATE INDEX attachments_by_message ON attachments(message_id);)",
};

// A null QString binds as SQL NULL; the text columns are NOT NULL.
QString nn(const QString& s) { return s.isNull() ? QStringLiteral("") : s; }

QString now() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

} // namespace

ConversationStore::ConversationStore(const QString& fileName, QObject* parent)
    : QObject(parent), m_connection("facet-store-" + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    QString path = fileName;
    if (path.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        path = dir + "/conversations.sqlite";
    }
    m_fileName = path;
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", m_connection);
    db.setDatabaseName(path);
    if (!db.open()) {
        m_error = tr("The conversation store %1 cannot be opened: %2.").arg(path, db.lastError().text());
        return;
    }
    QSqlQuery q(db);
    q.exec("PRAGMA journal_mode=WAL");
    q.exec("PRAGMA synchronous=NORMAL"); // WAL keeps the file consistent; a crash loses at most the last commit
    q.exec("PRAGMA foreign_keys=ON");
    if (!migrate())
        return;
    q.exec("DELETE FROM conversations WHERE deleted = 1");
}

QString ConversationStore::attachmentFolder() const { return QFileInfo(m_fileName).absolutePath() + "/attachments"; }

ConversationStore::~ConversationStore()
{
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

bool ConversationStore::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery q(db);
    q.exec("PRAGMA user_version");
    const int version = q.next() ? q.value(0).toInt() : 0;
    if (version > kSchemaVersion) {
        m_error = tr("The conversation store was written by a newer Facet (schema %1); this one reads up to %2.").arg(version).arg(kSchemaVersion);
        return false;
    }
    for (int v = version; v < kSchemaVersion; ++v) {
        db.transaction();
        bool ok = true;
        for (const QString& statement : QString(kMigrations[v]).split(';', Qt::SkipEmptyParts)) {
            if (statement.trimmed().isEmpty())
                continue;
            ok = ok && q.exec(statement);
        }
        ok = ok && q.exec(QString("PRAGMA user_version = %1").arg(v + 1));
        if (!ok) {
            m_error = tr("The conversation store could not be updated: %1.").arg(q.lastError().text());
            db.rollback();
            return false;
        }
        db.commit();
    }
    return true;
}

QList<ConversationStore::Conversation> ConversationStore::conversations(const QString& search) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(R"(SELECT id, title, system_prompt, thinking, updated_at FROM conversations c
                 WHERE deleted = 0 AND (:s = '' OR title LIKE :like ESCAPE '\'
                   OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.text LIKE :like2 ESCAPE '\'))
                 ORDER BY updated_at DESC, id DESC)");
    QString escaped = search;
    escaped.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    q.bindValue(":s", search);
    q.bindValue(":like", "%" + escaped + "%");
    q.bindValue(":like2", "%" + escaped + "%");
    q.exec();
    QList<Conversation> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
                    QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs)});
    return out;
}

ConversationStore::Conversation ConversationStore::conversation(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("SELECT id, title, system_prompt, thinking, updated_at FROM conversations WHERE id = ?");
    q.addBindValue(id);
    q.exec();
    if (!q.next())
        return {};
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
            QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs)};
}

qint64 ConversationStore::createConversation(const QString& title)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)");
    const QString t = now();
    q.addBindValue(nn(title));
    q.addBindValue(t);
    q.addBindValue(t);
    if (!q.exec())
        return 0;
    emit conversationsChanged();
    return q.lastInsertId().toLongLong();
}

void ConversationStore::rename(qint64 id, const QString& title)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("UPDATE conversations SET title = ? WHERE id = ?");
    q.addBindValue(nn(title));
    q.addBindValue(id);
    q.exec();
    emit conversationsChanged();
}

void ConversationStore::setSystemPrompt(qint64 id, const QString& prompt)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("UPDATE conversations SET system_prompt = ? WHERE id = ?");
    q.addBindValue(nn(prompt));
    q.addBindValue(id);
    q.exec();
}

void ConversationStore::setThinking(qint64 id, bool on)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("UPDATE conversations SET thinking = ? WHERE id = ?");
    q.addBindValue(on ? 1 : 0);
    q.addBindValue(id);
    q.exec();
}

void ConversationStore::markDeleted(qint64 id, bool deleted)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("UPDATE conversations SET deleted = ? WHERE id = ?");
    q.addBindValue(deleted ? 1 : 0);
    q.addBindValue(id);
    q.exec();
    emit conversationsChanged();
}

QList<ConversationStore::Message> ConversationStore::messages(qint64 conversationId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(R"(SELECT id, role, text, thinking, model, sampling, first_token_ms, tokens_per_second
                 FROM messages WHERE conversation_id = ? ORDER BY position)");
    q.addBindValue(conversationId);
    q.exec();
    QList<Message> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                    q.value(4).toString(), q.value(5).toString(), q.value(6).toDouble(), q.value(7).toDouble(), {}});
    QSqlQuery a(QSqlDatabase::database(m_connection));
    a.prepare("SELECT kind, path, budget FROM attachments WHERE message_id = ? ORDER BY id");
    for (Message& m : out) {
        a.addBindValue(m.id);
        a.exec();
        while (a.next())
            m.attachments.append({a.value(0).toString(), a.value(1).toString(), a.value(2).toInt()});
    }
    return out;
}

qint64 ConversationStore::appendMessage(qint64 conversationId, const Message& m)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(R"(INSERT INTO messages (conversation_id, position, role, text, thinking, model, sampling,
                   first_token_ms, tokens_per_second, created_at)
                 VALUES (:c, (SELECT COUNT(*) FROM messages WHERE conversation_id = :c2), :role, :text, :thinking,
                   :model, :sampling, :ttft, :tps, :now))");
    q.bindValue(":c", conversationId);
    q.bindValue(":c2", conversationId);
    q.bindValue(":role", nn(m.role));
    q.bindValue(":text", nn(m.text));
    q.bindValue(":thinking", nn(m.thinking));
    q.bindValue(":model", nn(m.model));
    q.bindValue(":sampling", nn(m.sampling));
    q.bindValue(":ttft", m.firstTokenMs);
    q.bindValue(":tps", m.tokensPerSecond);
    q.bindValue(":now", now());
    if (!q.exec()) {
        qWarning("ConversationStore: %s", qPrintable(q.lastError().text()));
        return 0;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    for (const Attachment& att : m.attachments) {
        QSqlQuery a(QSqlDatabase::database(m_connection));
        a.prepare("INSERT INTO attachments (message_id, kind, path, budget) VALUES (?, ?, ?, ?)");
        a.addBindValue(id);
        a.addBindValue(nn(att.kind));
        a.addBindValue(nn(att.path));
        a.addBindValue(att.budget);
        a.exec();
    }
    touch(conversationId);
    return id;
}

void ConversationStore::updateMessage(const Message& m)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(R"(UPDATE messages SET text = ?, thinking = ?, first_token_ms = ?, tokens_per_second = ? WHERE id = ?)");
    q.addBindValue(nn(m.text));
    q.addBindValue(nn(m.thinking));
    q.addBindValue(m.firstTokenMs);
    q.addBindValue(m.tokensPerSecond);
    q.addBindValue(m.id);
    q.exec();
}

void ConversationStore::truncate(qint64 conversationId, int position)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("DELETE FROM messages WHERE conversation_id = ? AND position >= ?");
    q.addBindValue(conversationId);
    q.addBindValue(position);
    q.exec();
    touch(conversationId);
}

void ConversationStore::touch(qint64 conversationId)
{
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?");
    q.addBindValue(now());
    q.addBindValue(conversationId);
    q.exec();
}
