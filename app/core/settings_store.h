// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QObject>
#include <QSettings>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <memory>

#include "facet/sampling.h"

// The user's settings, persisted with QSettings. Created by main() (tests pass their
// own file) and handed to the pages; lives on the GUI thread.
class SettingsStore : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SettingsStore is created by main() and handed to the pages")
    Q_PROPERTY(QString activeSize READ activeSize WRITE setActiveSize NOTIFY activeSizeChanged)
    Q_PROPERTY(QString preferredDevice READ preferredDevice WRITE setPreferredDevice NOTIFY preferredDeviceChanged)
    // QAudioDevice id of the microphone for dictation; empty: the system's default.
    Q_PROPERTY(QString microphone READ microphone WRITE setMicrophone NOTIFY microphoneChanged)
    Q_PROPERTY(QStringList sizes READ sizes CONSTANT)
    // Sampling and context; a negative number means "the model file's own value".
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY samplingChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY samplingChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY samplingChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY samplingChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY samplingChanged)
    Q_PROPERTY(int seed READ seed WRITE setSeed NOTIFY samplingChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY samplingChanged)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY samplingChanged)
    // Soft tokens a newly attached image gets (70, 140, 280, 560 or 1120).
    Q_PROPERTY(int imageBudget READ imageBudget WRITE setImageBudget NOTIFY samplingChanged)

public:
    // fileName empty: the platform's default location for Facet.
    explicit SettingsStore(const QString& fileName = {}, QObject* parent = nullptr);

    QString activeSize() const;
    void setActiveSize(const QString& size);
    QString preferredDevice() const;
    QString microphone() const;
    void setMicrophone(const QString& id);
    void setPreferredDevice(const QString& name);
    QStringList sizes() const;

    double temperature() const { return number("sampling/temperature", -1); }
    void setTemperature(double v) { setNumber("sampling/temperature", v); }
    int topK() const { return int(number("sampling/top_k", -1)); }
    void setTopK(int v) { setNumber("sampling/top_k", v); }
    double topP() const { return number("sampling/top_p", -1); }
    void setTopP(double v) { setNumber("sampling/top_p", v); }
    double minP() const { return number("sampling/min_p", -1); }
    void setMinP(double v) { setNumber("sampling/min_p", v); }
    double repeatPenalty() const { return number("sampling/repeat_penalty", -1); }
    void setRepeatPenalty(double v) { setNumber("sampling/repeat_penalty", v); }
    int seed() const { return int(number("sampling/seed", -1)); } // negative: a new seed per reply
    void setSeed(int v) { setNumber("sampling/seed", v); }
    int maxTokens() const { return int(number("sampling/max_tokens", 1024)); }
    void setMaxTokens(int v) { setNumber("sampling/max_tokens", v); }
    int contextLength() const { return int(number("model/context", 8192)); }
    void setContextLength(int v) { setNumber("model/context", v); }
    int imageBudget() const { return int(number("vision/budget", 280)); }
    void setImageBudget(int v);
    Q_INVOKABLE void resetSampling(); // back to the file's values
    // Overrides `params` (the file's values) with the ones the user set.
    void applySampling(facet::SamplingParams& params) const;

    Q_INVOKABLE QString modelPath(const QString& size) const;
    Q_INVOKABLE void setModelPath(const QString& size, const QString& path);
    // The size's projector file (vision/audio encoders, "mmproj" GGUF), when it has one.
    Q_INVOKABLE QString mmprojPath(const QString& size) const;
    Q_INVOKABLE void setMmprojPath(const QString& size, const QString& path);

signals:
    void activeSizeChanged();
    void preferredDeviceChanged();
    void microphoneChanged();
    void modelPathChanged(const QString& size);
    void mmprojPathChanged(const QString& size);
    void samplingChanged();

private:
    double number(const QString& key, double fallback) const { return m_settings->value(key, fallback).toDouble(); }
    void setNumber(const QString& key, double v);
    std::unique_ptr<QSettings> m_settings;
};
