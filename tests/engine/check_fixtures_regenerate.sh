#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
# Runs every fixture script into a scratch folder and compares with tests/data: byte for
# byte, except torch's f32 numbers, which move in the last bits with the instruction set
# its kernels pick (tools/reference/compare_fixtures.py says how far they may).
set -euo pipefail
root=$1
py="$root/.venv/bin/python"
if [ ! -x "$py" ]; then
  echo "The test-tool venv is missing; run tools/dev.sh test, which creates it." >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$root/tools/reference/make_gguf_fixtures.py" "$tmp/gguf"
"$py" "$root/tools/reference/make_safetensors_fixtures.py" "$tmp/safetensors"
"$py" "$root/tools/reference/make_text_fixtures.py" "$tmp/text" > /dev/null
"$py" "$root/tools/reference/make_quant_fixtures.py" "$tmp/quant"
"$py" "$root/tools/reference/make_image_fixtures.py" "$tmp/vision" > /dev/null
"$py" "$root/tools/reference/make_vision_fixtures.py" "$tmp/vision/encoder" > /dev/null
"$py" "$root/tools/reference/make_multimodal_fixtures.py" "$tmp/vision/multimodal" > /dev/null
"$py" "$root/tools/reference/make_hf_encoder_fixtures.py" "$tmp/vision/hf-encoders" > /dev/null
"$py" "$root/tools/reference/make_audio_fixtures.py" "$tmp/audio" > /dev/null
"$py" "$root/tools/reference/make_audio_encoder_fixtures.py" "$tmp/audio/encoder" > /dev/null
"$py" "$root/tools/reference/make_audio_multimodal_fixtures.py" "$tmp/audio/multimodal" > /dev/null
# llama.cpp's logits are the other oracle's output, checked by llamacpp_text_fixtures.
for f in "$root"/tests/data/text/*/llamacpp_logits*.f32; do
  cp "$f" "$tmp/text/$(basename "$(dirname "$f")")/"
done
status=0
for d in gguf safetensors text quant vision audio; do
  if ! "$py" "$root/tools/reference/compare_fixtures.py" "$tmp/$d" "$root/tests/data/$d"; then
    echo "tests/data/$d differs from what tools/reference writes; rerun the scripts and commit." >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "fixtures: gguf, safetensors, text, quant, vision and audio regenerate"
exit $status
