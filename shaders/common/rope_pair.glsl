// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Rotate-half (NeoX) RoPE of one pair (x0, x1) = (x[j], x[j + hd/2]) at position pos:
// angle pos * positionScale * theta^(-2j/hd), in f32 as transformers computes it
// (inv_freq = 1 / theta^(2j/hd)). Pairs from rotPairs on are left alone (Gemma 4's
// proportional RoPE on global layers rotates only the first quarter; the exponent keeps
// the full hd). rope.comp and attention_inputs.comp share it, so Q and K rotate alike.
void ropePair(inout float x0, inout float x1, uint j, uint pos, uint hd, uint rotPairs, float theta, float positionScale)
{
    if (j >= rotPairs)
        return;
    const float invFreq = 1.0 / pow(theta, float(2 * j) / float(hd));
    const float angle = float(pos) * positionScale * invFreq;
    const float c = cos(angle);
    const float s = sin(angle);
    const float y0 = x0 * c - x1 * s;
    x1 = x1 * c + x0 * s;
    x0 = y0;
}
