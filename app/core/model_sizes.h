// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <QStringList>

namespace facet::app {

// The four Gemma 4 sizes users pick between, as settings keys and labels.
inline QStringList modelSizes() { return {"E2B", "E4B", "26B-A4B", "31B"}; }

} // namespace facet::app
