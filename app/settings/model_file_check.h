// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtQml/qqmlregistration.h>

// Reads a chosen model file (GGUF, or a Hugging Face folder) off the GUI thread and says
// what it is, or the one sentence explaining why it cannot be used.
class ModelFileCheck : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString path READ path WRITE setPath NOTIFY pathChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY resultChanged)
    Q_PROPERTY(bool ok READ ok NOTIFY resultChanged)
    Q_PROPERTY(QString summary READ summary NOTIFY resultChanged)

public:
    using QObject::QObject;
    ~ModelFileCheck() override;

    QString path() const { return m_path; }
    void setPath(const QString& path);
    bool busy() const { return m_watcher.isRunning(); }
    bool ok() const { return m_ok; }
    QString summary() const { return m_summary; }

    struct Result {
        bool ok = false;
        QString summary;
    };
    // The check itself, callable from any thread.
    static Result inspect(const QString& path);

signals:
    void pathChanged();
    void resultChanged();

private:
    QString m_path;
    bool m_ok = false;
    QString m_summary;
    QFutureWatcher<Result> m_watcher;
};
