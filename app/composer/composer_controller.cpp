// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "composer_controller.h"

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
    return m_session && m_session->modelLoaded() && !m_session->loading() && !m_session->generating() && !m_text.trimmed().isEmpty();
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
