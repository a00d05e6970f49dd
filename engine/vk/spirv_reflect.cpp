// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/spirv_reflect.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace facet::vk {
namespace {

// Opcodes and enums from the SPIR-V specification, section 3.
enum Op : uint32_t {
    OpTypeInt = 21, OpTypeFloat = 22, OpTypeVector = 23, OpTypeImage = 25, OpTypeArray = 28, OpTypeStruct = 30,
    OpTypePointer = 32, OpConstant = 43, OpVariable = 59, OpDecorate = 71, OpMemberDecorate = 72,
};
enum Decoration : uint32_t { SpecId = 1, ArrayStride = 6, Binding = 33, DescriptorSet = 34, Offset = 35 };
enum StorageClass : uint32_t { UniformConstant = 0, Uniform = 2, PushConstant = 9, StorageBuffer = 12 };
constexpr uint32_t kDimBuffer = 5;

struct Type {
    uint32_t op = 0;
    std::vector<uint32_t> operands;
};

} // namespace

ShaderInterface reflect(std::span<const uint32_t> words)
{
    if (words.size() < 5 || words[0] != 0x07230203u)
        throw std::runtime_error("not SPIR-V");
    std::map<uint32_t, Type> types;
    std::map<uint32_t, uint32_t> constants;
    std::map<uint32_t, uint32_t> bindings, sets, arrayStrides;
    std::map<uint32_t, std::map<uint32_t, uint32_t>> memberOffsets;
    std::vector<std::pair<uint32_t, uint32_t>> variables; // (pointer type, id) with storage class
    std::map<uint32_t, uint32_t> variableClass;
    ShaderInterface out;

    for (size_t i = 5; i < words.size();) {
        const uint32_t count = words[i] >> 16;
        const uint32_t op = words[i] & 0xFFFF;
        if (count == 0 || i + count > words.size())
            throw std::runtime_error("malformed SPIR-V");
        const auto a = words.subspan(i + 1, count - 1);
        switch (op) {
        case OpTypeInt: case OpTypeFloat: case OpTypeVector: case OpTypeImage: case OpTypeArray: case OpTypeStruct: case OpTypePointer:
            types[a[0]] = {op, std::vector<uint32_t>(a.begin() + 1, a.end())};
            break;
        case OpConstant:
            if (a.size() >= 3)
                constants[a[1]] = a[2];
            break;
        case OpVariable:
            variables.emplace_back(a[0], a[1]);
            variableClass[a[1]] = a[2];
            break;
        case OpDecorate:
            if (a[1] == Binding) bindings[a[0]] = a[2];
            else if (a[1] == DescriptorSet) sets[a[0]] = a[2];
            else if (a[1] == ArrayStride) arrayStrides[a[0]] = a[2];
            else if (a[1] == SpecId) out.specIds.push_back(a[2]);
            break;
        case OpMemberDecorate:
            if (a[2] == Offset)
                memberOffsets[a[0]][a[1]] = a[3];
            break;
        default: break;
        }
        i += count;
    }

    auto sizeOf = [&](auto&& self, uint32_t id) -> uint32_t {
        const Type& t = types.at(id);
        switch (t.op) {
        case OpTypeInt: case OpTypeFloat: return t.operands.at(0) / 8;
        case OpTypeVector: return self(self, t.operands.at(0)) * t.operands.at(1);
        case OpTypeArray: {
            const uint32_t stride = arrayStrides.count(id) ? arrayStrides[id] : self(self, t.operands.at(0));
            return stride * constants.at(t.operands.at(1));
        }
        case OpTypeStruct: {
            uint32_t end = 0;
            for (uint32_t m = 0; m < t.operands.size(); ++m)
                end = std::max(end, memberOffsets[id][m] + self(self, t.operands[m]));
            return end;
        }
        default: throw std::runtime_error("unsupported type in a push-constant block");
        }
    };

    // A texel buffer: an image of dimension Buffer that is sampled (operands: sampled
    // type, Dim, Depth, Arrayed, MS, Sampled, format).
    auto isTexelBuffer = [&](uint32_t ptrType) {
        const auto t = types.find(types.at(ptrType).operands.at(1));
        return t != types.end() && t->second.op == OpTypeImage && t->second.operands.at(1) == kDimBuffer &&
               t->second.operands.at(5) == 1;
    };
    std::vector<uint32_t> seen;
    for (const auto& [ptrType, id] : variables) {
        const uint32_t cls = variableClass[id];
        if (cls == PushConstant) {
            out.pushConstantBytes = sizeOf(sizeOf, types.at(ptrType).operands.at(1));
        } else if ((cls == StorageBuffer || cls == Uniform || (cls == UniformConstant && isTexelBuffer(ptrType))) &&
                   bindings.count(id)) {
            if (sets[id] != 0)
                throw std::runtime_error("Facet shaders use descriptor set 0 only");
            seen.push_back(bindings[id]);
            if (cls == UniformConstant) {
                if (bindings[id] >= 32)
                    throw std::runtime_error("texel buffers must use bindings 0..31");
                out.texelMask |= 1u << bindings[id];
            }
        }
    }
    std::sort(seen.begin(), seen.end());
    for (uint32_t k = 0; k < seen.size(); ++k) {
        if (seen[k] != k)
            throw std::runtime_error("shader bindings must be numbered 0..n-1 without gaps");
    }
    out.storageBindings = static_cast<uint32_t>(seen.size());
    std::sort(out.specIds.begin(), out.specIds.end());
    return out;
}

} // namespace facet::vk
