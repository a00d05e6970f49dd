# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
#
# facet_qml_feature(<target> <URI> [QML_FILES ...] [SOURCES ...] [LIBS ...])
# One app feature: a static library and its QML module (plugin <target>plugin) under
# qml/<URI as path>, linked to Qt Quick and facet_app_core (STYLE.md §1).
function(facet_qml_feature target uri)
  cmake_parse_arguments(F "" "" "QML_FILES;SOURCES;LIBS" ${ARGN})
  string(REPLACE "." "/" path ${uri})
  qt_add_library(${target} STATIC)
  qt_add_qml_module(${target}
    URI ${uri}
    VERSION 1.0
    OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/qml/${path}
    QML_FILES ${F_QML_FILES}
    SOURCES ${F_SOURCES})
  target_link_libraries(${target} PRIVATE Qt6::Quick facet_app_core ${F_LIBS})
  facet_warnings(${target})
endfunction()
