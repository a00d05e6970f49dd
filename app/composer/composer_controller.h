// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QObject>
#include <QVariant>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include "engine_session.h"

// What the composer may do right now, and why not when it may not. Created in QML next
// to the Composer; reads the EngineSession it is given.
class ComposerController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(EngineSession* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(bool canSend READ canSend NOTIFY canSendChanged)
    Q_PROPERTY(QString hint READ hint NOTIFY canSendChanged)
    // Attachments waiting to be sent: images as {kind "image", path, name, budget, width,
    // height} maps, sound files as {kind "audio", path, name, seconds}.
    Q_PROPERTY(QVariantList images READ images NOTIFY imagesChanged)
    Q_PROPERTY(QString imageError READ imageError NOTIFY imagesChanged)
    Q_PROPERTY(QVariantList budgets READ budgets CONSTANT)

public:
    using QObject::QObject;

    EngineSession* session() const { return m_session; }
    void setSession(EngineSession* session);
    QString text() const { return m_text; }
    void setText(const QString& text);
    bool canSend() const;
    QString hint() const;

    // Hands the text over and clears the field; returns it (empty when sending is not possible).
    Q_INVOKABLE QString takeText();

    QVariantList images() const { return m_images; }
    QString imageError() const { return m_imageError; }
    QVariantList budgets() const;
    // Adds a picture (a path or file:// URL) after reading it; a file that is no image
    // leaves one sentence in imageError.
    Q_INVOKABLE bool addImage(const QString& pathOrUrl, int budget = 280);
    // Adds a sound file (WAV, FLAC, MP3, OGG/Opus, M4A/AAC) after decoding it for its
    // length; one sentence in imageError when it cannot be read.
    Q_INVOKABLE bool addAudio(const QString& pathOrUrl);
    // A dropped or picked file: sound files by their extension, anything else as an image.
    Q_INVOKABLE bool addFile(const QString& pathOrUrl, int budget = 280);
    Q_INVOKABLE void removeImage(int index);
    Q_INVOKABLE void setImageBudget(int index, int budget);
    // "280 → 256 tokens, 768×768" for image `index` at `budget`.
    Q_INVOKABLE QString budgetLabel(int index, int budget) const;
    // Adds the picture on the clipboard, if there is one (saved as a PNG in `folder`).
    Q_INVOKABLE bool pasteImage(const QString& folder, int budget = 280);
    // Hands the images over (for ChatController::send) and clears them.
    Q_INVOKABLE QVariantList takeImages();

signals:
    void sessionChanged();
    void textChanged();
    void canSendChanged();
    void imagesChanged();

private:
    QPointer<EngineSession> m_session;
    QString m_text;
    QVariantList m_images;
    QString m_imageError;
};
