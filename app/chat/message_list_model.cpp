// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "message_list_model.h"

#include <QFileInfo>
#include <QUrl>

int MessageListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& r = m_rows[index.row()];
    switch (role) {
    case AuthorRole: return r.author;
    case TextRole: return r.text;
    case ThinkingRole: return r.thinking;
    case StreamingRole: return r.streaming;
    case DetailsRole: return r.details;
    case ImagesRole: {
        QStringList urls;
        for (const auto& a : r.attachments)
            if (a.kind == "image")
                urls << QUrl::fromLocalFile(a.path).toString();
        return urls;
    }
    case AudioRole: {
        QStringList names;
        for (const auto& a : r.attachments)
            if (a.kind == "audio")
                names << QFileInfo(a.path).fileName();
        return names;
    }
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{AuthorRole, "author"}, {TextRole, "text"}, {ThinkingRole, "thinking"}, {StreamingRole, "streaming"}, {DetailsRole, "details"},
            {ImagesRole, "images"}, {AudioRole, "audio"}};
}

void MessageListModel::reset(const QList<Row>& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
    emit countChanged();
}

void MessageListModel::append(const Row& row)
{
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append(row);
    endInsertRows();
    emit countChanged();
}

void MessageListModel::update(int index, const Row& row)
{
    if (index < 0 || index >= m_rows.size())
        return;
    m_rows[index] = row;
    emit dataChanged(this->index(index), this->index(index));
}

void MessageListModel::truncate(int from)
{
    if (from < 0 || from >= m_rows.size())
        return;
    beginRemoveRows({}, from, int(m_rows.size()) - 1);
    m_rows.resize(from);
    endRemoveRows();
    emit countChanged();
}
