// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Composer
import Facet.Style

// Where the user writes. Emits sendRequested with the text and stopRequested while a
// reply streams; what happens next is the chat's business.
Rectangle {
    id: root

    required property EngineSession session
    signal sendRequested(string text)
    signal stopRequested()

    function focusInput() { input.forceActiveFocus() }

    implicitHeight: layout.implicitHeight + 2 * Spacing.medium
    color: Colors.surface
    border.color: Colors.border

    ComposerController {
        id: controller
        session: root.session
        text: input.text
    }

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Spacing.medium
        spacing: Spacing.medium

        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(input.implicitHeight, 160)

            TextArea {
                id: input
                objectName: "composerInput"
                placeholderText: qsTr("Message Gemma…") + "  (" + controller.hint + ")"
                wrapMode: TextEdit.Wrap
                font.pixelSize: Type.body
                focus: true
                Accessible.name: qsTr("Message")
                Accessible.description: controller.hint
                function sendOnEnter(event) {
                    if (event.modifiers & Qt.ShiftModifier) {
                        event.accepted = false
                        return
                    }
                    if (sendButton.enabled)
                        sendButton.clicked()
                }
                Keys.onReturnPressed: event => sendOnEnter(event)
                Keys.onEnterPressed: event => sendOnEnter(event)
            }
        }

        Button {
            id: sendButton
            objectName: "sendButton"
            visible: !root.session.generating
            text: qsTr("Send")
            enabled: controller.canSend
            Accessible.name: qsTr("Send message")
            onClicked: {
                const text = controller.takeText()
                if (text.length > 0) {
                    input.clear()
                    root.sendRequested(text)
                }
            }
        }
        Button {
            objectName: "stopButton"
            visible: root.session.generating
            text: qsTr("Stop")
            Accessible.name: qsTr("Stop the reply")
            onClicked: root.stopRequested()
        }
    }
}
