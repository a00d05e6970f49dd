// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/memory.h"

#include "facet/error.h"
#include "vk/vk_check.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace facet::vk {
namespace {

constexpr uint64_t kStagingBytes = 64ull << 20;

std::string mib(uint64_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }

} // namespace

Buffer::Buffer(Context& ctx, uint64_t bytes, MemoryUse use) : m_ctx(&ctx), m_size(bytes)
{
    if (bytes == 0)
        throw std::invalid_argument("zero-sized Vulkan buffer");
    if (bytes > ctx.limits().maxAllocationSize)
        throw Error("A buffer of " + mib(bytes) + " is larger than the " + mib(ctx.limits().maxAllocationSize) +
                    " that " + ctx.gpu().name + " can allocate at once.");
    VkBufferCreateInfo bci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bci.size = bytes;
    bci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    // The texel view reaches every byte: the buffer is padded to whole 16-byte texels.
    const uint64_t texels = std::min<uint64_t>((bytes + 15) / 16, ctx.limits().maxTexelElements);
    const bool texelView = ctx.limits().texelReads;
    if (texelView) {
        bci.usage |= VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT;
        bci.size = (bytes + 15) / 16 * 16;
    }
    bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    check(vkCreateBuffer(ctx.device(), &bci, nullptr, &m_buffer), "create a buffer");

    VkMemoryRequirements req{};
    vkGetBufferMemoryRequirements(ctx.device(), m_buffer, &req);
    const VkMemoryPropertyFlags hostFlags = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    uint32_t type = 0;
    if (use == MemoryUse::Device)
        type = ctx.memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, ctx.limits().unifiedMemory ? hostFlags : 0);
    else
        type = ctx.memoryType(req.memoryTypeBits, hostFlags, VK_MEMORY_PROPERTY_HOST_CACHED_BIT);

    VkMemoryAllocateInfo mai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    mai.allocationSize = req.size;
    mai.memoryTypeIndex = type;
    const VkResult r = vkAllocateMemory(ctx.device(), &mai, nullptr, &m_memory);
    if (r != VK_SUCCESS) {
        vkDestroyBuffer(ctx.device(), m_buffer, nullptr);
        m_buffer = VK_NULL_HANDLE;
        if (r == VK_ERROR_OUT_OF_DEVICE_MEMORY || r == VK_ERROR_OUT_OF_HOST_MEMORY)
            throw Error(ctx.gpu().name + " has no room for " + mib(bytes) + " more.");
        check(r, "allocate memory");
    }
    check(vkBindBufferMemory(ctx.device(), m_buffer, m_memory, 0), "bind buffer memory");
    if (texelView) {
        VkBufferViewCreateInfo vci{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
        vci.buffer = m_buffer;
        vci.format = VK_FORMAT_R32G32B32A32_UINT;
        vci.offset = 0;
        vci.range = texels * 16;
        check(vkCreateBufferView(ctx.device(), &vci, nullptr, &m_texels), "create a texel view");
    }
    if (ctx.memoryTypeHas(type, hostFlags)) {
        void* p = nullptr;
        check(vkMapMemory(ctx.device(), m_memory, 0, VK_WHOLE_SIZE, 0, &p), "map memory");
        m_mapped = static_cast<std::byte*>(p);
    }
}

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer&& o) noexcept
    : m_ctx(o.m_ctx), m_buffer(o.m_buffer), m_memory(o.m_memory), m_size(o.m_size), m_mapped(o.m_mapped), m_texels(o.m_texels)
{
    o.m_texels = VK_NULL_HANDLE;
    o.m_buffer = VK_NULL_HANDLE;
    o.m_memory = VK_NULL_HANDLE;
    o.m_mapped = nullptr;
    o.m_size = 0;
}

Buffer& Buffer::operator=(Buffer&& o) noexcept
{
    if (this != &o) {
        release();
        m_ctx = o.m_ctx;
        m_buffer = std::exchange(o.m_buffer, VK_NULL_HANDLE);
        m_memory = std::exchange(o.m_memory, VK_NULL_HANDLE);
        m_size = std::exchange(o.m_size, 0);
        m_mapped = std::exchange(o.m_mapped, nullptr);
        m_texels = std::exchange(o.m_texels, VK_NULL_HANDLE);
    }
    return *this;
}

void Buffer::release()
{
    if (!m_ctx)
        return;
    if (m_texels)
        vkDestroyBufferView(m_ctx->device(), m_texels, nullptr);
    if (m_buffer)
        vkDestroyBuffer(m_ctx->device(), m_buffer, nullptr);
    if (m_memory)
        vkFreeMemory(m_ctx->device(), m_memory, nullptr); // unmaps implicitly
    m_buffer = VK_NULL_HANDLE;
    m_memory = VK_NULL_HANDLE;
    m_mapped = nullptr;
    m_texels = VK_NULL_HANDLE;
}

BufferRange Buffer::range(uint64_t offset, uint64_t bytes) const
{
    if (offset > m_size || bytes > m_size - offset)
        throw std::out_of_range("buffer range outside the buffer");
    return {m_buffer, offset, bytes, m_texels};
}

void Buffer::upload(std::span<const std::byte> bytes, uint64_t offset)
{
    if (offset > m_size || bytes.size() > m_size - offset)
        throw std::out_of_range("upload outside the buffer");
    if (m_mapped) {
        std::memcpy(m_mapped + offset, bytes.data(), bytes.size());
        return;
    }
    Buffer staging(*m_ctx, std::min<uint64_t>(kStagingBytes, bytes.size()), MemoryUse::Readback);
    for (uint64_t done = 0; done < bytes.size(); done += staging.size()) {
        const uint64_t n = std::min<uint64_t>(staging.size(), bytes.size() - done);
        std::memcpy(staging.m_mapped, bytes.data() + done, n);
        m_ctx->runOnce([&](VkCommandBuffer cb) {
            VkBufferCopy region{0, offset + done, n};
            vkCmdCopyBuffer(cb, staging.m_buffer, m_buffer, 1, &region);
        });
    }
}

void Buffer::download(std::span<std::byte> out, uint64_t offset) const
{
    if (offset > m_size || out.size() > m_size - offset)
        throw std::out_of_range("download outside the buffer");
    if (m_mapped) {
        std::memcpy(out.data(), m_mapped + offset, out.size());
        return;
    }
    Buffer staging(*m_ctx, std::min<uint64_t>(kStagingBytes, out.size()), MemoryUse::Readback);
    for (uint64_t done = 0; done < out.size(); done += staging.size()) {
        const uint64_t n = std::min<uint64_t>(staging.size(), out.size() - done);
        m_ctx->runOnce([&](VkCommandBuffer cb) {
            VkBufferCopy region{offset + done, 0, n};
            vkCmdCopyBuffer(cb, m_buffer, staging.m_buffer, 1, &region);
        });
        std::memcpy(out.data() + done, staging.m_mapped, n);
    }
}

RowChunkedBuffer::RowChunkedBuffer(Context& ctx, uint64_t rows, uint64_t rowBytes, MemoryUse use, uint64_t maxChunkBytes)
    : m_rows(rows), m_rowBytes(rowBytes)
{
    uint64_t limit = std::min(ctx.limits().maxStorageBufferRange, ctx.limits().maxAllocationSize);
    if (maxChunkBytes)
        limit = std::min(limit, maxChunkBytes);
    if (rowBytes == 0 || rows == 0)
        throw std::invalid_argument("empty tensor");
    if (rowBytes > limit - 16)
        throw Error("A tensor row of " + mib(rowBytes) + " is larger than the " + mib(limit) + " one shader binding on " +
                    ctx.gpu().name + " can reach.");
    // Block-quantized rows have odd byte sizes (Q4_0: 18 per block) and shaders read
    // 32-bit words, so each chunk is padded to 16 bytes: the last word must exist.
    const uint64_t rowsPerChunk = (limit - 16) / rowBytes;
    for (uint64_t first = 0; first < rows; first += rowsPerChunk) {
        const uint64_t n = std::min(rowsPerChunk, rows - first);
        m_chunks.push_back({Buffer(ctx, (n * rowBytes + 15) / 16 * 16, use), first, n});
    }
}

void RowChunkedBuffer::upload(std::span<const std::byte> bytes)
{
    if (bytes.size() != m_rows * m_rowBytes)
        throw std::invalid_argument("upload size differs from the tensor size");
    for (auto& c : m_chunks)
        c.buffer.upload(bytes.subspan(c.firstRow * m_rowBytes, c.rowCount * m_rowBytes));
}

} // namespace facet::vk

namespace facet::vk {

void RowChunkedBuffer::uploadRow(uint64_t row, std::span<const std::byte> bytes)
{
    if (row >= m_rows || bytes.size() != m_rowBytes)
        throw std::invalid_argument("row upload outside the tensor");
    for (auto& c : m_chunks) {
        if (row >= c.firstRow && row < c.firstRow + c.rowCount) {
            c.buffer.upload(bytes, (row - c.firstRow) * m_rowBytes);
            return;
        }
    }
}

} // namespace facet::vk
