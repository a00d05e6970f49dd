#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Test clips and transformers' Gemma 4 log-mel features of them.

Writes tests/data/audio/*.wav (synthetic: a tone, a chirp, vowel-like harmonics with an
envelope, noise, silence, a clip whose length is not a multiple of 128, 16 kHz mono
16-bit), and for each the features of Gemma4AudioFeatureExtractor (defaults, samples
read as int16 / 32768) as <name>.mel.f32 [frames, 128] with the valid-frame mask in
mel.json. Three more clips exercise the decoder before the features:

- speech.wav: a sentence spoken by espeak-ng (Debian 12's 1.51, voice en, fixed
  speed and pitch; it speaks at 22.05 kHz and is brought to 16 kHz here with an exact
  FFT resampler, so the file is what the mel front end sees).
- speech.mp3, .flac, .opus (Ogg, 48 kHz) and .m4a (AAC): that clip through PyAV's
  encoders (LAME 64 kbit/s, FLAC, libopus 32 kbit/s, FFmpeg's AAC 64 kbit/s); their
  reference samples come from PyAV's decoders (and its libswresample for Opus's
  48 kHz), not ours.
- stereo-44k.wav: 44.1 kHz stereo at 0.99 of full scale, both channels in phase. The
  reference downmixes as Facet is set to (the two channels halved and summed, so it
  never clips) and resamples to 16 kHz with PyAV's libswresample at its defaults, the
  resampler Facet's FFmpeg uses. Another resampler moves the features far beyond their
  tolerance (an exact FFT resampler: samples up to 0.024 apart, log-mel up to 2.1 at
  the clip's edges), so what is checked is the decoding pipeline's configuration
  (downmix, rate, sample format) and the front end on its output.

    .venv/bin/python tools/reference/make_audio_fixtures.py [OUT]
"""
import json
import sys
import wave
from pathlib import Path

import fractions
import subprocess

import av
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


def fft_resample(x, rate_in, rate_out):
    n_out = int(round(len(x) * rate_out / rate_in))
    spectrum = np.fft.rfft(x.astype(np.float64))
    return np.fft.irfft(spectrum[: n_out // 2 + 1], n=n_out) * (n_out / len(x))


def espeak(text):
    raw = subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-p", "50", "--stdout", text],
                         check=True, capture_output=True).stdout
    data = raw.index(b"data") + 8
    x = np.frombuffer(raw[data:], "<i2").astype(np.float64) / 32768.0
    return fft_resample(x, 22050, SR)


def pyav_samples(path, downmix=False):
    """Decoded with PyAV; mono at 16 kHz through libswresample when the file is not."""
    with av.open(str(path)) as f:
        stream = f.streams.audio[0]
        scale = {"s16": 32768.0, "s16p": 32768.0, "s32": 2147483648.0, "s32p": 2147483648.0}
        chunks = [(frame.to_ndarray().astype(np.float64) / scale.get(frame.format.name, 1.0)).astype(np.float32)
                  for frame in f.decode(stream)]
    x = np.concatenate(chunks, axis=-1)  # [channels, n] (planar) or [1, n * channels] (packed)
    if x.shape[0] == 1 and stream.channels > 1:
        x = x.reshape(-1, stream.channels).T
    if downmix:
        x = x.mean(axis=0, keepdims=True, dtype=np.float32)  # 0.5 L + 0.5 R
    if stream.rate == SR:
        return x[0]
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SR)
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(x.astype(np.float32)), format="fltp", layout="mono")
    frame.sample_rate = stream.rate
    out = [r.to_ndarray() for r in resampler.resample(frame)] + [r.to_ndarray() for r in resampler.resample(None)]
    return np.concatenate(out, axis=-1).reshape(-1)


def encode(samples, path, container, codec, rate=SR, bit_rate=64000):
    """samples (16 kHz mono) through PyAV's encoder; Opus resampled to its 48 kHz first."""
    # bitexact: no random Ogg serial number, no encoder version or creation time, so
    # the files regenerate byte for byte.
    with av.open(str(path), "w", format=container, options={"fflags": "+bitexact"}) as f:
        stream = f.add_stream(codec, rate=rate, layout="mono")
        if bit_rate:
            stream.bit_rate = bit_rate
        pcm = np.clip(np.rint(samples * 32767), -32768, 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SR
        frame.pts = 0
        frame.time_base = fractions.Fraction(1, SR)
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        for chunk in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(chunk):
                f.mux(packet)
        for packet in stream.encode(None):
            f.mux(packet)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    fe = Gemma4AudioFeatureExtractor()
    meta = {}

    def record(name, samples, file, tolerance=1e-4):
        feats = fe([samples], return_tensors="np")
        mel = feats["input_features"][0].astype("<f4")
        mel.tofile(OUT / f"{name}.mel.f32")
        meta[name] = {"file": file, "tolerance": tolerance, "samples": int(samples.size), "frames": int(mel.shape[0]),
                      "valid": [int(v) for v in feats["input_features_mask"][0]]}

    def read16(path):
        with wave.open(str(path)) as w:
            return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768.0

    for name, x in clips().items():
        write(OUT / f"{name}.wav", x)
        record(name, read16(OUT / f"{name}.wav"), f"{name}.wav")
    speech = espeak("The quick brown fox reads the page aloud.")
    write(OUT / "speech.wav", speech)
    record("speech", read16(OUT / "speech.wav"), "speech.wav")
    speech16 = read16(OUT / "speech.wav")
    encode(speech16, OUT / "speech.mp3", "mp3", "libmp3lame")
    record("speech-mp3", pyav_samples(OUT / "speech.mp3"), "speech.mp3")
    encode(speech16, OUT / "speech.flac", "flac", "flac", bit_rate=0)
    record("speech-flac", pyav_samples(OUT / "speech.flac"), "speech.flac")
    encode(speech16, OUT / "speech.opus", "ogg", "libopus", rate=48000, bit_rate=32000)
    record("speech-opus", pyav_samples(OUT / "speech.opus"), "speech.opus")
    encode(speech16, OUT / "speech.m4a", "ipod", "aac", bit_rate=64000)
    # FFmpeg's AAC decoder changed between Debian 12's 5.1 and PyAV's 8.0: their
    # samples move the features by up to 2.8e-4 (measured), so this clip's tolerance is
    # 1e-3; it checks the AAC path works, the mel front end is held to 1e-4 elsewhere.
    record("speech-aac", pyav_samples(OUT / "speech.m4a"), "speech.m4a", tolerance=1e-3)
    # For the decoder: 44.1 kHz stereo, both channels at full scale in phase.
    tt = np.arange(int(1.2 * 44100)) / 44100
    left = 0.99 * np.sin(2 * np.pi * 330 * tt)
    write(OUT / "stereo-44k.wav", np.stack([left, left], -1).reshape(-1), rate=44100, channels=2)
    record("stereo-44k", pyav_samples(OUT / "stereo-44k.wav", downmix=True), "stereo-44k.wav")
    (OUT / "mel.json").write_text(json.dumps(meta) + "\n")
    print(f"{len(meta)} clips written to {OUT}")


if __name__ == "__main__":
    main()
