// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "engine_session.h"

#include "facet/error.h"

#include <QtConcurrent/QtConcurrentRun>

EngineSession::EngineSession(QObject* parent) : QObject(parent)
{
    connect(&m_probe, &QFutureWatcher<ProbeResult>::finished, this, [this] {
        const ProbeResult r = m_probe.result();
        m_report = r.report;
        m_error = r.error;
        m_ready = r.error.isEmpty();
        emit deviceChanged();
    });
}

EngineSession::~EngineSession() { m_probe.waitForFinished(); }

void EngineSession::probeDevices(const QString& preferred)
{
    if (m_probe.isRunning())
        return;
    const std::string want = preferred.toStdString();
    m_probe.setFuture(QtConcurrent::run([want]() -> ProbeResult {
        try {
            return {facet::probeDevices(want), {}};
        } catch (const facet::Error& e) {
            return {{}, QString::fromUtf8(e.what())};
        }
    }));
}

QString EngineSession::deviceName() const
{
    return m_ready ? QString::fromStdString(m_report.devices[m_report.chosen].name) : QString();
}

QString EngineSession::deviceKind() const
{
    return m_ready ? QString::fromStdString(m_report.devices[m_report.chosen].kind) : QString();
}

QStringList EngineSession::deviceNames() const
{
    QStringList names;
    for (const auto& d : m_report.devices)
        names << QString::fromStdString(d.name + " (" + d.kind + ")");
    return names;
}
