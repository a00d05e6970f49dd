// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Reading a row-major weight matrix at binding 0 in its file's storage type, four
// elements at a time: weights4(row, i4, cols4) = W[row, 4*i4 .. 4*i4+3] as f32.
// One define picks the type: W_F16, W_BF16, W_Q4_0, W_Q4_1, W_Q5_0, W_Q5_1, W_Q8_0,
// W_Q4_K, W_Q5_K, W_Q6_K, W_IQ4_NL, W_IQ4_XS, W_MXFP4; none means f32.
//
// Block layouts: shared/spec/gguf-gemma4.md §2. Arithmetic follows gguf-py's
// dequantize step for step (scales folded first, each product rounded on its own), and
// `precise` keeps the compiler from fusing a multiply-add, so values match it bit for bit.

#if defined(W_Q4_0)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 18u
#elif defined(W_Q4_1)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 20u
#elif defined(W_Q5_0)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 22u
#elif defined(W_Q5_1)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 24u
#elif defined(W_Q8_0)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 34u
#elif defined(W_Q4_K)
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 144u
#elif defined(W_Q5_K)
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 176u
#elif defined(W_Q6_K)
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 210u
#elif defined(W_IQ4_NL)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 18u
#elif defined(W_IQ4_XS)
#define BLOCK_ELEMS 256u
#define BLOCK_BYTES 136u
#elif defined(W_MXFP4)
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 17u
#endif

#if defined(BLOCK_ELEMS)
layout(std430, binding = 0) readonly buffer Weights { uint wq[]; }; // blocks, any byte alignment

uint byteAt(uint off) { return (wq[off >> 2] >> ((off & 3u) * 8u)) & 0xFFu; }
float halfAt(uint off) { return unpackHalf2x16(byteAt(off) | (byteAt(off + 1u) << 8)).x; }
int sbyteAt(uint off) { return int(byteAt(off) << 24) >> 24; }
// Low nibbles of 16 bytes are elements 0..15, high nibbles 16..31 (Q4_0 order).
uint nibble32(uint qs, uint j) { return j < 16u ? byteAt(qs + j) & 15u : byteAt(qs + j - 16u) >> 4; }

float mulExact(float a, float b) { precise float r = a * b; return r; }
float mulAddExact(float a, float b, float c) { precise float p = a * b; precise float r = p + c; return r; }
float mulSubExact(float a, float b, float c) { precise float p = a * b; precise float r = p - c; return r; }

// The 16-entry value tables as signed bytes in four words, entry i at byte i:
// IQ4_NL -127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113;
// MXFP4 0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12. Indexing a const
// int[16] with a runtime value took lavapipe's LLVM about a minute per pipeline
// (IQ4_NL mat-vec, cold pipeline cache); a word and a byte shift compile in a second.
const uvec4 KVALUES_IQ4NL = uvec4(0xBFAD9881u, 0xF6EADDCFu, 0x26190D01u, 0x71594535u);
const uvec4 KVALUES_MXFP4 = uvec4(0x03020100u, 0x0C080604u, 0xFDFEFF00u, 0xF4F8FAFCu);
int tableValue(uvec4 table, uint i) { return int(table[i >> 2u] << (24u - 8u * (i & 3u))) >> 24; }

#if defined(W_Q4_0) || defined(W_Q5_0) || defined(W_Q8_0)
// Byte offsets of a block's fields: its f16 scale, Q5_0's high bits, its quants; a
// block of the file's layout holds them in that order, a split tile row
// (BlockTiles::split) as arrays.
#define BLOCK_FIELDS
#if defined(W_Q5_0)
const uint QH_BYTES = 4u;
#else
const uint QH_BYTES = 0u;
#endif
struct BlockPlace {
    uint d, qh, qs;
};
BlockPlace filePlace(uint b) { return BlockPlace(b, b + 2u, b + 2u + QH_BYTES); }
#endif

#if defined(W_Q6_K)
// Padded blocks (224 bytes, the includer's block stride) keep each half's scales and d
// in a texel of their own (engine/vk/kernels/block_tiles.cpp).
#if defined(WEIGHT_TILES)
bool paddedQ6K() { return WEIGHT_TILES.w == 224u; }
#else
bool paddedQ6K() { return false; }
#endif
#endif

// K-quant 6-bit scale and min of sub-block `is` from the 12 packed bytes at `s`.
uvec2 scaleMinK4(uint s, uint is)
{
    if (is < 4u)
        return uvec2(byteAt(s + is) & 63u, byteAt(s + is + 4u) & 63u);
    return uvec2((byteAt(s + is + 4u) & 15u) | ((byteAt(s + is - 4u) >> 6) << 4),
                 (byteAt(s + is + 4u) >> 4) | ((byteAt(s + is) >> 6) << 4));
}

// Element j of the block starting at byte b (Q4_0, Q5_0, Q8_0: whose fields lie at f).
#if defined(BLOCK_FIELDS)
float dequantElement(BlockPlace f, uint j)
#else
float dequantElement(uint b, uint j)
#endif
{
#if defined(W_Q4_0)
    return mulExact(halfAt(f.d), float(int(nibble32(f.qs, j)) - 8));
#elif defined(W_Q4_1)
    return mulAddExact(halfAt(b), float(nibble32(b + 4u, j)), halfAt(b + 2u));
#elif defined(W_Q5_0)
    const uint h = (byteAt(f.qh + j / 8u) >> (j % 8u)) & 1u;
    return mulExact(halfAt(f.d), float(int(nibble32(f.qs, j) | (h << 4)) - 16));
#elif defined(W_Q5_1)
    const uint h = (byteAt(b + 4u + j / 8u) >> (j % 8u)) & 1u;
    return mulAddExact(halfAt(b), float(nibble32(b + 8u, j) | (h << 4)), halfAt(b + 2u));
#elif defined(W_Q8_0)
    return mulExact(float(sbyteAt(f.qs + j)), halfAt(f.d));
#elif defined(W_Q4_K) || defined(W_Q5_K)
    const uint c = j / 64u, l = j % 64u;
    const uint is = 2u * c + (l >= 32u ? 1u : 0u);
    const uint lo = l % 32u;
#if defined(W_Q4_K)
    const uint qs = b + 16u + c * 32u;
    uint q = l < 32u ? byteAt(qs + lo) & 15u : byteAt(qs + lo) >> 4;
#else
    const uint qs = b + 48u + c * 32u;
    uint q = l < 32u ? byteAt(qs + lo) & 15u : byteAt(qs + lo) >> 4;
    q |= ((byteAt(b + 16u + lo) >> is) & 1u) << 4;
#endif
    const uvec2 sm = scaleMinK4(b + 4u, is);
    const float dsc = mulExact(halfAt(b), float(sm.x));
    const float dm = mulExact(halfAt(b + 2u), float(sm.y));
    return mulSubExact(dsc, float(q), dm);
#elif defined(W_Q6_K)
    const uint h = j / 128u, jj = j % 128u, g = jj / 32u, l = jj % 32u;
    const uint ql = byteAt(b + h * 64u + (g & 1u) * 32u + l);
    const uint low = g < 2u ? ql & 15u : ql >> 4;
    const uint high = (byteAt(b + 128u + h * 32u + l) >> (2u * g)) & 3u;
    // Padded: scales 8..15 at 208, d at 200.
    const bool padded = paddedQ6K();
    const uint s = j / 16u, sOff = padded && s >= 8u ? 200u : 192u;
    const float dsc = mulExact(halfAt(b + (padded ? 200u : 208u)), float(sbyteAt(b + sOff + s)));
    return mulExact(dsc, float(int(low | (high << 4)) - 32));
#elif defined(W_IQ4_NL)
    return mulExact(halfAt(b), float(tableValue(KVALUES_IQ4NL, nibble32(b + 2u, j))));
#elif defined(W_IQ4_XS)
    const uint ib = j / 32u, jl = j % 32u;
    const uint scalesH = byteAt(b + 2u) | (byteAt(b + 3u) << 8);
    const uint ls = ((byteAt(b + 4u + ib / 2u) >> (4u * (ib % 2u))) & 15u) | (((scalesH >> (2u * ib)) & 3u) << 4);
    const float dl = mulExact(halfAt(b), float(int(ls) - 32));
    return mulExact(dl, float(tableValue(KVALUES_IQ4NL, nibble32(b + 8u + ib * 16u, jl))));
#elif defined(W_MXFP4)
    const uint e = byteAt(b);
    const float d = e < 2u ? uintBitsToFloat(0x00200000u << e) : uintBitsToFloat((e - 1u) << 23);
    return mulExact(d, float(tableValue(KVALUES_MXFP4, nibble32(b + 1u, j))));
#endif
}

#if defined(WEIGHT_TILES)
#include "common/block_tiles.glsl"
#endif

vec4 weights4(uint row, uint i4, uint cols4)
{
    const uint j = i4 * 4u;
#if defined(WEIGHT_TILES)
    // The includer's uvec4(rows of this chunk, tile rows, tile blocks, block stride): the
    // blocks may be tiled and padded (engine/vk/kernels/block_tiles.h); WEIGHT_SPLIT
    // nonzero: whole tiles' rows hold their fields as arrays.
    const uvec4 tiles = WEIGHT_TILES;
    const uint kb = j / BLOCK_ELEMS, blocksPerRow = cols4 * 4u / BLOCK_ELEMS;
    const uint b = tiledBlock(row, kb, blocksPerRow, tiles.x, tiles.y, tiles.z) * (tiles.w == 0u ? BLOCK_BYTES : tiles.w);
#if defined(BLOCK_FIELDS)
    const uint c0 = kb - kb % tiles.z, n = tiles.z, at = kb - c0;
    BlockPlace f = filePlace(b);
    if (WEIGHT_SPLIT != 0u && tiles.y != 0u && c0 + n <= blocksPerRow) {
        const uint s = tiledBlock(row, c0, blocksPerRow, tiles.x, tiles.y, tiles.z) * BLOCK_BYTES;
        f = BlockPlace(s + 2u * at, s + 2u * n + QH_BYTES * at, s + (2u + QH_BYTES) * n + (BLOCK_BYTES - 2u - QH_BYTES) * at);
    }
#endif
#else
    const uint rowBytes = cols4 * 4u / BLOCK_ELEMS * BLOCK_BYTES;
    const uint b = row * rowBytes + (j / BLOCK_ELEMS) * BLOCK_BYTES;
#if defined(BLOCK_FIELDS)
    const BlockPlace f = filePlace(b);
#endif
#endif
    const uint k = j % BLOCK_ELEMS;
#if defined(BLOCK_FIELDS)
    return vec4(dequantElement(f, k), dequantElement(f, k + 1u), dequantElement(f, k + 2u), dequantElement(f, k + 3u));
#else
    return vec4(dequantElement(b, k), dequantElement(b, k + 1u), dequantElement(b, k + 2u), dequantElement(b, k + 3u));
#endif
}

#elif defined(W_F16) || defined(W_BF16)
layout(std430, binding = 0) readonly buffer Weights { uvec2 w[]; }; // 4 elements per uvec2

vec4 weights4(uint row, uint i4, uint cols4)
{
    const uvec2 u = w[row * cols4 + i4];
#if defined(W_F16)
    return vec4(unpackHalf2x16(u.x), unpackHalf2x16(u.y));
#else
    return vec4(uintBitsToFloat(u.x << 16), uintBitsToFloat(u.x & 0xFFFF0000u),
                uintBitsToFloat(u.y << 16), uintBitsToFloat(u.y & 0xFFFF0000u));
#endif
}

#else
layout(std430, binding = 0) readonly buffer Weights { vec4 w[]; };

vec4 weights4(uint row, uint i4, uint cols4) { return w[row * cols4 + i4]; }
#endif
