# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
# facet_warnings(target): the warning set every Facet target compiles with.
# Targets of QML modules also compile qmlcachegen's output, which shadows names.
function(facet_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  get_target_property(uri ${target} QT_QML_MODULE_URI)
  if(NOT uri)
    target_compile_options(${target} PRIVATE -Wshadow)
  endif()
endfunction()

# facet_sanitize(target): AddressSanitizer + UndefinedBehaviorSanitizer, for the tests
# that feed hostile files to the readers.
function(facet_sanitize target)
  target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(${target} PRIVATE -fsanitize=address,undefined)
endfunction()
