// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
pragma Singleton
import QtQuick

QtObject {
    readonly property int small: 4
    readonly property int medium: 8
    readonly property int large: 16
    readonly property int sidebarWidth: 260
    readonly property int radius: 6
}
