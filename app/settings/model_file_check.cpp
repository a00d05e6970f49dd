// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model_file_check.h"

#include "facet/error.h"
#include "facet/gguf.h"
#include "facet/safetensors.h"

#include <QFileInfo>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

ModelFileCheck::~ModelFileCheck() { m_watcher.waitForFinished(); }

void ModelFileCheck::setPath(const QString& path)
{
    if (path == m_path)
        return;
    m_path = path;
    emit pathChanged();
    m_ok = false;
    m_summary.clear();
    if (path.isEmpty()) {
        emit resultChanged();
        return;
    }
    m_watcher.disconnect(this);
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, [this, path] {
        if (path != m_path)
            return; // a newer choice is being checked
        const Result r = m_watcher.result();
        m_ok = r.ok;
        m_summary = r.summary;
        emit resultChanged();
    });
    m_watcher.setFuture(QtConcurrent::run(&ModelFileCheck::inspect, path));
    emit resultChanged();
}

ModelFileCheck::Result ModelFileCheck::inspect(const QString& path)
{
    const QLocale locale;
    try {
        const QFileInfo info(path);
        if (info.isDir() || path.endsWith(".safetensors")) {
            const auto m = facet::safetensors::Model::open(path.toStdString());
            return {true, QObject::tr("Hugging Face model folder: %1 tensors in %2 file(s)")
                              .arg(m.tensors().size())
                              .arg(m.shardCount())};
        }
        const auto f = facet::gguf::File::open(path.toStdString());
        const QString arch = QString::fromStdString(f.architecture());
        if (arch != "gemma4" && arch != "gemma3" && arch != "clip")
            return {false, QObject::tr("%1 holds a %2 model; Facet runs Gemma models.").arg(info.fileName(), arch)};
        return {true, QObject::tr("%1 model, %2 tensors, %3")
                          .arg(arch)
                          .arg(f.tensors().size())
                          .arg(locale.formattedDataSize(qint64(f.totalBytes())))};
    } catch (const facet::Error& e) {
        return {false, QString::fromUtf8(e.what())};
    }
}
