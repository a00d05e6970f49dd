// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style
import Facet.Voice

// Which microphone dictation records from. The list is read when the user opens it:
// until then the sound system is left alone.
ColumnLayout {
    id: root

    required property SettingsStore settings

    spacing: Spacing.small

    VoiceRecorder { id: probe }

    Label {
        text: qsTr("Microphone")
        font.bold: true
    }
    property bool probed: false
    Label {
        Layout.fillWidth: true
        visible: root.probed && probe.devices.length === 0
        wrapMode: Text.Wrap
        color: Colors.warning
        text: qsTr("No microphone was found: connect one, or check the system's sound settings.")
    }
    ComboBox {
        objectName: "microphoneChoice"
        Layout.fillWidth: true
        model: root.probed ? [qsTr("The system's default")].concat(probe.devices.map(d => d.name))
                           : [qsTr("The system's default"), qsTr("The microphone chosen before")].slice(0, root.settings.microphone.length > 0 ? 2 : 1)
        currentIndex: {
            if (!root.probed)
                return root.settings.microphone.length > 0 ? 1 : 0
            for (let i = 0; i < probe.devices.length; ++i)
                if (probe.devices[i].id === root.settings.microphone)
                    return i + 1
            return 0
        }
        popup.onAboutToShow: {
            if (!root.probed) {
                probe.refreshDevices()
                root.probed = true
            }
        }
        Accessible.name: qsTr("Microphone for dictation")
        onActivated: i => { if (root.probed) root.settings.microphone = i === 0 ? "" : probe.devices[i - 1].id }
    }
}
