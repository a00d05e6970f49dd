// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "message_list_model.h"

int MessageListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& r = m_rows[index.row()];
    switch (role) {
    case AuthorRole: return r.author;
    case TextRole: return r.text;
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const { return {{AuthorRole, "author"}, {TextRole, "text"}}; }

void MessageListModel::append(const QString& author, const QString& text)
{
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append({author, text});
    endInsertRows();
    emit countChanged();
}
