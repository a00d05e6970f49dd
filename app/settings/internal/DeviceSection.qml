// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style

// Which Vulkan device computes, and why that one.
ColumnLayout {
    id: root

    required property EngineSession session
    required property SettingsStore settings

    spacing: Spacing.small

    Label {
        text: qsTr("Device")
        font.bold: true
    }
    Label {
        objectName: "deviceName"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: root.session.deviceReady ? root.session.deviceName + " (" + root.session.deviceKind + ")"
            : root.session.deviceError.length > 0 ? root.session.deviceError
            : qsTr("Looking for Vulkan devices…")
        color: root.session.deviceError.length > 0 ? Colors.warning : Colors.text
        Accessible.name: qsTr("Device in use: ") + text
    }
    Label {
        objectName: "deviceReason"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        visible: root.session.deviceReady
        text: root.session.deviceReason
        color: Colors.textMuted
        font.pixelSize: Type.small
    }
    RowLayout {
        Layout.fillWidth: true
        visible: root.session.deviceNames.length > 1
        Label { text: qsTr("Use") }
        ComboBox {
            objectName: "deviceChoice"
            Layout.fillWidth: true
            model: [qsTr("Automatic (the fastest kind)")].concat(root.session.deviceNames)
            currentIndex: {
                const names = root.session.deviceNames
                for (let i = 0; i < names.length; ++i)
                    if (root.settings.preferredDevice.length > 0 && names[i].startsWith(root.settings.preferredDevice))
                        return i + 1
                return 0
            }
            Accessible.name: qsTr("Vulkan device to use; applies when a model is next loaded")
            // The name without its " (kind)" suffix is what the engine matches on.
            onActivated: i => root.settings.preferredDevice = i === 0 ? "" : root.session.deviceNames[i - 1].replace(/ \([^)]*\)$/, "")
        }
    }
}
