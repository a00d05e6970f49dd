// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "settings_store.h"

#include "model_sizes.h"

#include "facet/image.h"

#include <QRandomGenerator>
#include <QUrl>

#include <algorithm>

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

QString SettingsStore::microphone() const { return m_settings->value("audio/microphone").toString(); }

void SettingsStore::setMicrophone(const QString& id)
{
    if (id == microphone())
        return;
    m_settings->setValue("audio/microphone", id);
    emit microphoneChanged();
}

void SettingsStore::setPreferredDevice(const QString& name)
{
    if (name == preferredDevice())
        return;
    m_settings->setValue("device/preferred", name);
    emit preferredDeviceChanged();
}

QStringList SettingsStore::sizes() const { return facet::app::modelSizes(); }

QString SettingsStore::modelPath(const QString& size) const { return m_settings->value("model/path/" + size).toString(); }

namespace {
// File dialogs hand over file:// URLs; keep plain paths.
QString plainPath(const QString& path) { return path.startsWith("file:") ? QUrl(path).toLocalFile() : path; }
} // namespace

void SettingsStore::setModelPath(const QString& size, const QString& path)
{
    const QString plain = plainPath(path);
    if (!sizes().contains(size) || plain == modelPath(size))
        return;
    m_settings->setValue("model/path/" + size, plain);
    emit modelPathChanged(size);
}

QString SettingsStore::mmprojPath(const QString& size) const { return m_settings->value("model/mmproj/" + size).toString(); }

void SettingsStore::setMmprojPath(const QString& size, const QString& path)
{
    const QString plain = plainPath(path);
    if (!sizes().contains(size) || plain == mmprojPath(size))
        return;
    m_settings->setValue("model/mmproj/" + size, plain);
    emit mmprojPathChanged(size);
}

void SettingsStore::setNumber(const QString& key, double v)
{
    if (v < 0) { // "unset": the file's value, or the built-in default
        if (!m_settings->contains(key))
            return;
        m_settings->remove(key);
    } else {
        if (m_settings->contains(key) && m_settings->value(key).toDouble() == v)
            return;
        m_settings->setValue(key, v);
    }
    emit samplingChanged();
}

void SettingsStore::resetSampling()
{
    for (const char* key : {"sampling/temperature", "sampling/top_k", "sampling/top_p", "sampling/min_p", "sampling/repeat_penalty", "sampling/seed"})
        m_settings->remove(key);
    emit samplingChanged();
}

void SettingsStore::applySampling(facet::SamplingParams& p) const
{
    if (temperature() >= 0)
        p.temperature = float(temperature());
    if (topK() > 0)
        p.topK = uint32_t(std::min(topK(), 256));
    if (topP() > 0)
        p.topP = float(std::min(topP(), 1.0));
    if (minP() >= 0)
        p.minP = float(std::min(minP(), 0.99));
    if (repeatPenalty() > 0)
        p.repeatPenalty = float(repeatPenalty());
    p.seed = seed() >= 0 ? uint64_t(seed()) : uint64_t(QRandomGenerator::global()->generate64());
}

void SettingsStore::setImageBudget(int v)
{
    if (facet::vision::isBudget(uint32_t(v)))
        setNumber("vision/budget", v);
}
