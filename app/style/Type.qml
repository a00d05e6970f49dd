// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
pragma Singleton
import QtQuick

QtObject {
    readonly property int body: 14
    readonly property int small: 12
    readonly property int title: 18
    readonly property string monospace: "DejaVu Sans Mono"
}
