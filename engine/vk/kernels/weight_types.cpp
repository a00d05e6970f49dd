// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/weight_types.h"

#include <array>

namespace facet::vk::kernels {
namespace {

using G = GgmlType;
using S = ShaderId;

const std::array kKernels = {
    WeightTypeKernels{G::F32, S::matvec_f32, S::moe_matmul_f32, S::gather_f32, std::nullopt, S::matvec_f32_texels},
    WeightTypeKernels{G::F16, S::matvec_f16, S::moe_matmul_f16, S::gather_f16, std::nullopt, S::matvec_f16_texels},
    WeightTypeKernels{G::BF16, S::matvec_bf16, S::moe_matmul_bf16, S::gather_bf16, std::nullopt, S::matvec_bf16_texels},
    WeightTypeKernels{G::Q4_0, S::matvec_q4_0, S::moe_matmul_q4_0, S::gather_q4_0, S::dequant_q4_0, S::matvec_q4_0_texels, S::moe_matmul_q4_0_texels, S::matvec_q4_0_texels_gated},
    WeightTypeKernels{G::Q4_1, S::matvec_q4_1, S::moe_matmul_q4_1, S::gather_q4_1, S::dequant_q4_1},
    WeightTypeKernels{G::Q5_0, S::matvec_q5_0, S::moe_matmul_q5_0, S::gather_q5_0, S::dequant_q5_0, S::matvec_q5_0_texels, S::moe_matmul_q5_0_texels, S::matvec_q5_0_texels_gated},
    WeightTypeKernels{G::Q5_1, S::matvec_q5_1, S::moe_matmul_q5_1, S::gather_q5_1, S::dequant_q5_1},
    WeightTypeKernels{G::Q8_0, S::matvec_q8_0, S::moe_matmul_q8_0, S::gather_q8_0, S::dequant_q8_0, S::matvec_q8_0_texels, S::moe_matmul_q8_0_texels, S::matvec_q8_0_texels_gated},
    WeightTypeKernels{G::Q4_K, S::matvec_q4_k, S::moe_matmul_q4_k, S::gather_q4_k, S::dequant_q4_k, S::matvec_q4_k_texels, S::moe_matmul_q4_k_texels, S::matvec_q4_k_texels_gated},
    WeightTypeKernels{G::Q5_K, S::matvec_q5_k, S::moe_matmul_q5_k, S::gather_q5_k, S::dequant_q5_k, S::matvec_q5_k_texels, S::moe_matmul_q5_k_texels, S::matvec_q5_k_texels_gated},
    WeightTypeKernels{G::Q6_K, S::matvec_q6_k, S::moe_matmul_q6_k, S::gather_q6_k, S::dequant_q6_k, S::matvec_q6_k_texels, S::moe_matmul_q6_k_texels, S::matvec_q6_k_texels_gated},
    WeightTypeKernels{G::IQ4_NL, S::matvec_iq4_nl, S::moe_matmul_iq4_nl, S::gather_iq4_nl, S::dequant_iq4_nl},
    WeightTypeKernels{G::IQ4_XS, S::matvec_iq4_xs, S::moe_matmul_iq4_xs, S::gather_iq4_xs, S::dequant_iq4_xs},
    WeightTypeKernels{G::MXFP4, S::matvec_mxfp4, S::moe_matmul_mxfp4, S::gather_mxfp4, S::dequant_mxfp4},
};

} // namespace

const WeightTypeKernels* weightTypeKernels(GgmlType type)
{
    for (const auto& k : kKernels) {
        if (k.type == type)
            return &k;
    }
    return nullptr;
}

std::string supportedWeightTypes()
{
    std::string s;
    for (const auto& k : kKernels)
        s += (s.empty() ? "" : ", ") + std::string(ggmlTypeTraits(k.type).name);
    return s;
}

} // namespace facet::vk::kernels
