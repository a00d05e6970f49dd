// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Writes one position's K and V ([kvHeads, hd] f32 each) into slot `slot` of a layer's
// cache, laid out [capacity, kvHeads * hd]. KV_F16: the cache holds f16 (packed pairs).
#version 450
#extension GL_EXT_shader_16bit_storage : enable
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : enable

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer K { float k[]; };
layout(std430, binding = 1) readonly buffer V { float v[]; };
#if defined(KV_F16)
layout(std430, binding = 2) buffer KC { float16_t kc[]; };
layout(std430, binding = 3) buffer VC { float16_t vc[]; };
#else
layout(std430, binding = 2) buffer KC { float kc[]; };
layout(std430, binding = 3) buffer VC { float vc[]; };
#endif

// C++: facet::vk::kernels::KvStorePush
layout(push_constant) uniform Push {
    uint width; // kvHeads * hd
    uint slot;
} p;

void main()
{
    const uint i = gl_GlobalInvocationID.x;
    if (i >= p.width)
        return;
#if defined(KV_F16)
    kc[p.slot * p.width + i] = float16_t(k[i]);
    vc[p.slot * p.width + i] = float16_t(v[i]);
#else
    kc[p.slot * p.width + i] = k[i];
    vc[p.slot * p.width + i] = v[i];
#endif
}
