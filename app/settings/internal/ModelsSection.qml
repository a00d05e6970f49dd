// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style

// A model file for each Gemma 4 size, and which size is active.
ColumnLayout {
    id: root

    required property SettingsStore settings

    spacing: Spacing.small

    Label {
        text: qsTr("Models")
        font.bold: true
    }

    Repeater {
        model: root.settings.sizes
        delegate: ModelFileRow {
            required property string modelData
            Layout.fillWidth: true
            settings: root.settings
            size: modelData
        }
    }
}
