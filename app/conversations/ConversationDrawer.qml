// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Conversations
import Facet.Style

// The sidebar: "New chat", search, and the conversations (rename, delete with undo).
Rectangle {
    id: root

    required property ConversationListModel model
    property var currentId: 0
    signal openRequested(var conversationId)
    signal newChatRequested()

    function focusSearch() { search.forceActiveFocus() }

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
            onClicked: root.newChatRequested()
        }
        TextField {
            id: search
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search (Ctrl+F)")
            Accessible.name: qsTr("Search conversations")
            onTextChanged: root.model.search = text
            Keys.onEscapePressed: text = ""
            Keys.onDownPressed: list.forceActiveFocus()
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 2
            model: root.model
            currentIndex: root.model.indexOf(root.currentId)
            keyNavigationEnabled: true
            activeFocusOnTab: true
            Accessible.name: qsTr("Conversations")
            Accessible.role: Accessible.List
            Keys.onReturnPressed: if (currentItem) root.openRequested(currentItem.conversationId)
            Keys.onDeletePressed: if (currentItem) root.model.remove(currentItem.conversationId)
            Keys.onPressed: event => {
                if (event.key === Qt.Key_F2 && currentItem) {
                    currentItem.renaming = true
                    event.accepted = true
                }
            }

            delegate: ItemDelegate {
                id: row
                required property int index
                required property var conversationId
                required property string title
                property bool renaming: false
                width: ListView.view.width
                text: renaming ? "" : title
                highlighted: ListView.isCurrentItem
                Accessible.name: title
                onClicked: root.openRequested(conversationId)
                onDoubleClicked: renaming = true

                TextField {
                    anchors.fill: parent
                    visible: row.renaming
                    text: row.title
                    Accessible.name: qsTr("New title")
                    onVisibleChanged: if (visible) { forceActiveFocus(); selectAll() }
                    onAccepted: { root.model.rename(row.conversationId, text); row.renaming = false }
                    Keys.onEscapePressed: row.renaming = false
                    onActiveFocusChanged: if (!activeFocus) row.renaming = false
                }
                ToolButton {
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    visible: !row.renaming && (row.hovered || row.highlighted)
                    text: "✕"
                    Accessible.name: qsTr("Delete %1").arg(row.title)
                    onClicked: root.model.remove(row.conversationId)
                }
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * Spacing.large
                visible: list.count === 0
                text: search.text.length > 0 ? qsTr("No conversation matches") : qsTr("No conversations yet")
                color: Colors.textMuted
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
            }
        }

        RowLayout {
            Layout.fillWidth: true
            visible: root.model.undoTitle.length > 0
            Label {
                Layout.fillWidth: true
                text: qsTr("Deleted “%1”").arg(root.model.undoTitle)
                elide: Text.ElideRight
                color: Colors.textMuted
            }
            Button {
                objectName: "undoDeleteButton"
                text: qsTr("Undo")
                Accessible.name: qsTr("Undo the deletion")
                onClicked: root.openRequested(root.model.undoRemove())
            }
        }
    }
}
