// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Style

// The sidebar: a "New chat" button and the list of conversations.
Rectangle {
    id: root

    property alias model: list.model
    readonly property alias newChatButton: newChat

    color: Colors.sidebar

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Spacing.medium
        spacing: Spacing.medium

        Button {
            id: newChat
            objectName: "newChatButton"
            Layout.fillWidth: true
            text: qsTr("New chat")
            Accessible.name: qsTr("Start a new chat")
            onClicked: list.model.createConversation()
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 2
            currentIndex: model ? model.currentIndex : -1
            Accessible.name: qsTr("Conversations")
            Accessible.role: Accessible.List

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string title
                width: ListView.view.width
                text: title
                highlighted: ListView.isCurrentItem
                Accessible.name: title
                onClicked: list.model.currentIndex = index
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * Spacing.large
                visible: list.count === 0
                text: qsTr("No conversations yet")
                color: Colors.textMuted
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
            }
        }
    }
}
