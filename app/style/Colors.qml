// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
pragma Singleton
import QtQuick

// Colour tokens. Stateless, so a singleton is fine here (STYLE.md §2).
QtObject {
    readonly property color window: "#f6f7f9"
    readonly property color sidebar: "#eceef2"
    readonly property color surface: "#ffffff"
    readonly property color border: "#d5d9e0"
    readonly property color text: "#1d2330"
    readonly property color textMuted: "#5b6474"
    readonly property color accent: "#3a63d8"
    readonly property color accentText: "#ffffff"
    readonly property color warning: "#a5461b"
    readonly property color selection: "#dde5fb"
}
