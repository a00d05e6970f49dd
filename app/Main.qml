// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style
import Facet.Chat
import Facet.Composer
import Facet.Conversations
import Facet.Settings

// The main window: conversations on the left, the chat and composer on the right,
// settings in a drawer. Only lays out named parts.
ApplicationWindow {
    id: root

    required property SettingsStore settings
    required property EngineSession session

    width: 1280
    height: 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: qsTr("Facet")
    color: Colors.window

    ConversationListModel {
        id: conversations
    }
    MessageListModel {
        id: messages
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Spacing.medium
            anchors.rightMargin: Spacing.medium

            Label {
                text: qsTr("Facet")
                font.pixelSize: Type.title
                font.bold: true
            }
            Label {
                objectName: "statusLine"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignRight
                elide: Text.ElideRight
                color: Colors.textMuted
                text: root.session.deviceReady ? root.session.deviceName
                    : root.session.deviceError.length > 0 ? root.session.deviceError : qsTr("Looking for a device…")
                Accessible.name: qsTr("Status: ") + text
            }
            ToolButton {
                objectName: "settingsButton"
                text: qsTr("Settings")
                Accessible.name: qsTr("Open settings")
                onClicked: settingsDrawer.open()
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationDrawer {
            objectName: "conversationDrawer"
            Layout.preferredWidth: Spacing.sidebarWidth
            Layout.fillHeight: true
            model: conversations
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ChatPage {
                objectName: "chatPage"
                Layout.fillWidth: true
                Layout.fillHeight: true
                session: root.session
                model: messages
            }
            Composer {
                objectName: "composer"
                Layout.fillWidth: true
                session: root.session
                onSendRequested: text => messages.append("user", text)
            }
        }
    }

    Drawer {
        id: settingsDrawer
        objectName: "settingsDrawer"
        edge: Qt.RightEdge
        width: Math.min(640, root.width * 0.8)
        height: root.height

        SettingsPage {
            anchors.fill: parent
            settings: root.settings
            session: root.session
        }
    }

    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDrawer.open()
    }
    Shortcut {
        sequence: StandardKey.New
        onActivated: conversations.createConversation()
    }
}
