// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet.Core
import Facet.Style

// Sampling and context. An empty field means "the model file's own value"
// (general.sampling.*), which is what Gemma's publishers recommend.
GridLayout {
    id: root

    required property SettingsStore settings

    columns: 2
    columnSpacing: Spacing.medium
    rowSpacing: Spacing.small

    component NumberField: TextField {
        id: field
        property string key
        property bool whole: false
        property real minimum: 0
        property real maximum: 1e9
        Layout.fillWidth: true
        placeholderText: qsTr("from the model file")
        text: root.settings[key] < 0 ? "" : String(root.settings[key])
        validator: whole ? intValidator : realValidator
        IntValidator { id: intValidator; bottom: field.minimum; top: field.maximum }
        DoubleValidator { id: realValidator; bottom: field.minimum; top: field.maximum; notation: DoubleValidator.StandardNotation }
        onEditingFinished: root.settings[key] = text.length === 0 ? -1 : Number(text)
    }

    Label {
        Layout.columnSpan: 2
        text: qsTr("Generation")
        font.bold: true
    }
    Label { text: qsTr("Temperature") }
    NumberField { key: "temperature"; maximum: 5; Accessible.name: qsTr("Temperature") }
    Label { text: qsTr("Top-k") }
    NumberField { key: "topK"; whole: true; minimum: 1; maximum: 256; Accessible.name: qsTr("Top-k") }
    Label { text: qsTr("Top-p") }
    NumberField { key: "topP"; maximum: 1; Accessible.name: qsTr("Top-p") }
    Label { text: qsTr("Min-p") }
    NumberField { key: "minP"; maximum: 0.99; Accessible.name: qsTr("Min-p") }
    Label { text: qsTr("Repeat penalty") }
    NumberField { key: "repeatPenalty"; minimum: 0.01; maximum: 5; Accessible.name: qsTr("Repeat penalty") }
    Label { text: qsTr("Seed") }
    NumberField { key: "seed"; whole: true; maximum: 2147483647; placeholderText: qsTr("new each reply"); Accessible.name: qsTr("Seed") }
    Label { text: qsTr("Max tokens per reply") }
    NumberField { key: "maxTokens"; whole: true; minimum: 1; maximum: 1048576; placeholderText: "1024"; Accessible.name: qsTr("Max tokens per reply") }
    Label { text: qsTr("Context length (tokens)") }
    NumberField { key: "contextLength"; whole: true; minimum: 256; maximum: 262144; placeholderText: "8192"; Accessible.name: qsTr("Context length; applies when a model is next loaded") }
    Label { text: qsTr("Image detail for new images") }
    ComboBox {
        objectName: "defaultImageBudget"
        Layout.fillWidth: true
        model: [70, 140, 280, 560, 1120]
        currentIndex: model.indexOf(root.settings.imageBudget)
        displayText: qsTr("%1 soft tokens").arg(currentValue)
        Accessible.name: qsTr("Soft tokens a newly attached image may use")
        onActivated: i => root.settings.imageBudget = model[i]
    }
    Button {
        Layout.columnSpan: 2
        text: qsTr("Use the model file's sampling values")
        Accessible.name: text
        onClicked: root.settings.resetSampling()
    }
}
