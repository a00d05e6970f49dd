// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

// The app's QML modules are static libraries: each process that loads Main.qml imports
// their plugins once, here.
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(FacetPlugin)
Q_IMPORT_QML_PLUGIN(Facet_CorePlugin)
Q_IMPORT_QML_PLUGIN(Facet_StylePlugin)
Q_IMPORT_QML_PLUGIN(Facet_ConversationsPlugin)
Q_IMPORT_QML_PLUGIN(Facet_ChatPlugin)
Q_IMPORT_QML_PLUGIN(Facet_VoicePlugin)
Q_IMPORT_QML_PLUGIN(Facet_ComposerPlugin)
Q_IMPORT_QML_PLUGIN(Facet_SettingsPlugin)

#include <QQmlEngine>

// Qt 6.4 puts static modules' qmldir files under qrc:/<URI path>/, a root the engine
// does not search by default.
inline void addFacetImportPath(QQmlEngine& engine) { engine.addImportPath(QStringLiteral("qrc:/")); }
