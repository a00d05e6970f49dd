// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style
import "internal"

// Settings, one section per group (STYLE.md §3).
Page {
    id: root

    required property SettingsStore settings
    required property EngineSession session

    title: qsTr("Settings")
    Accessible.name: title

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: parent.width
            spacing: Spacing.large

            Label {
                Layout.margins: Spacing.large
                text: root.title
                font.pixelSize: Type.title
                font.bold: true
            }
            ModelsSection {
                Layout.fillWidth: true
                Layout.leftMargin: Spacing.large
                Layout.rightMargin: Spacing.large
                settings: root.settings
                session: root.session
            }
            GenerationSection {
                Layout.fillWidth: true
                Layout.leftMargin: Spacing.large
                Layout.rightMargin: Spacing.large
                settings: root.settings
            }
            DeviceSection {
                Layout.fillWidth: true
                Layout.leftMargin: Spacing.large
                Layout.rightMargin: Spacing.large
                session: root.session
                settings: root.settings
            }
            MicrophoneSection {
                Layout.fillWidth: true
                Layout.leftMargin: Spacing.large
                Layout.rightMargin: Spacing.large
                settings: root.settings
            }
        }
    }
}
