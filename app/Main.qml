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
// settings in a drawer, status on top. Lays out named parts and wires them.
ApplicationWindow {
    id: root

    required property SettingsStore settings
    required property EngineSession session
    required property ConversationStore store

    width: 1280
    height: 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: root.session.modelLoaded ? qsTr("Facet — %1").arg(root.session.modelName) : qsTr("Facet")
    color: Colors.window

    ConversationListModel {
        id: conversations
        store: root.store
        onRemoved: id => { if (id === chat.conversationId) chat.open(0) }
    }
    ChatController {
        id: chat
        session: root.session
        store: root.store
        settings: root.settings
    }
    // Coming back: the most recent conversation is where the user left it.
    Component.onCompleted: {
        if (conversations.count > 0)
            chat.open(conversations.data(conversations.index(0, 0), ConversationListModel.IdRole))
    }

    function statusText() {
        if (!root.session.deviceReady)
            return root.session.deviceError.length > 0 ? root.session.deviceError : qsTr("Looking for a device…")
        let parts = [root.session.deviceName]
        if (root.session.loading)
            parts.push(qsTr("loading %1 %").arg(Math.round(root.session.loadProgress * 100)))
        else if (root.session.modelLoaded)
            parts.push(root.session.modelName + (root.session.demoModel ? qsTr(" (small demo model)") : ""))
        if (root.session.tokensPerSecond > 0)
            parts.push(qsTr("%1 tokens/s, first token %2 ms").arg(root.session.tokensPerSecond.toFixed(1)).arg(Math.round(root.session.firstTokenMs)))
        if (root.session.modelLoaded)
            parts.push(qsTr("context %1 / %2").arg(root.session.contextUsed).arg(root.session.contextLength))
        return parts.join("  ·  ")
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
                text: root.statusText()
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
            id: sidebar
            objectName: "conversationDrawer"
            Layout.preferredWidth: Spacing.sidebarWidth
            Layout.fillHeight: true
            model: conversations
            currentId: chat.conversationId
            onOpenRequested: id => { chat.open(id); composer.focusInput() }
            onNewChatRequested: { chat.open(0); composer.focusInput() }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            Rectangle {
                objectName: "loadBanner"
                Layout.fillWidth: true
                visible: root.session.loading || root.session.loadError.length > 0
                implicitHeight: banner.implicitHeight + 2 * Spacing.medium
                color: Colors.surface
                border.color: Colors.border
                RowLayout {
                    id: banner
                    anchors.fill: parent
                    anchors.margins: Spacing.medium
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: root.session.loading ? Colors.text : Colors.warning
                        text: root.session.loading ? qsTr("Loading the model…") : root.session.loadError
                    }
                    ProgressBar {
                        visible: root.session.loading
                        value: root.session.loadProgress
                        Accessible.name: qsTr("Loading progress")
                    }
                    Button {
                        visible: root.session.loading
                        text: qsTr("Cancel")
                        Accessible.name: qsTr("Cancel loading")
                        onClicked: root.session.cancelLoad()
                    }
                }
            }
            ChatPage {
                objectName: "chatPage"
                Layout.fillWidth: true
                Layout.fillHeight: true
                session: root.session
                controller: chat
            }
            Composer {
                id: composer
                objectName: "composer"
                Layout.fillWidth: true
                session: root.session
                imageBudget: root.settings.imageBudget
                pasteFolder: root.store.attachmentFolder
                microphoneId: root.settings.microphone
                onSendRequested: (text, images) => chat.send(text, images)
                onStopRequested: chat.stop()
            }
        }
    }

    Drawer {
        id: settingsDrawer
        objectName: "settingsDrawer"
        edge: Qt.RightEdge
        width: Math.min(680, root.width * 0.85)
        height: root.height

        SettingsPage {
            anchors.fill: parent
            settings: root.settings
            session: root.session
        }
    }

    // The active size is switched live: the old model leaves, the new one loads.
    Connections {
        target: root.settings
        function onActiveSizeChanged() {
            const path = root.settings.modelPath(root.settings.activeSize)
            if (path.length > 0 && path !== root.session.modelPath)
                root.session.loadModel(path, root.settings.contextLength, root.settings.mmprojPath(root.settings.activeSize))
        }
    }

    Connections {
        target: root.settings
        function onPreferredDeviceChanged() { root.session.probeDevices(root.settings.preferredDevice) }
    }

    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDrawer.open()
    }
    Shortcut {
        sequence: StandardKey.New
        onActivated: { chat.open(0); composer.focusInput() }
    }
    Shortcut {
        sequence: StandardKey.Find
        onActivated: sidebar.focusSearch()
    }
    Shortcut {
        sequence: "Esc"
        enabled: root.session.generating
        onActivated: chat.stop()
    }
}
