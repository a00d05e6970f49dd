// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QObject>
#include <QSettings>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <memory>

// The user's settings, persisted with QSettings. Created by main() (tests pass their
// own file) and handed to the pages; lives on the GUI thread.
class SettingsStore : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SettingsStore is created by main() and handed to the pages")
    Q_PROPERTY(QString activeSize READ activeSize WRITE setActiveSize NOTIFY activeSizeChanged)
    Q_PROPERTY(QString preferredDevice READ preferredDevice WRITE setPreferredDevice NOTIFY preferredDeviceChanged)
    Q_PROPERTY(QStringList sizes READ sizes CONSTANT)

public:
    // fileName empty: the platform's default location for Facet.
    explicit SettingsStore(const QString& fileName = {}, QObject* parent = nullptr);

    QString activeSize() const;
    void setActiveSize(const QString& size);
    QString preferredDevice() const;
    void setPreferredDevice(const QString& name);
    QStringList sizes() const;

    Q_INVOKABLE QString modelPath(const QString& size) const;
    Q_INVOKABLE void setModelPath(const QString& size, const QString& path);

signals:
    void activeSizeChanged();
    void preferredDeviceChanged();
    void modelPathChanged(const QString& size);

private:
    std::unique_ptr<QSettings> m_settings;
};
