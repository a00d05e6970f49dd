// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "chat_controller.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QUuid>
#include <QJsonObject>

namespace {

MessageListModel::Row toRow(const ConversationStore::Message& m)
{
    MessageListModel::Row r{m.id, m.role, m.text, m.thinking, {}, false, m.attachments};
    if (m.role == "model" && !m.model.isEmpty())
        r.details = m.tokensPerSecond > 0 ? QObject::tr("%1 · %2 tokens/s").arg(m.model).arg(m.tokensPerSecond, 0, 'f', 1) : m.model;
    return r;
}

QString titleFrom(const QString& text)
{
    QString t = text.simplified();
    return t.size() > 48 ? t.left(47) + QStringLiteral("…") : t;
}

} // namespace

ChatController::ChatController(QObject* parent) : QObject(parent)
{
    connect(this, &ChatController::wiringChanged, this, &ChatController::connectSession);
}

void ChatController::connectSession()
{
    if (m_connected == m_session)
        return;
    if (m_connected)
        disconnect(m_connected, nullptr, this, nullptr);
    m_connected = m_session;
    if (!m_session)
        return;
    connect(m_session, &EngineSession::replyText, this, [this](const QString& text, bool thought) {
        if (m_replyRow < 0 || m_replyRow >= m_messages.count())
            return;
        MessageListModel::Row r = m_messages.rows()[m_replyRow];
        (thought ? r.thinking : r.text) += text;
        m_messages.update(m_replyRow, r);
        if (m_sinceSave.elapsed() >= 1000)
            save(false);
    });
    connect(m_session, &EngineSession::replyFinished, this, [this](const ReplyReport& report) {
        if (m_replyRow < 0 || m_replyRow >= m_messages.count())
            return;
        MessageListModel::Row r = m_messages.rows()[m_replyRow];
        r.streaming = false;
        QString why = report.cancelled ? tr("stopped") : report.contextFull ? tr("the context is full") : report.endOfTurn ? QString() : tr("reached the token limit");
        r.details = m_session->modelName();
        if (report.tokensPerSecond > 0)
            r.details += tr(" · %1 tokens/s · first token after %2 ms").arg(report.tokensPerSecond, 0, 'f', 1).arg(report.firstTokenMs, 0, 'f', 0);
        if (!why.isEmpty())
            r.details += " · " + why;
        m_messages.update(m_replyRow, r);
        save(true);
        m_replyRow = -1;
        if (m_store)
            emit m_store->conversationsChanged();
    });
    connect(m_session, &EngineSession::replyFailed, this, [this](const QString& sentence) {
        setError(sentence);
        if (m_replyRow >= 0 && m_replyRow < m_messages.count()) {
            MessageListModel::Row r = m_messages.rows()[m_replyRow];
            r.streaming = false;
            r.details = sentence;
            m_messages.update(m_replyRow, r);
            save(true);
        }
        m_replyRow = -1;
    });
}

void ChatController::setError(const QString& e)
{
    if (e == m_error)
        return;
    m_error = e;
    emit errorChanged();
}

void ChatController::open(qint64 conversationId)
{
    if (m_session && m_session->generating())
        stop();
    m_conversation = conversationId;
    m_replyRow = -1;
    QList<MessageListModel::Row> rows;
    m_systemPrompt.clear();
    m_thinking = false;
    if (m_store && conversationId > 0) {
        const ConversationStore::Conversation c = m_store->conversation(conversationId);
        m_systemPrompt = c.systemPrompt;
        m_thinking = c.thinking;
        for (const ConversationStore::Message& m : m_store->messages(conversationId))
            rows.append(toRow(m));
    }
    m_messages.reset(rows);
    setError({});
    emit conversationChanged();
}

void ChatController::setSystemPrompt(const QString& prompt)
{
    if (prompt == m_systemPrompt)
        return;
    m_systemPrompt = prompt;
    if (m_store && m_conversation)
        m_store->setSystemPrompt(m_conversation, prompt);
    emit conversationChanged();
}

void ChatController::setThinking(bool on)
{
    if (on == m_thinking)
        return;
    m_thinking = on;
    if (m_store && m_conversation)
        m_store->setThinking(m_conversation, on);
    emit conversationChanged();
}

QString ChatController::keepCopy(const QString& path)
{
    const QString dir = m_store->attachmentFolder();
    QDir().mkpath(dir);
    const QString copy = dir + "/" + QUuid::createUuid().toString(QUuid::WithoutBraces) + "." + QFileInfo(path).suffix().toLower();
    return QFile::copy(path, copy) ? copy : QString();
}

bool ChatController::send(const QString& text, const QVariantList& images)
{
    if (!m_session || !m_store || (text.trimmed().isEmpty() && images.isEmpty()) || m_session->generating() || !m_session->modelLoaded())
        return false;
    QList<ConversationStore::Attachment> attachments;
    for (const QVariant& v : images) {
        const QVariantMap image = v.toMap();
        const QString path = image["path"].toString();
        const QString copy = keepCopy(path);
        if (copy.isEmpty()) {
            setError(tr("%1 could not be copied into Facet's data folder.").arg(QFileInfo(path).fileName()));
            return false;
        }
        const bool sound = image["kind"].toString() == "audio";
        attachments.append({sound ? "audio" : "image", copy, sound ? 0 : image["budget"].toInt()});
    }
    if (!m_conversation) {
        const QString prompt = m_systemPrompt;
        const bool thinking = m_thinking;
        m_conversation = m_store->createConversation(titleFrom(text));
        m_store->setSystemPrompt(m_conversation, prompt);
        m_store->setThinking(m_conversation, thinking);
        emit conversationChanged();
    } else if (m_messages.count() == 0) {
        m_store->rename(m_conversation, titleFrom(text));
    }
    ConversationStore::Message m;
    m.role = "user";
    m.text = text;
    m.attachments = attachments;
    m.id = m_store->appendMessage(m_conversation, m);
    m_messages.append({m.id, "user", text, {}, {}, false, attachments});
    return startReply();
}

bool ChatController::startReply()
{
    setError({});
    ConversationStore::Message reply;
    reply.role = "model";
    reply.model = m_session->modelName();
    const facet::SamplingParams s = sampling();
    reply.sampling = QString::fromUtf8(QJsonDocument(QJsonObject{{"temperature", s.temperature},
                                                                   {"top_k", int(s.topK)},
                                                                   {"top_p", s.topP},
                                                                   {"min_p", s.minP},
                                                                   {"repeat_penalty", s.repeatPenalty},
                                                                   {"seed", QString::number(s.seed)}})
                                           .toJson(QJsonDocument::Compact));
    const auto conversation = conversationForEngine();
    const quint32 maxTokens = m_settings ? quint32(m_settings->maxTokens()) : 1024;
    if (!m_session->generate(conversation, m_thinking, maxTokens, s)) {
        setError(tr("The model is busy; wait for it or press Esc."));
        return false;
    }
    reply.id = m_store->appendMessage(m_conversation, reply);
    m_messages.append({reply.id, "model", {}, {}, tr("writing…"), true, {}});
    m_replyRow = m_messages.count() - 1;
    m_sinceSave.start();
    return true;
}

void ChatController::save(bool final)
{
    if (!m_store || m_replyRow < 0 || m_replyRow >= m_messages.count())
        return;
    const MessageListModel::Row& r = m_messages.rows()[m_replyRow];
    ConversationStore::Message m;
    m.id = r.id;
    m.role = "model";
    m.text = r.text;
    m.thinking = r.thinking;
    if (final && m_session) {
        m.firstTokenMs = m_session->firstTokenMs();
        m.tokensPerSecond = m_session->tokensPerSecond();
    }
    m_store->updateMessage(m);
    m_sinceSave.restart();
}

void ChatController::stop()
{
    if (m_session)
        m_session->stop();
}

void ChatController::regenerate()
{
    if (!m_session || !m_store || m_session->generating() || m_messages.count() == 0)
        return;
    int last = m_messages.count() - 1;
    if (m_messages.rows()[last].author != "model")
        return;
    m_store->truncate(m_conversation, last);
    m_messages.truncate(last);
    startReply();
}

void ChatController::edit(int row, const QString& text)
{
    if (!m_session || !m_store || m_session->generating() || row < 0 || row >= m_messages.count() ||
        m_messages.rows()[row].author != "user" || text.trimmed().isEmpty())
        return;
    m_store->truncate(m_conversation, row);
    m_messages.truncate(row);
    ConversationStore::Message m;
    m.role = "user";
    m.text = text;
    m.id = m_store->appendMessage(m_conversation, m);
    m_messages.append({m.id, "user", text, {}, {}, false, {}});
    startReply();
}

std::vector<facet::chat::Message> ChatController::conversationForEngine() const
{
    using namespace facet::chat;
    std::vector<Message> out;
    if (!m_systemPrompt.trimmed().isEmpty())
        out.push_back({Role::System, {{Part::Kind::Text, m_systemPrompt.toStdString()}}, {}, {}, {}, {}});
    for (const MessageListModel::Row& r : m_messages.rows()) {
        Message m{r.author == "user" ? Role::User : Role::Model, {}, {}, {}, {}, {}};
        for (const ConversationStore::Attachment& a : r.attachments)
            if (a.kind == "image")
                m.content.push_back({Part::Kind::Image, a.path.toStdString(), uint32_t(a.budget)});
            else if (a.kind == "audio")
                m.content.push_back({Part::Kind::Audio, a.path.toStdString()});
        m.content.push_back({Part::Kind::Text, r.text.toStdString()});
        out.push_back(std::move(m));
    }
    return out;
}

facet::SamplingParams ChatController::sampling() const
{
    facet::SamplingParams s = m_session ? m_session->fileSampling() : facet::SamplingParams{};
    if (m_settings)
        m_settings->applySampling(s);
    return s;
}
