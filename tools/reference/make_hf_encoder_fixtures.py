#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""The tiny encoders of make_vision_fixtures ("ondevice", seed 100) and
make_audio_encoder_fixtures (seed 400) as a Hugging Face Gemma 4 folder stores them:
model.safetensors with transformers' own state-dict names under model.vision_tower.,
model.embed_vision., model.audio_tower. and model.embed_audio. (per_dim_scale before
softplus, the patch projection as a linear, the depthwise kernel as [C, 1, K], clip
bounds as 0-d tensors), and the config.json keys the encoders read. Same weights as the
mmproj fixtures, so the same expected soft tokens apply. Writes
tests/data/vision/hf-encoders/{config.json, model.safetensors}.

    .venv/bin/python tools/reference/make_hf_encoder_fixtures.py [OUT]
"""
import json
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_audio_encoder_fixtures as audio  # noqa: E402
import make_vision_fixtures as vision  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/vision/hf-encoders"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    vcfg, venc, vembed = vision.make("ondevice", 100)
    acfg, aenc, aembed = audio.make(400)
    tensors = {}
    for prefix, module in (("model.vision_tower.", venc), ("model.embed_vision.", vembed),
                           ("model.audio_tower.", aenc), ("model.embed_audio.", aembed)):
        for name, t in module.state_dict().items():
            tensors[prefix + name] = np.ascontiguousarray(t.detach().float().numpy())
    save_file(tensors, str(OUT / "model.safetensors"))
    config = {
        "architectures": ["Gemma4ForConditionalGeneration"], "model_type": "gemma4",
        "vision_config": {"model_type": "gemma4_vision", "hidden_size": vcfg.hidden_size,
                          "num_hidden_layers": vcfg.num_hidden_layers, "num_attention_heads": vcfg.num_attention_heads,
                          "pooling_kernel_size": vcfg.pooling_kernel_size, "use_clipped_linears": True},
        "audio_config": {"model_type": "gemma4_audio", "hidden_size": acfg.hidden_size,
                         "num_hidden_layers": acfg.num_hidden_layers, "num_attention_heads": acfg.num_attention_heads},
        "text_config": {"hidden_size": vision.TEXT_HIDDEN},
    }
    (OUT / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    print(f"{len(tensors)} tensors in {OUT}/model.safetensors")


if __name__ == "__main__":
    main()
