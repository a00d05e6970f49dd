// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtQml/qqmlregistration.h>

// Reads a chosen model file (GGUF, or a Hugging Face folder) off the GUI thread and says
// what it is, or the one sentence explaining why it cannot be used; for a model, what
// it will need at `context` tokens against the device's `deviceMemory`.
class ModelFileCheck : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString path READ path WRITE setPath NOTIFY pathChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY resultChanged)
    Q_PROPERTY(bool ok READ ok NOTIFY resultChanged)
    Q_PROPERTY(QString summary READ summary NOTIFY resultChanged)
    Q_PROPERTY(QString estimate READ estimate NOTIFY resultChanged)
    Q_PROPERTY(bool fits READ fits NOTIFY resultChanged)
    Q_PROPERTY(int context READ context WRITE setContext NOTIFY pathChanged)
    Q_PROPERTY(qint64 deviceMemory READ deviceMemory WRITE setDeviceMemory NOTIFY pathChanged)

public:
    using QObject::QObject;
    ~ModelFileCheck() override;

    QString path() const { return m_path; }
    void setPath(const QString& path);
    bool busy() const { return m_watcher.isRunning(); }
    bool ok() const { return m_ok; }
    QString summary() const { return m_summary; }
    QString estimate() const { return m_estimate; }
    bool fits() const { return m_fits; }
    int context() const { return m_context; }
    void setContext(int c);
    qint64 deviceMemory() const { return m_deviceMemory; }
    void setDeviceMemory(qint64 bytes);

    struct Result {
        bool ok = false;
        QString summary;
        QString estimate; // empty when the file is no model (or unreadable)
        bool fits = true;
    };
    // The check itself, callable from any thread.
    static Result inspect(const QString& path, int context = 8192, qint64 deviceMemory = 0);

signals:
    void pathChanged();
    void resultChanged();

private:
    QString m_path;
    bool m_ok = false;
    QString m_summary;
    QString m_estimate;
    bool m_fits = true;
    int m_context = 8192;
    qint64 m_deviceMemory = 0;
    void recheck();
    QFutureWatcher<Result> m_watcher;
};
