// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet.Core
import Facet.Composer
import Facet.Style

// Where the user writes and drops pictures. Emits sendRequested with the text and the
// images ({path, budget} maps) and stopRequested while a reply streams; what happens
// next is the chat's business.
Rectangle {
    id: root

    required property EngineSession session
    property int imageBudget: 280
    property string pasteFolder: ""
    signal sendRequested(string text, var images)
    signal stopRequested()

    function focusInput() { input.forceActiveFocus() }

    readonly property alias controller: controller
    readonly property string ocrPrompt: qsTr("Extract all the text in this image, exactly as written.")

    implicitHeight: column.implicitHeight + 2 * Spacing.medium
    color: Colors.surface
    border.color: Colors.border

    ComposerController {
        id: controller
        session: root.session
        text: input.text
    }

    DropArea {
        id: drop
        objectName: "composerDropArea"
        anchors.fill: parent
        keys: ["text/uri-list"]
        onDropped: event => {
            for (const url of event.urls)
                controller.addImage(url.toString(), root.imageBudget)
            event.acceptProposedAction()
        }
    }
    Rectangle {
        anchors.fill: parent
        visible: drop.containsDrag
        color: "transparent"
        border.color: Colors.accent
        border.width: 2
    }

    FileDialog {
        id: picker
        title: qsTr("Attach images")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)")]
        onAccepted: {
            for (const url of selectedFiles)
                controller.addImage(url.toString(), root.imageBudget)
        }
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Spacing.medium
        spacing: Spacing.small

    Flow {
        Layout.fillWidth: true
        spacing: Spacing.small
        visible: controller.images.length > 0
        Repeater {
            model: controller.images
            delegate: Rectangle {
                id: chip
                required property int index
                required property var modelData
                objectName: "imageChip" + index
                width: chipRow.implicitWidth + 2 * Spacing.small
                height: chipRow.implicitHeight + 2 * Spacing.small
                radius: Spacing.radius
                color: Colors.window
                border.color: chip.activeFocus ? Colors.accent : Colors.border
                activeFocusOnTab: true
                Accessible.role: Accessible.Grouping
                Accessible.name: qsTr("Attached image %1").arg(modelData.name)
                Keys.onPressed: event => {
                    if (event.key === Qt.Key_Backspace || event.key === Qt.Key_Delete) {
                        controller.removeImage(index)
                        event.accepted = true
                    }
                }
                RowLayout {
                    id: chipRow
                    anchors.centerIn: parent
                    spacing: Spacing.small
                    Image {
                        source: "file://" + chip.modelData.path
                        sourceSize.height: 48
                        Layout.preferredHeight: 48
                        Layout.preferredWidth: 48
                        fillMode: Image.PreserveAspectFit
                        asynchronous: true
                    }
                    ComboBox {
                        objectName: "budgetBox" + chip.index
                        model: controller.budgets
                        currentIndex: controller.budgets.indexOf(chip.modelData.budget)
                        displayText: controller.budgetLabel(chip.index, chip.modelData.budget)
                        implicitContentWidthPolicy: ComboBox.WidestTextWhenCompleted
                        Accessible.name: qsTr("Image detail in soft tokens")
                        delegate: ItemDelegate {
                            required property int index
                            required property var modelData
                            width: ListView.view.width
                            text: controller.budgetLabel(chip.index, modelData)
                        }
                        onActivated: i => controller.setImageBudget(chip.index, controller.budgets[i])
                    }
                    Button {
                        flat: true
                        text: qsTr("Extract text")
                        enabled: root.session.modelLoaded && !root.session.generating && !root.session.loading
                        Accessible.name: qsTr("Send this image and ask for its text")
                        onClicked: {
                            const image = controller.images[chip.index]
                            controller.removeImage(chip.index)
                            root.sendRequested(root.ocrPrompt, [image])
                        }
                    }
                    ToolButton {
                        text: "✕"
                        Accessible.name: qsTr("Remove %1").arg(chip.modelData.name)
                        onClicked: controller.removeImage(chip.index)
                    }
                }
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.Wrap
        color: Colors.warning
        font.pixelSize: Type.small
        text: controller.imageError.length > 0 ? controller.imageError
            : controller.images.length > 0 && root.session.modelLoaded && !root.session.vision
              ? (root.session.visionError.length > 0 ? root.session.visionError
                 : qsTr("This model cannot see images: choose a Gemma 4 model with its projector (mmproj) file in Settings."))
              : ""
    }

    RowLayout {
        id: layout
        Layout.fillWidth: true
        spacing: Spacing.medium

        ToolButton {
            objectName: "attachButton"
            text: qsTr("Image…")
            Accessible.name: qsTr("Attach images")
            onClicked: picker.open()
        }

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
                // Ctrl+V with a picture on the clipboard attaches it; text pastes as usual.
                Keys.onPressed: event => {
                    if (event.matches(StandardKey.Paste) && controller.pasteImage(root.pasteFolder, root.imageBudget))
                        event.accepted = true
                }
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
                if (!controller.canSend)
                    return
                const images = controller.takeImages()
                const text = controller.takeText()
                input.clear()
                root.sendRequested(text, images)
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
}
