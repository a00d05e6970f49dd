// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "conversation_store.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

// The conversations in the sidebar, most recently used first, filtered by `search`
// (titles and message text). Reads and writes through the ConversationStore; deleting
// can be undone until the next deletion or the next start. Lives on the GUI thread.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(ConversationStore* store READ store WRITE setStore NOTIFY storeChanged)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString undoTitle READ undoTitle NOTIFY undoChanged) // the last deleted, empty when none

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        UpdatedRole,
    };
    Q_ENUM(Roles)

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    ConversationStore* store() const { return m_store; }
    void setStore(ConversationStore* store);
    QString search() const { return m_search; }
    void setSearch(const QString& s);
    int count() const { return int(m_rows.size()); }
    QString undoTitle() const { return m_undoTitle; }

    Q_INVOKABLE int indexOf(qint64 id) const;
    Q_INVOKABLE void rename(qint64 id, const QString& title);
    Q_INVOKABLE void remove(qint64 id);
    Q_INVOKABLE qint64 undoRemove(); // returns the restored conversation's id

signals:
    void storeChanged();
    void searchChanged();
    void countChanged();
    void undoChanged();
    void removed(qint64 id);

private:
    void reload();
    QPointer<ConversationStore> m_store;
    QString m_search;
    QList<ConversationStore::Conversation> m_rows;
    qint64 m_undoId = 0;
    QString m_undoTitle;
};
