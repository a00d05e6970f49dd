// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "conversation_list_model.h"

int ConversationListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auto& r = m_rows[index.row()];
    switch (role) {
    case IdRole: return r.id;
    case TitleRole: return r.title;
    case UpdatedRole: return r.updated;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{IdRole, "conversationId"}, {TitleRole, "title"}, {UpdatedRole, "updated"}};
}

void ConversationListModel::setStore(ConversationStore* store)
{
    if (store == m_store)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store)
        connect(m_store, &ConversationStore::conversationsChanged, this, &ConversationListModel::reload);
    reload();
    emit storeChanged();
}

void ConversationListModel::setSearch(const QString& s)
{
    if (s == m_search)
        return;
    m_search = s;
    reload();
    emit searchChanged();
}

void ConversationListModel::reload()
{
    beginResetModel();
    m_rows = m_store ? m_store->conversations(m_search) : QList<ConversationStore::Conversation>{};
    endResetModel();
    emit countChanged();
}

int ConversationListModel::indexOf(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return i;
    return -1;
}

void ConversationListModel::rename(qint64 id, const QString& title)
{
    if (m_store && !title.trimmed().isEmpty())
        m_store->rename(id, title.trimmed());
}

void ConversationListModel::remove(qint64 id)
{
    if (!m_store)
        return;
    m_undoId = id;
    m_undoTitle = m_store->conversation(id).title;
    m_store->markDeleted(id, true);
    emit undoChanged();
    emit removed(id);
}

qint64 ConversationListModel::undoRemove()
{
    const qint64 id = m_undoId;
    if (m_store && id)
        m_store->markDeleted(id, false);
    m_undoId = 0;
    m_undoTitle.clear();
    emit undoChanged();
    return id;
}
