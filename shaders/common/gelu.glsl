// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as PyTorch's gelu(approximate="tanh").
// One definition for elementwise.comp's GELU product and the mat-vecs that apply it as
// they store (matvec_kquant.comp GATED), so both give the same bits.
float gelu_tanh(float x)
{
    const float c = 0.7978845608028654;
    const float u = c * (x + 0.044715 * x * x * x);
    return 0.5 * x * (1.0 + tanh(u));
}
