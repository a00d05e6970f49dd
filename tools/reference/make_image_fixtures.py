#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Test images and what transformers' Gemma 4 image processor (PIL backend, the one
transformers uses without torchvision) makes of them at all five budgets.

Writes tests/data/vision/images/* (small synthetic pictures in several formats, shapes
and pixel modes) and tests/data/vision/preprocess.jsonl: per image and budget the patch
grid, soft-token count, and a sha256 of the real patches' pixel values as 8-bit
integers (pixel_values * 255, which the /255 rescale makes exact), plus their mean.
Images are loaded with transformers.image_utils.load_image (EXIF orientation applied).

    .venv/bin/python tools/reference/make_image_fixtures.py
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from transformers.image_utils import load_image
from transformers.models.gemma4.image_processing_pil_gemma4 import Gemma4ImageProcessorPil

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/vision"
BUDGETS = (70, 140, 280, 560, 1120)
rng = np.random.default_rng(7)


def picture(w, h, noise=8):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 127 + 100 * np.sin(x / 7.0) * np.cos(y / 11.0)
    rgb = np.stack([r, g, b], -1) + rng.normal(0, noise, (h, w, 3))
    return np.clip(rgb, 0, 255).astype(np.uint8)


def make_images():
    d = OUT / "images"
    d.mkdir(parents=True, exist_ok=True)
    Image.fromarray(picture(64, 64)).save(d / "tiny-64x64.png")
    Image.fromarray(picture(48, 48)).save(d / "cell-48x48.png")
    Image.fromarray(picture(300, 200)).save(d / "wide-300x200.png")
    rgba = np.dstack([picture(200, 300), rng.integers(0, 256, (300, 200), dtype=np.uint8)])
    Image.fromarray(rgba, "RGBA").save(d / "alpha-200x300.png")
    Image.fromarray(picture(1000, 40)).save(d / "strip-1000x40.png")
    Image.fromarray(picture(40, 1000)).save(d / "column-40x1000.png")
    Image.fromarray(picture(2000, 100, noise=0)).save(d / "banner-2000x100.png")
    Image.fromarray(picture(2000, 1500, noise=0)).save(d / "huge-2000x1500.png")
    Image.fromarray(picture(777, 333)).convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(d / "palette-777x333.png")
    Image.fromarray(picture(500, 500)).convert("L").save(d / "grey-500x500.png")
    Image.fromarray(picture(123, 77)).save(d / "bitmap-123x77.bmp")
    Image.fromarray(picture(90, 60)).convert("P", palette=Image.Palette.ADAPTIVE, colors=32).save(d / "anim-90x60.gif")
    exif = Image.Exif()
    exif[274] = 6  # rotated: shown 300 wide, 400 tall
    Image.fromarray(picture(400, 300, noise=0)).save(d / "rotated-exif6-400x300.jpg", quality=95, exif=exif)
    Image.fromarray(picture(320, 240, noise=0)).save(d / "photo-320x240.webp", quality=90)
    bad = OUT / "bad"
    bad.mkdir(exist_ok=True)
    Image.fromarray(np.full((1, 100000, 3), 200, np.uint8)).save(bad / "sliver-100000x1.png")
    png = (d / "wide-300x200.png").read_bytes()
    (bad / "truncated.png").write_bytes(png[:3000])
    (bad / "not-an-image.png").write_bytes(b"this is not a picture\n")
    return sorted(p for p in d.iterdir() if p.is_file())


def main():
    images = make_images()
    with open(OUT / "preprocess.jsonl", "w") as f:
        for path in images:
            image = load_image(str(path))
            for budget in BUDGETS:
                proc = Gemma4ImageProcessorPil(max_soft_tokens=budget)
                out = proc(images=[image], return_tensors="np")
                n = int(out["num_soft_tokens_per_image"][0])
                pos = out["image_position_ids"][0]
                real = pos[:, 0] >= 0
                patches = out["pixel_values"][0][real]
                cols, rows = int(pos[real, 0].max()) + 1, int(pos[real, 1].max()) + 1
                u8 = np.rint(patches.astype(np.float64) * 255).astype(np.uint8)
                f.write(json.dumps({"image": path.name, "budget": budget, "rows": rows, "cols": cols, "soft_tokens": n,
                                    "sha256": hashlib.sha256(u8.tobytes()).hexdigest(),
                                    "mean": float(u8.astype(np.float64).mean()),
                                    "shown": [image.height, image.width]}) + "\n")
    print(f"{len(images)} images x {len(BUDGETS)} budgets written to {OUT}")


if __name__ == "__main__":
    main()
