// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet.Core
import Facet.Composer
import Facet.Style
import Facet.Voice

// Where the user writes, dictates, and drops pictures and sound files. Emits
// sendRequested with the text and the attachments ({kind, path, budget} maps) and
// stopRequested while a reply streams; what happens next is the chat's business.
// Dictated words land in the text field, to be edited and sent by the user.
Rectangle {
    id: root

    required property EngineSession session
    property int imageBudget: 280
    property string pasteFolder: ""
    property alias microphoneId: mic.deviceId
    readonly property alias voice: mic.recorder
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

    // Dictation appends to what is already written, a space apart from it.
    property bool dictationStarts: false
    Connections {
        target: root.session
        function onTranscriptText(text) {
            const join = root.dictationStarts && input.length > 0 && !/\s$/.test(input.text) && !/^\s/.test(text)
            root.dictationStarts = false
            input.insert(input.length, join ? " " + text : text)
        }
        function onTranscriptFailed(sentence) { dictationError.text = sentence }
    }
    Shortcut {
        sequence: "Ctrl+M"
        onActivated: mic.toggle()
    }

    DropArea {
        id: drop
        objectName: "composerDropArea"
        anchors.fill: parent
        keys: ["text/uri-list"]
        onDropped: event => {
            for (const url of event.urls)
                controller.addFile(url.toString(), root.imageBudget)
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
        title: qsTr("Attach images or sound")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Images and sound (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac)"),
                      qsTr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)"),
                      qsTr("Sound (*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac)")]
        onAccepted: {
            for (const url of selectedFiles)
                controller.addFile(url.toString(), root.imageBudget)
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
                readonly property bool sound: modelData.kind === "audio"
                Accessible.name: (sound ? qsTr("Attached sound %1") : qsTr("Attached image %1")).arg(modelData.name)
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
                    Label {
                        visible: chip.sound
                        text: chip.sound ? "🔊 " + chip.modelData.name + "  " + Math.floor(chip.modelData.seconds / 60) + ":"
                                           + String(Math.round(chip.modelData.seconds) % 60).padStart(2, "0") : ""
                        Accessible.name: qsTr("Length")
                    }
                    Image {
                        visible: !chip.sound
                        source: chip.sound ? "" : "file://" + chip.modelData.path
                        sourceSize.height: 48
                        Layout.preferredHeight: 48
                        Layout.preferredWidth: 48
                        fillMode: Image.PreserveAspectFit
                        asynchronous: true
                    }
                    ComboBox {
                        visible: !chip.sound
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
                        visible: !chip.sound
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
        readonly property bool hasImage: controller.images.some(a => a.kind !== "audio")
        readonly property bool hasSound: controller.images.some(a => a.kind === "audio")
        text: controller.imageError.length > 0 ? controller.imageError
            : mic.error.length > 0 ? mic.error
            : dictationError.text.length > 0 ? dictationError.text
            : hasImage && root.session.modelLoaded && !root.session.vision
              ? (root.session.visionError.length > 0 ? root.session.visionError
                 : qsTr("This model cannot see images: choose a Gemma 4 model with its projector (mmproj) file in Settings."))
            : hasSound && root.session.modelLoaded && !root.session.audio ? root.session.audioError
            : ""
    }

    // The last dictation's failure, until the next one starts.
    QtObject {
        id: dictationError
        property string text: ""
    }
    Connections {
        target: mic.recorder
        function onRecordingChanged() {
            if (mic.recorder.recording)
                dictationError.text = ""
            else
                root.dictationStarts = true
        }
    }

    RowLayout {
        id: layout
        Layout.fillWidth: true
        spacing: Spacing.medium

        ToolButton {
            objectName: "attachButton"
            text: qsTr("Attach…")
            Accessible.name: qsTr("Attach images or sound files")
            onClicked: picker.open()
        }
        MicButton {
            id: mic
            session: root.session
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
