// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet.Core
import Facet.Settings
import Facet.Style

// One size's model file: path, browse, load, what the file turned out to be, and what
// it will need on the device at the chosen context.
ColumnLayout {
    id: root

    required property SettingsStore settings
    required property EngineSession session
    required property string size

    spacing: 2

    ModelFileCheck {
        id: projector
        path: root.settings.mmprojPath(root.size)
    }

    ModelFileCheck {
        id: check
        path: root.settings.modelPath(root.size)
        context: root.settings.contextLength
        deviceMemory: root.session.deviceMemory
    }

    Connections {
        target: root.settings
        function onModelPathChanged(changed) {
            if (changed === root.size)
                check.path = root.settings.modelPath(root.size)
        }
        function onMmprojPathChanged(changed) {
            if (changed === root.size)
                projector.path = root.settings.mmprojPath(root.size)
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
            placeholderText: qsTr("Path to a .gguf file")
            Accessible.name: qsTr("Model file for %1").arg(root.size)
            onEditingFinished: root.settings.setModelPath(root.size, text)
        }
        Button {
            text: qsTr("Browse…")
            Accessible.name: qsTr("Browse for the %1 model file").arg(root.size)
            onClicked: dialog.open()
        }
        Button {
            objectName: "load" + root.size
            text: root.session.modelLoaded && root.session.modelPath === check.path ? qsTr("Loaded") : qsTr("Load")
            enabled: check.ok && !root.session.loading && root.session.modelPath !== check.path
            Accessible.name: qsTr("Load the %1 model now").arg(root.size)
            onClicked: {
                root.settings.activeSize = root.size
                if (root.session.modelPath !== check.path)
                    root.session.loadModel(check.path, root.settings.contextLength, projector.path)
            }
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
    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 110 + Spacing.medium
        visible: check.estimate.length > 0 && !check.busy
        wrapMode: Text.Wrap
        font.pixelSize: Type.small
        color: check.fits ? Colors.textMuted : Colors.warning
        text: check.estimate
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: 110 + Spacing.medium
        spacing: Spacing.medium
        TextField {
            Layout.fillWidth: true
            text: projector.path
            placeholderText: qsTr("Projector (mmproj) file, for images and audio (optional)")
            Accessible.name: qsTr("Projector file for %1").arg(root.size)
            onEditingFinished: root.settings.setMmprojPath(root.size, text)
        }
        Button {
            text: qsTr("Browse…")
            Accessible.name: qsTr("Browse for the %1 projector file").arg(root.size)
            onClicked: projectorDialog.open()
        }
    }
    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 110 + Spacing.medium
        visible: projector.path.length > 0
        wrapMode: Text.Wrap
        font.pixelSize: Type.small
        color: projector.ok || projector.busy ? Colors.textMuted : Colors.warning
        text: projector.busy ? qsTr("Reading…") : projector.summary + (projector.estimate.length > 0 ? " " + projector.estimate : "")
    }

    FileDialog {
        id: projectorDialog
        title: qsTr("Choose the Gemma 4 %1 projector (mmproj)").arg(root.size)
        nameFilters: [qsTr("GGUF files (*.gguf)")]
        onAccepted: root.settings.setMmprojPath(root.size, selectedFile.toString())
    }

    FileDialog {
        id: dialog
        title: qsTr("Choose the Gemma 4 %1 model").arg(root.size)
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: root.settings.setModelPath(root.size, selectedFile.toString())
    }
}
