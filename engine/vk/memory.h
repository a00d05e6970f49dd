// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/context.h"

#include <cstddef>
#include <span>
#include <vector>

namespace facet::vk {

enum class MemoryUse {
    Device,   // read by shaders; device-local, mapped too where the device allows (UMA)
    Readback, // written by shaders, read by the host (host-visible, coherent)
};

// What a shader binding sees: a window of a buffer no larger than maxStorageBufferRange.
struct BufferRange {
    VkBuffer buffer = VK_NULL_HANDLE;
    uint64_t offset = 0;
    uint64_t size = 0;
    // The buffer's RGBA32UI texel view where the context reads through texels
    // (DeviceLimits::texelReads): it spans the whole buffer, so a kernel reading a
    // range this way adds offset / 16 to its indices itself.
    VkBufferView texels = VK_NULL_HANDLE;
};

// One VkBuffer with its own memory. Move-only; lives on the Context's thread.
class Buffer {
public:
    Buffer() = default;
    Buffer(Context& ctx, uint64_t bytes, MemoryUse use);
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    VkBuffer handle() const { return m_buffer; }
    uint64_t size() const { return m_size; }
    bool mapped() const { return m_mapped != nullptr; }
    BufferRange range() const { return {m_buffer, 0, m_size, m_texels}; }
    BufferRange range(uint64_t offset, uint64_t bytes) const;

    // Copies bytes in or out, through a staging buffer when the memory is not mapped.
    void upload(std::span<const std::byte> bytes, uint64_t offset = 0);
    void download(std::span<std::byte> out, uint64_t offset = 0) const;

    template <class T> void uploadValues(std::span<const T> values) { upload(std::as_bytes(values)); }
    template <class T> std::vector<T> downloadValues(size_t count) const
    {
        std::vector<T> v(count);
        download(std::as_writable_bytes(std::span(v)));
        return v;
    }

private:
    void release();
    Context* m_ctx = nullptr;
    VkBuffer m_buffer = VK_NULL_HANDLE;
    VkDeviceMemory m_memory = VK_NULL_HANDLE;
    uint64_t m_size = 0;
    std::byte* m_mapped = nullptr;
    VkBufferView m_texels = VK_NULL_HANDLE;
};

// A [rows, rowBytes] tensor split into buffers of whole rows, each small enough for one
// storage binding and one allocation: lavapipe allows 128 MiB per binding, less than
// one embedding table. Kernels run once per chunk.
class RowChunkedBuffer {
public:
    struct Chunk {
        Buffer buffer;
        uint64_t firstRow = 0;
        uint64_t rowCount = 0;
    };

    // maxChunkBytes = 0 uses the device's limits; tests pass a small value to force splits.
    RowChunkedBuffer(Context& ctx, uint64_t rows, uint64_t rowBytes, MemoryUse use, uint64_t maxChunkBytes = 0);

    uint64_t rows() const { return m_rows; }
    uint64_t rowBytes() const { return m_rowBytes; }
    const std::vector<Chunk>& chunks() const { return m_chunks; }
    std::span<Chunk> chunks() { return m_chunks; } // to write a chunk's bytes in another order
    // `bytes` holds all rows back to back ([rows, rowBytes] row-major).
    void upload(std::span<const std::byte> bytes);
    // Writes one row (rowBytes bytes).
    void uploadRow(uint64_t row, std::span<const std::byte> bytes);

private:
    uint64_t m_rows;
    uint64_t m_rowBytes;
    std::vector<Chunk> m_chunks;
};

} // namespace facet::vk
