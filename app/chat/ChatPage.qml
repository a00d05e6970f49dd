// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style

// The conversation being read: its messages, or a word on what to do first.
Rectangle {
    id: root

    required property EngineSession session
    property alias model: messages.model

    color: Colors.window

    ListView {
        id: messages
        objectName: "messageList"
        anchors.fill: parent
        anchors.margins: Spacing.large
        spacing: Spacing.medium
        clip: true
        Accessible.name: qsTr("Messages")
        Accessible.role: Accessible.List

        delegate: Rectangle {
            id: bubble
            required property string author
            required property string text
            width: ListView.view.width
            height: body.implicitHeight + 2 * Spacing.medium
            radius: Spacing.radius
            color: author === "user" ? Colors.selection : Colors.surface
            border.color: Colors.border

            Label {
                id: body
                anchors.fill: parent
                anchors.margins: Spacing.medium
                text: bubble.text
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                color: Colors.text
                Accessible.name: bubble.text
            }
        }
    }

    Label {
        objectName: "chatPlaceholder"
        anchors.centerIn: parent
        width: Math.min(parent.width - 4 * Spacing.large, 480)
        visible: messages.count === 0
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        color: Colors.textMuted
        font.pixelSize: Type.title
        text: root.session.modelLoaded
              ? qsTr("Ask anything, or drop an image here.")
              : qsTr("Choose a Gemma 4 model file in Settings to start chatting.")
    }
}
