// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

// The conversations in the sidebar, newest first. Held in memory for now: the SQLite
// store (issue 6) will back it. Lives on the GUI thread.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentIndexChanged)

public:
    enum Roles {
        TitleRole = Qt::UserRole + 1, // shown in the list
        CreatedRole,                  // QDateTime the conversation started
    };
    Q_ENUM(Roles)

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    int currentIndex() const { return m_current; }
    void setCurrentIndex(int index);

    // Starts an empty conversation at the top and selects it.
    Q_INVOKABLE void createConversation();

signals:
    void countChanged();
    void currentIndexChanged();

private:
    struct Row {
        QString title;
        QDateTime created;
    };
    QList<Row> m_rows;
    int m_current = -1;
};
