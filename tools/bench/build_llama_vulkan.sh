#!/bin/bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
#
# Builds llama.cpp's llama-bench with its Vulkan backend, the second peer of compare.py
# (--llama-vulkan-bench). A local tool: nothing here is committed or needed by the
# product or the tests.
#
# llama.cpp's Vulkan backend needs Vulkan-Hpp headers newer than Debian 12's 1.3.239, and
# neither apt nor PyPI has them. Give it checkouts of KhronosGroup/Vulkan-Headers (the C
# headers and registry/vk.xml) and KhronosGroup/Vulkan-Hpp (its generator; where the large
# generated vulkan_structs.hpp is missing from a copy, the generator writes it again from
# vk.xml). The llama.cpp sources are those of the llama-cpp-python sdist that
# tools/reference/requirements.txt pins, so both peers are the same llama.cpp.
#
#   tools/bench/build_llama_vulkan.sh VULKAN_HEADERS_DIR VULKAN_HPP_DIR [WORK_DIR]
#   -> WORK_DIR/build/bin/llama-bench (WORK_DIR defaults to /tmp/llama-vulkan)
set -euo pipefail
headers=$(realpath "$1")
hpp=$(realpath "$2")
work=${3:-/tmp/llama-vulkan}
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^llama-cpp-python==//p' "$root/tools/reference/requirements.txt")

apt-get install -y glslc spirv-headers libtinyxml2-dev >/dev/null
mkdir -p "$work"
cd "$work"

# Vulkan-Hpp's C++ headers for this vk.xml, beside the C headers.
g++ -std=c++20 -O1 -DBASE_PATH="\"$work/hpp\"" -DVK_SPEC="\"$headers/registry/vk.xml\"" \
    "$hpp"/generator/VulkanHppGenerator.cpp "$hpp"/generator/VkXMLParser.cpp "$hpp"/generator/DependencyParser.cpp \
    -ltinyxml2 -o hpp-generator
rm -rf hpp include && mkdir -p hpp/vulkan hpp/generator include
cp -r "$hpp"/generator/snippets hpp/generator/
./hpp-generator >generator.log 2>&1 || { cat generator.log; exit 1; }
cp -r "$headers"/include/* include/
cp hpp/vulkan/*.hpp include/vulkan/

"$root/.venv/bin/pip" download "llama-cpp-python==$version" --no-binary llama-cpp-python --no-deps -d . >/dev/null
tar xzf "llama_cpp_python-$version.tar.gz"
cmake -S "llama_cpp_python-$version/vendor/llama.cpp" -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_VULKAN=ON \
      -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
      -DLLAMA_BUILD_SERVER=OFF -DVulkan_INCLUDE_DIR="$work/include" -DCMAKE_CXX_FLAGS="-I$work/include" \
      -DCMAKE_C_FLAGS="-I$work/include" >/dev/null
cmake --build build -j2 --target llama-bench
echo "$work/build/bin/llama-bench"
