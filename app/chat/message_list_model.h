// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

// The messages of the open conversation, oldest first. Replies stream into the last row
// once the engine generates (issue 6). Lives on the GUI thread.
class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        AuthorRole = Qt::UserRole + 1, // "user" or "model"
        TextRole,                      // the message text as written or generated so far
    };
    Q_ENUM(Roles)

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(m_rows.size()); }

    Q_INVOKABLE void append(const QString& author, const QString& text);

signals:
    void countChanged();

private:
    struct Row {
        QString author;
        QString text;
    };
    QList<Row> m_rows;
};
