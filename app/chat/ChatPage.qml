// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Chat
import Facet.Style

// The conversation being read: its messages (Markdown, thinking folded away, copy,
// edit, regenerate), or a word on what to do first.
Rectangle {
    id: root

    required property EngineSession session
    required property ChatController controller

    color: Colors.window

    // QML has no clipboard API; a hidden text field copies for us.
    TextEdit {
        id: clipboard
        visible: false
        function copy(text) {
            clipboard.text = text
            clipboard.selectAll()
            clipboard.copy()
        }
    }

    function codeBlocks(markdown) {
        const blocks = []
        const fence = /```[^\n]*\n([\s\S]*?)```/g
        let m
        while ((m = fence.exec(markdown)) !== null)
            blocks.push(m[1])
        return blocks.join("\n")
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Spacing.large
        spacing: Spacing.small

        RowLayout {
            Layout.fillWidth: true
            spacing: Spacing.medium
            TextField {
                id: systemPrompt
                objectName: "systemPromptField"
                Layout.fillWidth: true
                placeholderText: qsTr("System prompt for this conversation (optional)")
                text: root.controller.systemPrompt
                Accessible.name: qsTr("System prompt")
                onEditingFinished: root.controller.systemPrompt = text
            }
            Switch {
                objectName: "thinkingSwitch"
                text: qsTr("Thinking")
                checked: root.controller.thinking
                Accessible.name: qsTr("Let the model think before it answers")
                onToggled: root.controller.thinking = checked
            }
        }

        ListView {
            id: messages
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: root.controller.messages
            spacing: Spacing.medium
            clip: true
            Accessible.name: qsTr("Messages")
            Accessible.role: Accessible.List
            onCountChanged: positionViewAtEnd()
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: bubble
                required property int index
                required property string author
                required property string text
                required property string thinking
                required property bool streaming
                required property string details
                required property var images
                required property var audio
                property bool showThinking: false
                property bool editing: false

                width: ListView.view.width
                height: column.implicitHeight + 2 * Spacing.medium
                radius: Spacing.radius
                color: author === "user" ? Colors.selection : Colors.surface
                border.color: Colors.border
                onTextChanged: if (streaming) messages.positionViewAtEnd()

                ColumnLayout {
                    id: column
                    anchors.fill: parent
                    anchors.margins: Spacing.medium
                    spacing: Spacing.small

                    Label {
                        text: bubble.author === "user" ? qsTr("You") : qsTr("Gemma")
                        font.bold: true
                        color: Colors.textMuted
                    }
                    Flow {
                        Layout.fillWidth: true
                        visible: bubble.images.length > 0
                        spacing: Spacing.small
                        Repeater {
                            model: bubble.images
                            delegate: Image {
                                required property string modelData
                                source: modelData
                                sourceSize.height: 160
                                height: 160
                                fillMode: Image.PreserveAspectFit
                                asynchronous: true
                                Accessible.role: Accessible.Graphic
                                Accessible.name: qsTr("Attached image")
                            }
                        }
                    }
                    Repeater {
                        model: bubble.audio
                        delegate: Label {
                            required property string modelData
                            text: "🔊 " + modelData
                            color: Colors.textMuted
                            Accessible.name: qsTr("Attached sound %1").arg(modelData)
                        }
                    }
                    Button {
                        visible: bubble.thinking.length > 0
                        flat: true
                        text: (bubble.showThinking ? "▾ " : "▸ ") + (bubble.streaming && bubble.text.length === 0 ? qsTr("Thinking…") : qsTr("Thoughts"))
                        Accessible.name: bubble.showThinking ? qsTr("Hide the model's thoughts") : qsTr("Show the model's thoughts")
                        onClicked: bubble.showThinking = !bubble.showThinking
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: bubble.showThinking && bubble.thinking.length > 0
                        text: bubble.thinking
                        wrapMode: Text.Wrap
                        color: Colors.textMuted
                        font.italic: true
                        Accessible.name: qsTr("Thoughts: ") + bubble.thinking
                    }
                    TextEdit {
                        Layout.fillWidth: true
                        visible: !bubble.editing
                        readOnly: true
                        selectByMouse: true
                        wrapMode: TextEdit.Wrap
                        // Replies are Markdown (code blocks in monospace); what the user typed is shown as typed.
                        textFormat: bubble.author === "model" ? TextEdit.MarkdownText : TextEdit.PlainText
                        text: bubble.text.length > 0 || !bubble.streaming ? bubble.text : "…"
                        color: Colors.text
                        font.pixelSize: Type.body
                        Accessible.role: Accessible.StaticText
                        Accessible.name: bubble.text
                    }
                    TextArea {
                        id: editor
                        Layout.fillWidth: true
                        visible: bubble.editing
                        wrapMode: TextEdit.Wrap
                        Accessible.name: qsTr("Edit your message")
                    }
                    RowLayout {
                        spacing: Spacing.small
                        visible: !bubble.streaming
                        Button {
                            flat: true
                            visible: !bubble.editing
                            text: qsTr("Copy")
                            Accessible.name: qsTr("Copy this message")
                            onClicked: clipboard.copy(bubble.text)
                        }
                        Button {
                            flat: true
                            visible: bubble.author === "model" && root.codeBlocks(bubble.text).length > 0
                            text: qsTr("Copy code")
                            Accessible.name: qsTr("Copy the code in this reply")
                            onClicked: clipboard.copy(root.codeBlocks(bubble.text))
                        }
                        Button {
                            flat: true
                            visible: bubble.author === "model" && bubble.index === messages.count - 1
                            enabled: !root.session.generating && root.session.modelLoaded
                            text: qsTr("Regenerate")
                            Accessible.name: qsTr("Write this reply again")
                            onClicked: root.controller.regenerate()
                        }
                        Button {
                            flat: true
                            visible: bubble.author === "user" && !bubble.editing
                            enabled: !root.session.generating && root.session.modelLoaded
                            text: qsTr("Edit")
                            Accessible.name: qsTr("Edit this message and continue from it")
                            onClicked: {
                                editor.text = bubble.text
                                bubble.editing = true
                                editor.forceActiveFocus()
                            }
                        }
                        Button {
                            visible: bubble.editing
                            text: qsTr("Send edit")
                            Accessible.name: qsTr("Send the edited message")
                            onClicked: {
                                bubble.editing = false
                                root.controller.edit(bubble.index, editor.text)
                            }
                        }
                        Button {
                            flat: true
                            visible: bubble.editing
                            text: qsTr("Cancel")
                            Accessible.name: qsTr("Cancel the edit")
                            onClicked: bubble.editing = false
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: bubble.details.length > 0
                        text: bubble.details
                        elide: Text.ElideRight
                        font.pixelSize: Type.small
                        color: Colors.textMuted
                    }
                }
            }
        }

        Label {
            objectName: "chatError"
            Layout.fillWidth: true
            visible: root.controller.error.length > 0
            text: root.controller.error
            wrapMode: Text.Wrap
            color: Colors.warning
        }
    }

    Label {
        objectName: "chatPlaceholder"
        anchors.centerIn: parent
        width: Math.min(parent.width - 4 * Spacing.large, 520)
        visible: messages.count === 0
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        color: Colors.textMuted
        font.pixelSize: Type.title
        text: root.session.loading ? qsTr("Loading %1…").arg(root.session.modelName.length > 0 ? root.session.modelName : qsTr("the model"))
            : !root.session.modelLoaded ? qsTr("Choose a Gemma 4 model file in Settings to start chatting.")
            : root.session.demoModel ? qsTr("You are talking to a small demo model (Gemma 3 270M), which knows little. Choose a Gemma 4 file in Settings for real answers.")
            : qsTr("Ask anything.")
    }
}
