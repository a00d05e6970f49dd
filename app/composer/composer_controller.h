// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QObject>
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

signals:
    void sessionChanged();
    void textChanged();
    void canSendChanged();

private:
    QPointer<EngineSession> m_session;
    QString m_text;
};
