// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet.Core
import Facet.Settings
import Facet.Style

// One size's model file: path, browse button, and what the file turned out to be.
ColumnLayout {
    id: root

    required property SettingsStore settings
    required property string size

    spacing: 2

    ModelFileCheck {
        id: check
        path: root.settings.modelPath(root.size)
    }

    Connections {
        target: root.settings
        function onModelPathChanged(changed) {
            if (changed === root.size)
                check.path = root.settings.modelPath(root.size)
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Spacing.medium

        RadioButton {
            text: root.size
            checked: root.settings.activeSize === root.size
            Layout.preferredWidth: 110
            Accessible.name: qsTr("Use Gemma 4 %1").arg(root.size)
            onToggled: root.settings.activeSize = root.size
        }
        TextField {
            id: pathField
            Layout.fillWidth: true
            text: check.path
            placeholderText: qsTr("Path to a .gguf file or a Hugging Face folder")
            Accessible.name: qsTr("Model file for %1").arg(root.size)
            onEditingFinished: root.settings.setModelPath(root.size, text)
        }
        Button {
            text: qsTr("Browse…")
            Accessible.name: qsTr("Browse for the %1 model file").arg(root.size)
            onClicked: dialog.open()
        }
    }
    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 110 + Spacing.medium
        visible: check.path.length > 0
        wrapMode: Text.Wrap
        font.pixelSize: Type.small
        color: check.ok || check.busy ? Colors.textMuted : Colors.warning
        text: check.busy ? qsTr("Reading…") : check.summary
    }

    FileDialog {
        id: dialog
        title: qsTr("Choose the Gemma 4 %1 model").arg(root.size)
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("safetensors (*.safetensors)")]
        onAccepted: root.settings.setModelPath(root.size, selectedFile.toString())
    }
}
