// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "conversation_store.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

// The messages of the open conversation, oldest first; a reply streams into the last
// row. Filled and changed by ChatController; lives on the GUI thread.
class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        AuthorRole = Qt::UserRole + 1, // "user" or "model"
        TextRole,                      // the message as written or generated so far
        ThinkingRole,                  // the reply's thought channel, empty when none
        StreamingRole,                 // the engine is still writing this reply
        DetailsRole,                   // one line: model, speed, why it ended
        ImagesRole,                    // file URLs of attached images, for thumbnails
        AudioRole,                     // file names of attached sound files
    };
    Q_ENUM(Roles)

    struct Row {
        qint64 id = 0; // in ConversationStore
        QString author, text, thinking, details;
        bool streaming = false;
        QList<ConversationStore::Attachment> attachments;
    };

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(m_rows.size()); }

    const QList<Row>& rows() const { return m_rows; }
    void reset(const QList<Row>& rows);
    void append(const Row& row);
    void update(int index, const Row& row);
    void truncate(int from); // drops rows from `from` on

signals:
    void countChanged();

private:
    QList<Row> m_rows;
};
