// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style
import Facet.Voice

// Dictation: click (or Ctrl+M) to record, click again to stop; the words then stream
// into the composer through the session's transcriptText. While recording it shows a
// level meter and the elapsed time.
RowLayout {
    id: root

    required property EngineSession session
    property alias deviceId: recorder.deviceId
    readonly property alias recorder: recorder
    readonly property string error: recorder.error

    function toggle() {
        if (recorder.recording)
            recorder.stop()
        else
            recorder.start()
    }

    spacing: Spacing.small

    VoiceRecorder {
        id: recorder
        session: root.session
    }

    ToolButton {
        id: mic
        objectName: "micButton"
        text: recorder.recording ? "■" : "🎤"
        checkable: false
        enabled: recorder.recording || (!root.session.generating && !root.session.loading && root.session.modelLoaded)
        Accessible.name: recorder.recording ? qsTr("Stop dictation") : qsTr("Dictate with the microphone")
        ToolTip.visible: hovered
        ToolTip.text: recorder.recording ? qsTr("Stop and write what was said (Ctrl+M)") : qsTr("Dictate (Ctrl+M)")
        onClicked: root.toggle()
    }
    Rectangle {
        objectName: "levelMeter"
        visible: recorder.recording
        Layout.preferredWidth: 60
        Layout.preferredHeight: 8
        radius: 4
        color: Colors.window
        border.color: Colors.border
        Accessible.role: Accessible.ProgressBar
        Accessible.name: qsTr("Microphone level")
        Rectangle {
            width: parent.width * recorder.level
            height: parent.height
            radius: 4
            color: Colors.accent
        }
    }
    Label {
        objectName: "recordingTime"
        visible: recorder.recording
        font.pixelSize: Type.small
        text: Math.floor(recorder.elapsedMs / 60000) + ":" + String(Math.floor(recorder.elapsedMs / 1000) % 60).padStart(2, "0")
        Accessible.name: qsTr("Recorded time")
    }
    Label {
        objectName: "transcribingLabel"
        visible: root.session.transcribing
        font.pixelSize: Type.small
        color: Colors.textMuted
        text: qsTr("Writing down…")
    }
}
