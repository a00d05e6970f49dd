// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "composer_controller.h"

#include "facet/audio.h"
#include "facet/error.h"
#include "facet/image.h"

#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QUuid>
#include <QUrl>

void ComposerController::setSession(EngineSession* session)
{
    if (m_session == session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (m_session)
    {
        connect(m_session, &EngineSession::modelChanged, this, &ComposerController::canSendChanged);
        connect(m_session, &EngineSession::loadingChanged, this, &ComposerController::canSendChanged);
        connect(m_session, &EngineSession::generatingChanged, this, &ComposerController::canSendChanged);
    }
    emit sessionChanged();
    emit canSendChanged();
}

void ComposerController::setText(const QString& text)
{
    if (text == m_text)
        return;
    const bool could = canSend();
    m_text = text;
    emit textChanged();
    if (could != canSend())
        emit canSendChanged();
}

bool ComposerController::canSend() const
{
    return m_session && m_session->modelLoaded() && !m_session->loading() && !m_session->generating() &&
           (!m_text.trimmed().isEmpty() || !m_images.isEmpty());
}

QVariantList ComposerController::budgets() const { return {70, 140, 280, 560, 1120}; }

bool ComposerController::addImage(const QString& pathOrUrl, int budget)
{
    const QString path = pathOrUrl.startsWith("file:") ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
    try {
        const facet::RgbImage image = facet::decodeImage(path.toStdString());
        m_images.append(QVariantMap{{"kind", "image"}, {"path", path}, {"name", QFileInfo(path).fileName()}, {"budget", budget},
                                    {"width", int(image.width)}, {"height", int(image.height)}});
        m_imageError.clear();
    } catch (const facet::Error& e) {
        m_imageError = QString::fromUtf8(e.what());
        emit imagesChanged();
        return false;
    }
    emit imagesChanged();
    emit canSendChanged();
    return true;
}

bool ComposerController::addAudio(const QString& pathOrUrl)
{
    const QString path = pathOrUrl.startsWith("file:") ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
    try {
        const std::vector<float> samples = facet::decodeAudio(path.toStdString());
        m_images.append(QVariantMap{{"kind", "audio"}, {"path", path}, {"name", QFileInfo(path).fileName()},
                                    {"seconds", double(samples.size()) / facet::audio::kSampleRate}});
        m_imageError.clear();
    } catch (const facet::Error& e) {
        m_imageError = QString::fromUtf8(e.what());
        emit imagesChanged();
        return false;
    }
    emit imagesChanged();
    emit canSendChanged();
    return true;
}

bool ComposerController::addFile(const QString& pathOrUrl, int budget)
{
    static const QStringList kSound = {"wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "aac", "weba"};
    const QString path = pathOrUrl.startsWith("file:") ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
    return kSound.contains(QFileInfo(path).suffix().toLower()) ? addAudio(path) : addImage(path, budget);
}

bool ComposerController::pasteImage(const QString& folder, int budget)
{
    const QImage image = QGuiApplication::clipboard()->image();
    if (image.isNull())
        return false;
    QDir().mkpath(folder);
    const QString path = folder + "/pasted-" + QUuid::createUuid().toString(QUuid::WithoutBraces) + ".png";
    if (!image.save(path, "PNG")) {
        m_imageError = tr("The pasted picture could not be saved in %1.").arg(folder);
        emit imagesChanged();
        return false;
    }
    return addImage(path, budget);
}

void ComposerController::removeImage(int index)
{
    if (index < 0 || index >= m_images.size())
        return;
    m_images.removeAt(index);
    emit imagesChanged();
    emit canSendChanged();
}

void ComposerController::setImageBudget(int index, int budget)
{
    if (index < 0 || index >= m_images.size() || !facet::vision::isBudget(uint32_t(budget)))
        return;
    QVariantMap m = m_images[index].toMap();
    m["budget"] = budget;
    m_images[index] = m;
    emit imagesChanged();
}

QString ComposerController::budgetLabel(int index, int budget) const
{
    if (index < 0 || index >= m_images.size())
        return {};
    const QVariantMap m = m_images[index].toMap();
    try {
        const auto t = facet::vision::targetSize(uint32_t(m["height"].toInt()), uint32_t(m["width"].toInt()), uint32_t(budget));
        return tr("%1 → %2 tokens, %3×%4").arg(budget).arg(t.softTokens()).arg(t.width).arg(t.height);
    } catch (const facet::Error& e) {
        return QString::fromUtf8(e.what());
    }
}

QVariantList ComposerController::takeImages()
{
    const QVariantList images = m_images;
    m_images.clear();
    emit imagesChanged();
    emit canSendChanged();
    return images;
}

QString ComposerController::hint() const
{
    if (m_session && m_session->loading())
        return tr("Loading the model…");
    if (!m_session || !m_session->modelLoaded())
        return tr("No model is loaded yet");
    if (m_session->generating())
        return tr("Esc stops the reply");
    return tr("Enter sends, Shift+Enter adds a line");
}

QString ComposerController::takeText()
{
    if (!canSend())
        return {};
    const QString t = m_text;
    setText({});
    return t;
}
