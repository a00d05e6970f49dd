// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Writes K and V of positions pos0 .. pos0+tokens-1 ([tokens, kvHeads * hd] f32 each)
// into a layer's cache, laid out [capacity, kvHeads * hd]; position p goes to slot
// p % capacity. KV_F16: the cache holds f16.
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
    uint pos0;
    uint tokens;
    uint capacity;
} p;

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.tokens * p.width)
        return;
    const uint t = i / p.width;
    const uint dst = ((p.pos0 + t) % p.capacity) * p.width + i % p.width;
#if defined(KV_F16)
    kc[dst] = float16_t(k[i]);
    vc[dst] = float16_t(v[i]);
#else
    kc[dst] = k[i];
    vc[dst] = v[i];
#endif
}
