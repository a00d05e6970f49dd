// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model_file_check.h"

#include "facet/text_model.h"

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
    recheck();
}

void ModelFileCheck::setContext(int c)
{
    if (c == m_context)
        return;
    m_context = c;
    emit pathChanged();
    recheck();
}

void ModelFileCheck::setDeviceMemory(qint64 bytes)
{
    if (bytes == m_deviceMemory)
        return;
    m_deviceMemory = bytes;
    emit pathChanged();
    recheck();
}

void ModelFileCheck::recheck()
{
    m_ok = false;
    m_summary.clear();
    m_estimate.clear();
    m_fits = true;
    if (m_path.isEmpty()) {
        emit resultChanged();
        return;
    }
    m_watcher.disconnect(this);
    const QString path = m_path;
    const int context = m_context;
    const qint64 memory = m_deviceMemory;
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, [this, path, context, memory] {
        if (path != m_path || context != m_context || memory != m_deviceMemory)
            return; // a newer choice is being checked
        const Result r = m_watcher.result();
        m_ok = r.ok;
        m_summary = r.summary;
        m_estimate = r.estimate;
        m_fits = r.fits;
        emit resultChanged();
    });
    m_watcher.setFuture(QtConcurrent::run([path, context, memory] { return ModelFileCheck::inspect(path, context, memory); }));
    emit resultChanged();
}

ModelFileCheck::Result ModelFileCheck::inspect(const QString& path, int context, qint64 deviceMemory)
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
        Result r{true, QObject::tr("%1 model, %2 tensors, %3")
                           .arg(arch)
                           .arg(f.tensors().size())
                           .arg(locale.formattedDataSize(qint64(f.totalBytes()))), {}, true};
        if (arch == "clip") {
            const auto* vision = f.find("clip.has_vision_encoder");
            const auto* audio = f.find("clip.has_audio_encoder");
            const bool v = vision && vision->toBool("clip.has_vision_encoder");
            const bool a = audio && audio->toBool("clip.has_audio_encoder");
            r.summary = QObject::tr("projector (mmproj): %1, %2")
                            .arg(v && a ? QObject::tr("vision and audio encoders") : v ? QObject::tr("vision encoder")
                                       : a ? QObject::tr("audio encoder") : QObject::tr("no encoder"))
                            .arg(locale.formattedDataSize(qint64(f.totalBytes())));
            r.estimate = QObject::tr("Images and audio are not supported by Facet yet; the file is kept for when they are.");
            return r;
        }
        // A file whose model cannot be configured cannot be loaded either: that is its answer.
        const facet::MemoryEstimate e = facet::estimateMemory(path.toStdString(), uint32_t(std::max(context, 0)));
        const auto size = [&](uint64_t b) { return locale.formattedDataSize(qint64(b)); };
        r.estimate = QObject::tr("Needs %1 on the device: weights %2, context cache %3 at %4 tokens")
                         .arg(size(e.deviceBytes()), size(e.deviceWeightBytes), size(e.kvCacheBytes))
                         .arg(e.contextLength);
        if (e.hostBytes)
            r.estimate += QObject::tr(", plus %1 of per-layer embeddings in system memory").arg(size(e.hostBytes));
        if (deviceMemory > 0) {
            r.fits = e.deviceBytes() <= uint64_t(deviceMemory);
            r.estimate += QObject::tr("; the device has %1.").arg(size(uint64_t(deviceMemory)));
            if (!r.fits)
                r.estimate += QObject::tr(" It will not fit: choose a smaller context or a smaller model.");
        } else {
            r.estimate += ".";
        }
        return r;
    } catch (const facet::Error& e) {
        return {false, QString::fromUtf8(e.what())};
    }
}
