// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "settings_store.h"

#include "model_sizes.h"

#include <QUrl>

SettingsStore::SettingsStore(const QString& fileName, QObject* parent)
    : QObject(parent),
      m_settings(fileName.isEmpty() ? std::make_unique<QSettings>() : std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

QString SettingsStore::activeSize() const { return m_settings->value("model/active", "E2B").toString(); }

void SettingsStore::setActiveSize(const QString& size)
{
    if (size == activeSize() || !sizes().contains(size))
        return;
    m_settings->setValue("model/active", size);
    emit activeSizeChanged();
}

QString SettingsStore::preferredDevice() const { return m_settings->value("device/preferred").toString(); }

void SettingsStore::setPreferredDevice(const QString& name)
{
    if (name == preferredDevice())
        return;
    m_settings->setValue("device/preferred", name);
    emit preferredDeviceChanged();
}

QStringList SettingsStore::sizes() const { return facet::app::modelSizes(); }

QString SettingsStore::modelPath(const QString& size) const { return m_settings->value("model/path/" + size).toString(); }

void SettingsStore::setModelPath(const QString& size, const QString& path)
{
    // File dialogs hand over file:// URLs; keep plain paths.
    const QString plain = path.startsWith("file:") ? QUrl(path).toLocalFile() : path;
    if (!sizes().contains(size) || plain == modelPath(size))
        return;
    m_settings->setValue("model/path/" + size, plain);
    emit modelPathChanged(size);
}
