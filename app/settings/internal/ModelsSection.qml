// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style

// A model file for each Gemma 4 size, which size is active, and the bundled demo.
ColumnLayout {
    id: root

    required property SettingsStore settings
    required property EngineSession session

    spacing: Spacing.small

    Label {
        text: qsTr("Models")
        font.bold: true
    }

    Repeater {
        model: root.settings.sizes
        delegate: ModelFileRow {
            required property string modelData
            Layout.fillWidth: true
            settings: root.settings
            session: root.session
            size: modelData
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Spacing.medium
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Colors.textMuted
            text: qsTr("Demo: Gemma 3 270M, a small base model that comes with Facet so you can try it at once. It knows little; use a Gemma 4 file for real answers.")
        }
        Button {
            objectName: "loadDemo"
            text: root.session.demoModel ? qsTr("Loaded") : qsTr("Load demo")
            enabled: !root.session.loading && !root.session.demoModel
            Accessible.name: qsTr("Load the small demo model")
            onClicked: root.session.loadModel(root.session.demoModelPath, root.settings.contextLength)
        }
    }
}
