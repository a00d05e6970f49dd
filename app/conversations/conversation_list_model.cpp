// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "conversation_list_model.h"

int ConversationListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& r = m_rows[index.row()];
    switch (role) {
    case TitleRole: return r.title;
    case CreatedRole: return r.created;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const { return {{TitleRole, "title"}, {CreatedRole, "created"}}; }

void ConversationListModel::setCurrentIndex(int index)
{
    if (index < -1 || index >= m_rows.size() || index == m_current)
        return;
    m_current = index;
    emit currentIndexChanged();
}

void ConversationListModel::createConversation()
{
    beginInsertRows({}, 0, 0);
    m_rows.prepend({tr("New chat"), QDateTime::currentDateTime()});
    endInsertRows();
    emit countChanged();
    m_current = 0;
    emit currentIndexChanged();
}
