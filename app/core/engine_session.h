// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include "facet/device.h"

// The app's handle on the inference engine. Engine work runs off the GUI thread; results
// come back as property changes. Created by main() and handed to the pages. So far it
// finds the Vulkan device (and says why that one); loading a model and generating
// arrive with the decoder (issues 3 and 6), so modelLoaded stays false until then.
class EngineSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("EngineSession is created by main() and handed to the pages")
    Q_PROPERTY(bool deviceReady READ deviceReady NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceKind READ deviceKind NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceReason READ deviceReason NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceError READ deviceError NOTIFY deviceChanged)
    Q_PROPERTY(QStringList deviceNames READ deviceNames NOTIFY deviceChanged)
    Q_PROPERTY(bool modelLoaded READ modelLoaded NOTIFY modelLoadedChanged)

public:
    explicit EngineSession(QObject* parent = nullptr);
    ~EngineSession() override;

    // Looks for Vulkan devices on a worker thread; deviceChanged follows.
    Q_INVOKABLE void probeDevices(const QString& preferred = {});

    bool deviceReady() const { return m_ready; }
    QString deviceName() const;
    QString deviceKind() const;
    QString deviceReason() const { return QString::fromStdString(m_report.reason); }
    QString deviceError() const { return m_error; }
    QStringList deviceNames() const;
    bool modelLoaded() const { return false; }

signals:
    void deviceChanged();
    void modelLoadedChanged();

private:
    struct ProbeResult {
        facet::DeviceReport report;
        QString error;
    };
    QFutureWatcher<ProbeResult> m_probe;
    facet::DeviceReport m_report;
    QString m_error;
    bool m_ready = false;
};
