#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Test clips and transformers' Gemma 4 log-mel features of them.

Writes tests/data/audio/*.wav (synthetic: a tone, a chirp, vowel-like harmonics with an
envelope, noise, silence, a clip whose length is not a multiple of 128, 16 kHz mono
16-bit) plus one 44.1 kHz stereo clip for the decoder, and for each 16 kHz clip the
features of Gemma4AudioFeatureExtractor (defaults, samples read as int16 / 32768) as
<name>.mel.f32 [frames, 128] with the valid-frame mask in mel.json.

    .venv/bin/python tools/reference/make_audio_fixtures.py [OUT]
"""
import json
import sys
import wave
from pathlib import Path

import numpy as np
from transformers.models.gemma4.feature_extraction_gemma4 import Gemma4AudioFeatureExtractor

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/audio"
SR = 16000
rng = np.random.default_rng(11)


def write(path, samples, rate=SR, channels=1):
    pcm = np.clip(np.rint(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def clips():
    t = lambda s: np.arange(int(s * SR)) / SR  # noqa: E731
    tt = t(1.5)
    vowel = sum(np.sin(2 * np.pi * 140 * k * tt) / k for k in range(1, 12)) * np.sin(np.pi * tt / 1.5) ** 2 * 0.3
    return {
        "tone-440hz": 0.5 * np.sin(2 * np.pi * 440 * t(1.0)),
        "chirp": 0.4 * np.sin(2 * np.pi * (100 + 1500 * t(2.3)) * t(2.3)),
        "vowels": vowel,
        "noise": 0.2 * rng.standard_normal(int(0.7 * SR)),
        "silence": np.zeros(int(0.5 * SR)),
        "odd-length": 0.3 * np.sin(2 * np.pi * 1000 * t(0.31))[:4801],
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    fe = Gemma4AudioFeatureExtractor()
    meta = {}
    for name, x in clips().items():
        write(OUT / f"{name}.wav", x)
        with wave.open(str(OUT / f"{name}.wav")) as w:
            samples = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768.0
        feats = fe([samples], return_tensors="np")
        mel = feats["input_features"][0].astype("<f4")
        mel.tofile(OUT / f"{name}.mel.f32")
        meta[name] = {"samples": int(samples.size), "frames": int(mel.shape[0]),
                      "valid": [int(v) for v in feats["input_features_mask"][0]]}
    # For the decoder: 44.1 kHz stereo, both channels at full scale in phase.
    tt = np.arange(int(1.2 * 44100)) / 44100
    left = 0.99 * np.sin(2 * np.pi * 330 * tt)
    write(OUT / "stereo-44k.wav", np.stack([left, left], -1).reshape(-1), rate=44100, channels=2)
    (OUT / "mel.json").write_text(json.dumps(meta) + "\n")
    print(f"{len(meta)} clips written to {OUT}")


if __name__ == "__main__":
    main()
