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
}
