// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The mat-vec of matvec.comp (same push block, bindings and specialisation constants)
// for the quants of a Q4_K_M model: W_Q4_K, W_Q5_K, W_Q6_K, W_Q8_0, W_Q5_0, W_Q4_0. Each lane takes a
// whole unit of a block at a time (Q4_K/Q5_K: 64 elements, two sub-blocks, read as
// three or five uvec4 loads; Q6_K: half a block, 128 elements, whose low and high bits
// come in 27 word loads, or a quarter in five texels on CPU devices; Q8_0/Q5_0/Q4_0: one
// 32-element block) and folds the block scales once per sub-block, instead of
// reading bytes per element as matvec.comp does: lavapipe is bound by the number of
// loads (toolchain-notes §3). The K-quants factor the scales out of each sub-block's
// sum, as llama.cpp does: Q4_K/Q5_K d*sc*sum(q x) - dmin*m*sum(x), Q6_K
// d*sc*(sum(q x) - 32 sum(x)), with d*sc gguf-py's product (`precise`).
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_KHR_shader_subgroup_shuffle : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_GOOGLE_include_directive : require
#if defined(TEXELS)
#extension GL_EXT_samplerless_texture_functions : require
#endif

layout(local_size_x_id = 0) in;               // = the device's subgroup size
layout(constant_id = 1) const uint ROWS_PER_GROUP = 4;
layout(constant_id = 2) const uint TOKENS_PER_GROUP = 1;
// The weights' block layout (engine/vk/kernels/block_tiles.h): 0 rows is the file's.
layout(constant_id = 3) const uint TILE_ROWS = 0;
layout(constant_id = 4) const uint TILE_BLOCKS = 1;
// Bytes per block on the device (0: the file's); Q6_K's 210 become 224 on CPU devices.
layout(constant_id = 5) const uint BLOCK_STRIDE = 0;
// GATED: the GELU product of a gated MLP applied as each output is stored, which saves
// the separate element-wise dispatch (tens of microseconds each on lavapipe; two per E2B layer).
// 1: y = gelu(g) * (W x) (the up projection, g the gate projection's output);
// 2: y = gelu(W x) * g (E2B's per-layer gate, g its per-layer input).
layout(constant_id = 6) const uint GATE = 0;
// 1: Q8_0/Q5_0/Q4_0 blocks of whole tiles lie as arrays of their fields (BlockTiles::split).
layout(constant_id = 7) const uint SPLIT = 0;

#if defined(TEXELS)
// Weights and x read as RGBA32UI texels: on a CPU device (lavapipe) a texel fetch is
// branch-free vector code, where a storage-buffer load is a loop over the lanes with a
// bounds check each (toolchain-notes §3: load instructions are the cost there).
layout(binding = 0) uniform utextureBuffer wt;
layout(binding = 1) uniform utextureBuffer xt;
#if defined(MOE)
layout(std430, binding = 2) readonly buffer Ids { uint ids[]; }; // [pairs]: each pair's expert
layout(std430, binding = 3) buffer Output { float y[]; };
#else
layout(std430, binding = 2) buffer Output { float y[]; };
#if defined(GATED)
layout(std430, binding = 3) readonly buffer Gate { float g[]; };
#endif
#endif
#define WQ4(i) texelFetch(wt, int(i))
#define X(i) uintBitsToFloat(texelFetch(xt, int(i)))
#else
#define WQ4(i) wq4[i]
#define WQ(i) wq[i]
#define X(i) x[i]
#endif

#if defined(W_Q4_K) || defined(W_Q5_K)
const uint UNIT = 64u;
#if defined(W_Q4_K)
const uint BLOCK_UVEC4 = 9u;  // 144 bytes: d, dmin, 12 scale bytes, 128 nibble bytes
const uint QS_UVEC4 = 1u;
#else
const uint BLOCK_UVEC4 = 11u; // 176 bytes: d, dmin, 12 scale bytes, 32 high-bit bytes, 128 nibble bytes
const uint QS_UVEC4 = 3u;
#endif
#if !defined(TEXELS)
layout(std430, binding = 0) readonly buffer Weights { uvec4 wq4[]; };
#endif
#elif defined(W_Q6_K)
#if defined(TEXELS)
// A quarter block on CPU devices: E2B's 1536 columns are 24 quarters, three for each of
// 8 lanes, where 12 halves kept a quarter of the lanes idle (its 262144-row LM head is
// Q6_K). A quarter is not 64 consecutive elements (xVec4).
const uint UNIT = 64u;
#else
const uint UNIT = 128u;
#endif
#if !defined(TEXELS)
layout(std430, binding = 0) readonly buffer Weights { uint wq[]; };   // 210-byte blocks, 2-byte aligned
#endif
#elif defined(W_Q8_0) || defined(W_Q5_0) || defined(W_Q4_0)
const uint UNIT = 32u;
#if defined(W_Q8_0)
const uint BLOCK_BYTES = 34u;
#elif defined(W_Q5_0)
const uint BLOCK_BYTES = 22u;
#else
const uint BLOCK_BYTES = 18u;
#endif
#if !defined(TEXELS)
layout(std430, binding = 0) readonly buffer Weights { uint wq[]; };   // 34- or 22-byte blocks, 2-byte aligned
#endif
#else
#error "define W_Q4_K, W_Q5_K, W_Q6_K, W_Q8_0, W_Q5_0 or W_Q4_0"
#endif
const uint XV = UNIT / 4u;

// Which vec4 of a row of x goes with vec4 k of unit u: the unit's own, but for Q6_K's
// quarter blocks (u % 2 = l / 16 of the block's l = 0..31 in half (u / 2) % 2), whose
// elements are four 16-element groups, 32 apart.
uint xVec4(uint u, uint k)
{
#if defined(W_Q6_K) && defined(TEXELS)
    return (u >> 2) * 64u + ((u >> 1) & 1u) * 32u + (k >> 2) * 8u + (u & 1u) * 4u + (k & 3u);
#else
    return u * XV + k;
#endif
}

#if !defined(TEXELS)
layout(std430, binding = 1) readonly buffer Input { vec4 x[]; };
layout(std430, binding = 2) buffer Output { float y[]; };
#endif

#include "common/lane_sum.glsl"

// C++: facet::vk::kernels::MatvecPush
#if defined(MOE)
// C++: facet::vk::kernels::MoeTexelPush. W: [experts in this chunk, rows, cols].
layout(push_constant) uniform Push {
    uint cols4;
    uint rows;        // rows per expert
    uint firstExpert; // first expert held by this chunk
    uint experts;     // experts held by this chunk
    uint k;           // slots per token
    uint inputPerPair; // 1: X has a row per pair, 0: a row per token
    uint xOffset;     // X's first vec4
} p;
#else
layout(push_constant) uniform Push {
    uint cols4;
    uint rows;
    uint yOffset;
    float scale;
    uint tokens;
    uint yStride;
    uint xOffset;
    uint gateOffset; // GATED: g of output (token t, row r) is g[t * gateStride + gateOffset + r]
    uint gateStride;
} p;
#endif

// The push constants the loops use, read once: lavapipe reads a push constant inside a
// loop lane by lane (a gather with a bounds check), about 8 % of a Q4_K decode row.
uint pRows, pCols4, pXOffset, pChunkRows;
#if !defined(MOE)
uint pTokens, pYStride, pYOffset, pGateOffset, pGateStride;
float pScale;
#endif
void readPush()
{
    pRows = p.rows;
    pCols4 = p.cols4;
    pXOffset = p.xOffset;
#if defined(MOE)
    pChunkRows = p.experts * p.rows;
#else
    pChunkRows = p.rows;
    pTokens = p.tokens;
    pYStride = p.yStride;
    pYOffset = p.yOffset;
    pScale = p.scale;
    pGateOffset = p.gateOffset;
    pGateStride = p.gateStride;
#endif
}

#if defined(GATED)
#include "common/gelu.glsl"
#endif

#if !defined(MOE)
// Output `row` (of all chunks) of token t, scaled, and with GATED its GELU product.
float finished(float s, uint t, uint row)
{
    const float v = s * pScale;
#if defined(GATED)
    const float other = g[t * pGateStride + pGateOffset + row];
    return GATE == 1u ? gelu_tanh(other) * v : gelu_tanh(v) * other;
#else
    return v;
#endif
}
#endif

#include "common/block_tiles.glsl"

// Where block kb of `row` lies in this chunk of W.
uint blockIndex(uint row, uint kb, uint blocksPerRow)
{
    return tiledBlock(row, kb, blocksPerRow, pChunkRows, TILE_ROWS, TILE_BLOCKS);
}

// The four elements of a word are masked where they lie, not shifted down: element j of
// q (bits 8j + shift ..) is then its value times 2^(8j + shift), exact in f32, and the
// dot products take the powers of two out of each component's sum (LOW_WEIGHT): a
// shift fewer per element, and lavapipe is bound by the instructions per element.
#if defined(W_Q4_K) || defined(W_Q4_0)
const uvec4 ELEMENT_MASK = uvec4(0xFu, 0xF00u, 0xF0000u, 0xF000000u);
#elif defined(W_Q5_K) || defined(W_Q5_0)
const uvec4 ELEMENT_MASK = uvec4(0x1Fu, 0x1F00u, 0x1F0000u, 0x1F000000u);
#elif defined(W_Q6_K)
const uvec4 ELEMENT_MASK = uvec4(0x3Fu, 0x3F00u, 0x3F0000u, 0x3F000000u);
#endif
const vec4 LOW_WEIGHT = vec4(1.0, 1.0 / 256.0, 1.0 / 65536.0, 1.0 / 16777216.0);

#if !defined(W_Q8_0)
vec4 masked(uint q, uint shift) { return vec4(uvec4(q) & (ELEMENT_MASK << shift)); }
#endif

#if defined(W_Q4_K) || defined(W_Q5_K)
// 6-bit scale (x) and min (y) of sub-block `is` from the 12 packed scale bytes s, without
// branching on `is` (lanes of one subgroup take different sub-blocks).
uvec2 scaleMin(uvec3 s, uint is)
{
    const uint sh = (is & 3u) * 8u;
    const uint a = s.x >> sh, b = s.y >> sh, c = s.z >> sh;
    const uvec2 low = uvec2(a & 63u, b & 63u);
    const uvec2 high = uvec2((c & 15u) | (((a >> 6) & 3u) << 4), ((c >> 4) & 15u) | (((b >> 6) & 3u) << 4));
    return is < 4u ? low : high;
}

#if defined(W_Q5_K)
const vec4 HIGH_WEIGHT = LOW_WEIGHT;
#else
const vec4 HIGH_WEIGHT = LOW_WEIGHT / 16.0;
#endif

#if defined(W_Q5_K)
// The five-bit values of each byte in place (byte j: element j): bits 0..3 of qs with
// bit `bit` of hb above them.
uint fiveBits(uint qs, uint hb, uint bit) { return (qs & 0x0F0F0F0Fu) | (((hb >> bit) & 0x01010101u) << 4); }
#endif

// A unit's scales: (d, dmin) and the 6-bit scale and min of its two sub-blocks.
struct UnitScales {
    vec2 dmin;
    uvec2 sm0, sm1;
};

// Unit u's 64 values before scaling (nibbles, plus Q5_K's fifth bit): v[0..7] are
// sub-block 2c, v[8..15] sub-block 2c+1 (c = u % 4), in x's order. Its texels: the
// block header h (d, dmin, the packed scales), the two quarter-blocks of nibbles it
// uses, and Q5_K's high bits.
UnitScales unitValues(uint row, uint u, out vec4 v[16])
{
    const uint blocksPerRow = pCols4 / 64u;
    const uint kb = u >> 2, c = u & 3u;
    const uint base = blockIndex(row, kb, blocksPerRow) * BLOCK_UVEC4;
    const uvec4 h = WQ4(base), qa = WQ4(base + QS_UVEC4 + 2u * c), qb = WQ4(base + QS_UVEC4 + 1u + 2u * c);
#if defined(W_Q5_K)
    const uvec4 ha = WQ4(base + 1u), hb = WQ4(base + 2u); // high bits of elements 0..15, 16..31 of each 32
#endif
    UnitScales sc;
    sc.dmin = unpackHalf2x16(h.x);
    sc.sm0 = scaleMin(h.yzw, 2u * c);
    sc.sm1 = scaleMin(h.yzw, 2u * c + 1u);
    for (uint w = 0u; w < 4u; ++w) {
#if defined(W_Q5_K)
        v[w] = masked(fiveBits(qa[w], ha[w], 2u * c), 0u);
        v[8u + w] = masked(fiveBits(qa[w] >> 4, ha[w], 2u * c + 1u), 0u);
        v[4u + w] = masked(fiveBits(qb[w], hb[w], 2u * c), 0u);
        v[12u + w] = masked(fiveBits(qb[w] >> 4, hb[w], 2u * c + 1u), 0u);
#else
        v[w] = masked(qa[w], 0u);
        v[8u + w] = masked(qa[w], 4u);
        v[4u + w] = masked(qb[w], 0u);
        v[12u + w] = masked(qb[w], 4u);
#endif
    }
    return sc;
}

// The sums of x over the unit's two 32-element halves (the min term needs only those).
vec2 halfSums(vec4 xr[XV])
{
    vec4 s0 = vec4(0.0), s1 = vec4(0.0);
    for (uint k = 0; k < 8u; ++k) {
        s0 += xr[k];
        s1 += xr[8u + k];
    }
    return vec2(s0.x + s0.y + s0.z + s0.w, s1.x + s1.y + s1.z + s1.w);
}

// sum (d*sc*q - dmin*m) x = d*sc * sum q x - dmin*m * sum x, per sub-block; xs: halfSums(xr).
float scaledDot(vec4 v[16], UnitScales sc, vec4 xr[XV], vec2 xs)
{
    vec4 lo = vec4(0.0), hi = vec4(0.0);
    [[unroll]] for (uint w = 0u; w < 8u; ++w) {
        lo = fma(v[w], xr[w], lo);
        hi = fma(v[8u + w], xr[8u + w], hi);
    }
    lo *= LOW_WEIGHT; // exact: powers of two (see masked())
    hi *= HIGH_WEIGHT;
    const float q0 = lo.x + lo.y + lo.z + lo.w, q1 = hi.x + hi.y + hi.z + hi.w;
    return sc.dmin.x * (float(sc.sm0.x) * q0 + float(sc.sm1.x) * q1) -
           sc.dmin.y * (float(sc.sm0.y) * xs.x + float(sc.sm1.y) * xs.y);
}

#else
#if defined(TEXELS)
// Little-endian words from byte offset o (even): the texels that hold them, then the
// window moved to o's word within the first texel (selects: lanes differ) and on by
// half a word where o is not a multiple of 4 (blocks are 2-byte aligned).
void words8(uint o, out uint r[8])
{
    const uint t = o >> 4, k = (o >> 2) & 3u, s = (o & 2u) * 8u;
    const uvec4 a = texelFetch(wt, int(t)), b = texelFetch(wt, int(t + 1u)), c = texelFetch(wt, int(t + 2u));
    const uint w[12] = uint[12](a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w, c.x, c.y, c.z, c.w);
    uint v[9];
    for (uint i = 0u; i < 9u; ++i)
        v[i] = k == 0u ? w[i] : k == 1u ? w[i + 1u] : k == 2u ? w[i + 2u] : w[i + 3u];
    for (uint i = 0u; i < 8u; ++i)
        r[i] = (v[i] >> s) | ((v[i + 1u] << 16) << (16u - s)); // the second term is 0 when s is 0
}

uint wordAt(uint o)
{
    const uint t = o >> 4, k = (o >> 2) & 3u, s = (o & 2u) * 8u;
    const uvec4 a = texelFetch(wt, int(t)), b = texelFetch(wt, int(t + 1u));
    const uint lo = k == 0u ? a.x : k == 1u ? a.y : k == 2u ? a.z : a.w;
    const uint hi = k == 0u ? a.y : k == 1u ? a.z : k == 2u ? a.w : b.x;
    return (lo >> s) | ((hi << 16) << (16u - s));
}
#else
// Little-endian words from byte offset o (even): blocks are 210 bytes, so every
// other one starts half-way into a word. No branch on that: lanes differ.
void words8(uint o, out uint r[8])
{
    const uint w0 = o >> 2, s = (o & 2u) * 8u; // 0 or 16
    uint prev = WQ(w0);
    for (uint i = 0u; i < 8u; ++i) {
        const uint next = WQ(w0 + i + 1u);
        r[i] = (prev >> s) | ((next << 16) << (16u - s)); // the second term is 0 when s is 0
        prev = next;
    }
}

uint wordAt(uint o)
{
    const uint s = (o & 2u) * 8u;
    return (WQ(o >> 2) >> s) | ((WQ((o >> 2) + 1u) << 16) << (16u - s));
}

#endif

#if defined(W_Q8_0) || defined(W_Q5_0) || defined(W_Q4_0)
// Block u of `row` dequantized, v[w] with x's vec4 w: unpacked once per row and used for
// every token of a prefill group.
// Texel i (16 bytes) of W, from the texel view or the storage buffer.
#if defined(TEXELS)
uvec4 fieldTexel(uint i) { return texelFetch(wt, int(i)); }
#else
uvec4 fieldTexel(uint i) { return uvec4(WQ(4u * i), WQ(4u * i + 1u), WQ(4u * i + 2u), WQ(4u * i + 3u)); }
#endif

// Where block u of `row` lies in a whole, split tile (BlockTiles::split): t, the texel of
// its tile row's scales; j, its place in that row.
void splitPlace(uint row, uint u, out uint t, out uint j)
{
    const uint c0 = u - u % TILE_BLOCKS;
    j = u - c0;
    t = blockIndex(row, c0, pCols4 / 8u) * BLOCK_BYTES / 16u;
}

// The blocks of a row that lie in whole split tiles: the first splitUnits() of it.
uint splitUnits() { return SPLIT != 0u ? pCols4 / 8u / TILE_BLOCKS * TILE_BLOCKS : 0u; }

// The f16 scale of block j of a split tile row whose scales start at texel t.
float splitScale(uint t, uint j)
{
    const uvec4 s = fieldTexel(t + j / 8u);
    const uint c = (j >> 1) & 3u;
    return unpackHalf2x16((c == 0u ? s.x : c == 1u ? s.y : c == 2u ? s.z : s.w) >> ((j & 1u) * 16u)).x;
}

// Block u of `row`, v[w] with x's vec4 w: unpacked once per row and used for every
// token of a prefill group. As for the K-quants the values stay where they lie in their
// words (masked()), and the scale and offset come out of the block's sum:
// sum d (q - o) x = d (sum q x - o sum x), with dsc[0] = d (dsc[1] unused) and xs the
// sums of x over the block's halves (groupSums). Four instructions an element where
// taking each value apart and scaling it took seven to ten (lavapipe is bound by them).
#if defined(W_Q8_0)
// A 34-byte block: f16 scale, 32 int8 values, each left in the top byte of its word
// (q * 2^24, signed, exact in f32): one scale for all.
const float OFFSET = 0.0;
const vec4 Q_WEIGHT = vec4(1.0 / 16777216.0);
void unitValues(uint row, uint u, bool whole, out vec4 v[XV], out float dsc[2])
{
    uint q[8];
    if (whole) {
        uint t, j;
        splitPlace(row, u, t, j);
        dsc[0] = splitScale(t, j);
        const uint at = t + TILE_BLOCKS / 8u + 2u * j;
        const uvec4 a = fieldTexel(at), c = fieldTexel(at + 1u);
        q = uint[8](a.x, a.y, a.z, a.w, c.x, c.y, c.z, c.w);
    } else {
        const uint b = blockIndex(row, u, pCols4 / 8u) * BLOCK_BYTES;
        dsc[0] = unpackHalf2x16(wordAt(b)).x;
        words8(b + 2u, q);
    }
    dsc[1] = dsc[0];
    for (uint w = 0u; w < 8u; ++w)
        v[w] = vec4(ivec4(uvec4(q[w] << 24, q[w] << 16, q[w] << 8, q[w]) & 0xFF000000u));
}
#elif defined(W_Q5_0)
// A 22-byte block: f16 scale, 32 high bits, 16 bytes of nibbles (low: elements 0..15,
// high: 16..31); value = d * (q - 16).
const float OFFSET = 16.0;
const vec4 Q_WEIGHT = LOW_WEIGHT;
// Bits 0..3 of h as bit 4 of bytes 0..3 (the four products land on bits 0, 8, 16, 24
// and do not overlap, so nothing carries).
uint spreadHigh(uint h) { return (((h & 15u) * 0x00204081u) & 0x01010101u) << 4; }
void unitValues(uint row, uint u, bool whole, out vec4 v[XV], out float dsc[2])
{
    uint qh, qs[4];
    if (whole) {
        uint t, j;
        splitPlace(row, u, t, j);
        dsc[0] = splitScale(t, j);
        const uvec4 h = fieldTexel(t + TILE_BLOCKS / 8u + j / 4u);
        const uint c = j & 3u;
        qh = c == 0u ? h.x : c == 1u ? h.y : c == 2u ? h.z : h.w;
        const uvec4 n = fieldTexel(t + TILE_BLOCKS / 8u + TILE_BLOCKS / 4u + j);
        qs = uint[4](n.x, n.y, n.z, n.w);
    } else {
        const uint b = blockIndex(row, u, pCols4 / 8u) * BLOCK_BYTES;
        uint r[8]; // the block's 22 bytes (and 10 of the next): one read, not one per word
        words8(b, r);
        dsc[0] = unpackHalf2x16(r[0]).x;
        qh = (r[0] >> 16) | (r[1] << 16);
        for (uint w = 0u; w < 4u; ++w)
            qs[w] = (r[1u + w] >> 16) | (r[2u + w] << 16);
    }
    dsc[1] = dsc[0];
    for (uint w = 0u; w < 4u; ++w) {
        v[w] = masked((qs[w] & 0x0F0F0F0Fu) | spreadHigh(qh >> (4u * w)), 0u);
        v[4u + w] = masked(((qs[w] >> 4) & 0x0F0F0F0Fu) | spreadHigh(qh >> (16u + 4u * w)), 0u);
    }
}
#else
// An 18-byte block: f16 scale, 16 bytes of nibbles (low: elements 0..15, high: 16..31);
// value = d * (q - 8). The high nibbles stay 4 bits up (valuesDot takes them down).
const float OFFSET = 8.0;
const vec4 Q_WEIGHT = LOW_WEIGHT;
void unitValues(uint row, uint u, bool whole, out vec4 v[XV], out float dsc[2])
{
    uint qs[4];
    if (whole) {
        uint t, j;
        splitPlace(row, u, t, j);
        dsc[0] = splitScale(t, j);
        const uvec4 n = fieldTexel(t + TILE_BLOCKS / 8u + j);
        qs = uint[4](n.x, n.y, n.z, n.w);
    } else {
        const uint b = blockIndex(row, u, pCols4 / 8u) * BLOCK_BYTES;
        uint r[8]; // the block's 18 bytes (and 14 of the next)
        words8(b, r);
        dsc[0] = unpackHalf2x16(r[0]).x;
        for (uint w = 0u; w < 4u; ++w)
            qs[w] = (r[w] >> 16) | (r[w + 1u] << 16);
    }
    dsc[1] = dsc[0];
    for (uint w = 0u; w < 4u; ++w) {
        v[w] = masked(qs[w], 0u);
        v[4u + w] = masked(qs[w], 4u);
    }
}
#endif

// The sums of x over the block's two 16-element halves (for the offset).
void groupSums(vec4 xr[XV], out float xs[2])
{
    for (uint h = 0u; h < 2u; ++h) {
        const vec4 s = xr[4u * h] + xr[4u * h + 1u] + xr[4u * h + 2u] + xr[4u * h + 3u];
        xs[h] = s.x + s.y + s.z + s.w;
    }
}

float valuesDot(vec4 v[XV], float dsc[2], vec4 xr[XV], float xs[2])
{
    vec4 lo = vec4(0.0), hi = vec4(0.0);
    [[unroll]] for (uint w = 0u; w < 4u; ++w) {
        lo = fma(v[w], xr[w], lo);
        hi = fma(v[4u + w], xr[4u + w], hi);
    }
#if defined(W_Q4_0)
    hi *= 1.0 / 16.0; // the high nibbles' extra 2^4 (exact)
#endif
    const vec4 q = (lo + hi) * Q_WEIGHT; // exact: powers of two
    return dsc[0] * ((q.x + q.y + q.z + q.w) - OFFSET * (xs[0] + xs[1]));
}

float unitDot(uint row, uint u, bool whole, vec4 xr[XV], float xs[2])
{
    vec4 v[XV];
    float dsc[2];
    unitValues(row, u, whole, v, dsc);
    return valuesDot(v, dsc, xr, xs);
}
#endif

#if defined(W_Q6_K)
// On CPU devices Q6_K blocks are padded to 224 bytes on upload (BLOCK_STRIDE), and read
// in whole texels; elsewhere the file's 210-byte blocks are realigned by words8. Padding
// alone was slower in the E2B model than the file's layout (weights from memory, rows
// read 32 pieces apart); with the tiled layout it is faster: 6144x1536 in cache about
// 1.45x, the model's Q6_K mat-vecs about 10 %.
//
// A Q6_K unit's six-bit values are put together a word (four elements) at a time and
// left where they lie (masked()). Each 16-element group is then
// d*sc * (sum q x - 32 sum x): four instructions per element instead of ten.

// Low four bits of each byte (ql >> lshift) with two bits of qh (>> hshift) above them.
uint sixBits(uint ql, uint lshift, uint qh, uint hshift)
{
    return ((ql >> lshift) & 0x0F0F0F0Fu) | (((qh >> hshift) & 0x03030303u) << 4);
}

// A half block (128 elements, h = 0, 1) has 64 ql bytes with the low 4 bits of all 128
// (byte l: elements l and l + 64, byte l + 32: l + 32 and l + 96; l = 0..31), 32 qh bytes
// with the top 2 bits (byte l: those four elements) and 8 int8 scales, one per 16. Unit
// u is the half u % 2 of block u / 2 (storage kernel) or the quarter l / 16 = u % 2 of
// half (u / 2) % 2 of block u / 4 (texel kernel, UNIT 64). v[4g + w] goes with x's vec4
// 4g + w of the unit (g: its 16-element groups), its values in place (masked());
// dsc[g]: d * scale of group g.
void unitValues(uint row, uint u, out vec4 v[XV], out float dsc[UNIT / 16u])
{
    const uint blocksPerRow = pCols4 / 64u;
    const uint N = UNIT / 16u; // words per field: 8 (half) or 4 (quarter)
    const uint kb = UNIT == 128u ? u >> 1 : u >> 2, h = UNIT == 128u ? u & 1u : (u >> 1) & 1u;
    const uint qq = UNIT == 128u ? 0u : u & 1u; // the quarter's l / 16
    uint qa[N], qb[N], qh[N], s0, s1;
    float d;
#if defined(TEXELS)
    if (BLOCK_STRIDE == 224u) {
        // The block padded to 14 texels: every field whole, four fetches a quarter and
        // nothing to realign (ql: texels 0..7, qh: 8..11, texel 12 + h: half h's eight
        // scales and d; block_tiles.cpp).
        const uint t = blockIndex(row, kb, blocksPerRow) * 14u;
        const uvec4 a = texelFetch(wt, int(t + 4u * h + qq)), b = texelFetch(wt, int(t + 4u * h + 2u + qq));
        const uvec4 hb = texelFetch(wt, int(t + 8u + 2u * h + qq)), sc = texelFetch(wt, int(t + 12u + h));
        for (uint w = 0u; w < 4u; ++w) {
            qa[w] = a[w];
            qb[w] = b[w];
            qh[w] = hb[w];
        }
        s0 = sc.x;
        s1 = sc.y;
        d = unpackHalf2x16(sc.z).x;
    } else
#endif
    {
        const uint b = blockIndex(row, kb, blocksPerRow) * (BLOCK_STRIDE == 0u ? 210u : BLOCK_STRIDE);
        uint ra[8], rb[8], rh[8];
        words8(b + h * 64u + 16u * qq, ra);
        words8(b + h * 64u + 32u + 16u * qq, rb);
        words8(b + 128u + h * 32u + 16u * qq, rh);
        for (uint w = 0u; w < N; ++w) {
            qa[w] = ra[w];
            qb[w] = rb[w];
            qh[w] = rh[w];
        }
        // Padded blocks hold each half's scales and d in a texel of their own.
        const uint halfBytes = BLOCK_STRIDE == 224u ? 16u : 8u;
        s0 = wordAt(b + 192u + h * halfBytes);
        s1 = wordAt(b + 196u + h * halfBytes);
        d = unpackHalf2x16(wordAt(b + (BLOCK_STRIDE == 224u ? 200u : 208u))).x;
    }
    // Group g's scale: byte g of s0, s1 (a half's 8), or bytes qq, qq + 2 of each (a
    // quarter's: the groups of l = 16 qq .. 16 qq + 15).
    for (uint g = 0u; g < UNIT / 32u; ++g) {
        const uint byte = UNIT == 128u ? g : qq + 2u * g;
        precise float a = d * float(int(s0 << (24u - 8u * byte)) >> 24);
        precise float c = d * float(int(s1 << (24u - 8u * byte)) >> 24);
        dsc[g] = a;
        dsc[UNIT / 32u + g] = c;
    }
    for (uint w = 0u; w < N; ++w) {
        v[w] = masked(sixBits(qa[w], 0u, qh[w], 0u), 0u);
        v[N + w] = masked(sixBits(qb[w], 0u, qh[w], 2u), 0u);
        v[2u * N + w] = masked(sixBits(qa[w], 4u, qh[w], 4u), 0u);
        v[3u * N + w] = masked(sixBits(qb[w], 4u, qh[w], 6u), 0u);
    }
}

// The sums of x over the unit's 16-element groups (for the -32 offset).
void groupSums(vec4 xr[XV], out float xs[UNIT / 16u])
{
    for (uint gk = 0u; gk < UNIT / 16u; ++gk) {
        const vec4 s = xr[4u * gk] + xr[4u * gk + 1u] + xr[4u * gk + 2u] + xr[4u * gk + 3u];
        xs[gk] = s.x + s.y + s.z + s.w;
    }
}

float valuesDot(vec4 v[XV], float dsc[UNIT / 16u], vec4 xr[XV], float xs[UNIT / 16u])
{
    float acc = 0.0;
    [[unroll]] for (uint gk = 0u; gk < UNIT / 16u; ++gk) {
        vec4 a = vec4(0.0);
        [[unroll]] for (uint w = 0u; w < 4u; ++w)
            a = fma(v[4u * gk + w], xr[4u * gk + w], a);
        a *= LOW_WEIGHT; // exact: powers of two
        acc += dsc[gk] * ((a.x + a.y + a.z + a.w) - 32.0 * xs[gk]);
    }
    return acc;
}

// `whole`: unused (no split layout for Q6_K; the 32-element types' signature).
float unitDot(uint row, uint u, bool whole, vec4 xr[XV], float xs[UNIT / 16u])
{
    vec4 v[XV];
    float dsc[UNIT / 16u];
    unitValues(row, u, v, dsc);
    return valuesDot(v, dsc, xr, xs);
}
#endif
#endif

// The unit loops of the types without K-quant sub-blocks run in two phases: units of
// whole split tiles (BlockTiles::split), then the rest. lavapipe runs both sides of a
// branch under a mask, so a branch on the layout in one loop cost both layouts' reads
// (6144x1536 Q8_0: 1.4 ms against 0.92). A loop over the phases with [[unroll]] was as
// slow (its `whole` stayed a variable), so each loop is written out twice by a macro,
// with `whole` a literal; the second runs once at most (a narrow tile).
#if defined(W_Q8_0) || defined(W_Q5_0) || defined(W_Q4_0)
const uint PHASES = 2u;
uint phaseBegin(uint phase) { return phase == 0u ? 0u : splitUnits(); }
uint phaseEnd(uint phase, uint units) { return phase == 0u ? splitUnits() : units; }
#else
const uint PHASES = 1u;
uint phaseBegin(uint phase) { return 0u; }
uint phaseEnd(uint phase, uint units) { return units; }
#endif

#if defined(MOE)
// The routed experts (CPU devices): one workgroup per group of an expert's rows and per
// (token, slot) pair, so only the chosen experts' weights are read and no workgroup is
// started for an expert nobody chose.
void main()
{
    readPush();
    const uint pair = gl_WorkGroupID.z;
    const uint e = ids[pair];
    if (e < p.firstExpert || e >= p.firstExpert + p.experts)
        return;
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    if (row0 >= pRows)
        return;
    const uint wRow0 = (e - p.firstExpert) * pRows + row0;
    const uint xBase0 = pXOffset + (p.inputPerPair != 0 ? pair : pair / p.k) * pCols4;
    float acc[ROWS_PER_GROUP];
    for (uint r = 0; r < ROWS_PER_GROUP; ++r)
        acc[r] = 0.0;
    const uint units = pCols4 * 4u / UNIT;
#if defined(W_Q4_K) || defined(W_Q5_K)
    for (uint u = gl_LocalInvocationID.x; u < units; u += gl_WorkGroupSize.x) {
        vec4 xr[XV];
        for (uint k = 0; k < XV; ++k)
            xr[k] = X(xBase0 + xVec4(u, k));
        const vec2 xs = halfSums(xr);
        for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
            if (row0 + r < pRows) {
                vec4 v[16];
                const UnitScales sc = unitValues(wRow0 + r, u, v);
                acc[r] += scaledDot(v, sc, xr, xs);
            }
        }
    }
#else
#define EXPERT_UNITS(PHASE, WHOLE)                                                                               \
    for (uint u = phaseBegin(PHASE) + gl_LocalInvocationID.x; u < phaseEnd(PHASE, units); u += gl_WorkGroupSize.x) { \
        vec4 xr[XV];                                                                                             \
        for (uint k = 0; k < XV; ++k)                                                                            \
            xr[k] = X(xBase0 + xVec4(u, k));                                                                     \
        float xs[UNIT / 16u];                                                                                    \
        groupSums(xr, xs);                                                                                       \
        for (uint r = 0; r < ROWS_PER_GROUP; ++r)                                                                \
            if (row0 + r < pRows)                                                                                \
                acc[r] += unitDot(wRow0 + r, u, WHOLE, xr, xs);                                                  \
    }
    EXPERT_UNITS(0u, PHASES == 2u)
    if (PHASES == 2u) {
        EXPERT_UNITS(1u, false)
    }
#endif
#define ROW_SUM(r) acc[r]
#define ROW_STORE(r, s) if (row0 + (r) < pRows) y[pair * pRows + row0 + (r)] = (s)
#include "common/store_row_sums.glsl"
}
#else
void main()
{
    readPush();
    // Groups past 65535 wrap into y (262144-row output heads need 65536 groups).
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    // Token groups z, z + groups.z, ...: with one group in z (CPU devices) a workgroup
    // takes all the tokens in turn while its rows' weights stay in the cache.
    for (uint t0 = gl_WorkGroupID.z * TOKENS_PER_GROUP; t0 < pTokens; t0 += gl_NumWorkGroups.z * TOKENS_PER_GROUP) {
    float acc[ROWS_PER_GROUP * TOKENS_PER_GROUP];
    for (uint k = 0; k < ROWS_PER_GROUP * TOKENS_PER_GROUP; ++k)
        acc[k] = 0.0;
    const uint units = pCols4 * 4u / UNIT;
#if defined(W_Q4_K) || defined(W_Q5_K)
    if (TOKENS_PER_GROUP > 1) {
        // Prefill: each unit's values are taken apart once and used for every token of
        // the group (x of all of them held), instead of once per token.
        for (uint u = gl_LocalInvocationID.x; u < units; u += gl_WorkGroupSize.x) {
            vec4 xtok[TOKENS_PER_GROUP][XV];
            vec2 xst[TOKENS_PER_GROUP];
            [[unroll]] for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
                const bool live = t0 + t < pTokens;
                const uint xBase = pXOffset + (live ? t0 + t : t0) * pCols4;
                [[unroll]] for (uint k = 0; k < XV; ++k)
                    xtok[t][k] = live ? X(xBase + xVec4(u, k)) : vec4(0.0);
                xst[t] = halfSums(xtok[t]);
            }
            for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
                if (row0 + r >= pRows)
                    break;
                vec4 v[16];
                const UnitScales sc = unitValues(row0 + r, u, v);
                [[unroll]] for (uint t = 0; t < TOKENS_PER_GROUP; ++t)
                    acc[r * TOKENS_PER_GROUP + t] += scaledDot(v, sc, xtok[t], xst[t]);
            }
        }
    } else {
        // Decode: row after row. Fetching every row's texels first (so their cache misses
        // overlap) paid while rows lay a row apart in memory; with tiled weights the
        // workgroup streams one contiguous band, and the plain loop's smaller code is
        // faster, most of all at 64 rows (matvec.cpp).
        for (uint u = gl_LocalInvocationID.x; u < units; u += gl_WorkGroupSize.x) {
            vec4 xr[XV];
            const uint xBase = pXOffset + t0 * pCols4;
            for (uint k = 0; k < XV; ++k)
                xr[k] = X(xBase + xVec4(u, k));
            const vec2 xs = halfSums(xr);
            for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
                if (row0 + r < pRows) {
                    vec4 v[16];
                    const UnitScales sc = unitValues(row0 + r, u, v);
                    acc[r] += scaledDot(v, sc, xr, xs);
                }
            }
        }
    }
#else
#if defined(W_Q6_K)
    if (TOKENS_PER_GROUP > 1) {
        // Prefill, as for Q4_K: each unit's values once per four tokens (x of four held:
        // a Q6_K unit is 128 elements).
        for (uint u = gl_LocalInvocationID.x; u < units; u += gl_WorkGroupSize.x) {
            for (uint tb = 0; tb < TOKENS_PER_GROUP; tb += 4u) {
                vec4 xtok[4][XV];
                float xst[4][UNIT / 16u];
                [[unroll]] for (uint t = 0; t < 4u; ++t) {
                    const bool live = t0 + tb + t < pTokens;
                    const uint xBase = pXOffset + (live ? t0 + tb + t : t0) * pCols4;
                    [[unroll]] for (uint k = 0; k < XV; ++k)
                        xtok[t][k] = live ? X(xBase + xVec4(u, k)) : vec4(0.0);
                    groupSums(xtok[t], xst[t]);
                }
                for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
                    if (row0 + r >= pRows)
                        break;
                    vec4 v[XV];
                    float dsc[UNIT / 16u];
                    unitValues(row0 + r, u, v, dsc);
                    [[unroll]] for (uint t = 0; t < 4u; ++t)
                        if (tb + t < TOKENS_PER_GROUP)
                            acc[r * TOKENS_PER_GROUP + tb + t] += valuesDot(v, dsc, xtok[t], xst[t]);
                }
            }
        }
    } else
#endif
#if defined(W_Q8_0) || defined(W_Q5_0) || defined(W_Q4_0)
    if (TOKENS_PER_GROUP > 1) {
        // Prefill, as for Q4_K: each block's values once for the group's tokens.
#define PREFILL_UNITS(PHASE, WHOLE)                                                                              \
        for (uint u = phaseBegin(PHASE) + gl_LocalInvocationID.x; u < phaseEnd(PHASE, units); u += gl_WorkGroupSize.x) { \
            vec4 xtok[TOKENS_PER_GROUP][XV];                                                                     \
            float xst[TOKENS_PER_GROUP][2];                                                                      \
            [[unroll]] for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {                                             \
                const bool live = t0 + t < pTokens;                                                              \
                const uint xBase = pXOffset + (live ? t0 + t : t0) * pCols4;                                     \
                [[unroll]] for (uint k = 0; k < XV; ++k)                                                         \
                    xtok[t][k] = live ? X(xBase + xVec4(u, k)) : vec4(0.0);                                      \
                groupSums(xtok[t], xst[t]);                                                                      \
            }                                                                                                    \
            for (uint r = 0; r < ROWS_PER_GROUP; ++r) {                                                          \
                if (row0 + r >= pRows)                                                                           \
                    break;                                                                                       \
                vec4 v[XV];                                                                                      \
                float dsc[2];                                                                                    \
                unitValues(row0 + r, u, WHOLE, v, dsc);                                                          \
                [[unroll]] for (uint t = 0; t < TOKENS_PER_GROUP; ++t)                                           \
                    acc[r * TOKENS_PER_GROUP + t] += valuesDot(v, dsc, xtok[t], xst[t]);                         \
            }                                                                                                    \
        }
        PREFILL_UNITS(0u, true)
        PREFILL_UNITS(1u, false)
    } else
#endif
    // Decode (one token: every type here has its prefill branch above).
#define DECODE_UNITS(PHASE, WHOLE)                                                                               \
    for (uint u = phaseBegin(PHASE) + gl_LocalInvocationID.x; u < phaseEnd(PHASE, units); u += gl_WorkGroupSize.x) { \
        vec4 xr[XV];                                                                                             \
        const uint xBase = pXOffset + t0 * pCols4;                                                               \
        for (uint k = 0; k < XV; ++k)                                                                            \
            xr[k] = X(xBase + xVec4(u, k));                                                                      \
        float xs[UNIT / 16u];                                                                                    \
        groupSums(xr, xs);                                                                                       \
        for (uint r = 0; r < ROWS_PER_GROUP; ++r)                                                                \
            if (row0 + r < pRows)                                                                                \
                acc[r] += unitDot(row0 + r, u, WHOLE, xr, xs);                                                   \
    }
    {
        DECODE_UNITS(0u, PHASES == 2u)
        if (PHASES == 2u) {
            DECODE_UNITS(1u, false)
        }
    }
#endif
    for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
#define ROW_SUM(r) acc[(r) * TOKENS_PER_GROUP + t]
#define ROW_STORE(r, s) if (row0 + (r) < pRows && t0 + t < pTokens) y[(t0 + t) * pYStride + pYOffset + row0 + (r)] = finished(s, t0 + t, pYOffset + row0 + (r))
#include "common/store_row_sums.glsl"
    }
    }
}
#endif
