// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/device_choice.h"
#include "vk/instance.h"

#include <vulkan/vulkan.h>

#include <array>
#include <memory>
#include <string>

namespace facet::vk {

// Limits and optional features the kernels choose variants by. Queried, never assumed:
// lavapipe's subgroup is 8 wide (16 with LP_NATIVE_VECTOR_WIDTH=512), NVIDIA's 32.
struct DeviceLimits {
    uint32_t subgroupSize = 0;
    uint64_t maxStorageBufferRange = 0;   // bytes one storage binding may cover
    uint64_t maxAllocationSize = 0;       // bytes one VkDeviceMemory may hold
    uint64_t storageOffsetAlignment = 0;  // minStorageBufferOffsetAlignment
    std::array<uint32_t, 3> maxWorkGroupCount{};
    uint32_t maxWorkGroupInvocations = 0;
    uint32_t maxSharedMemoryBytes = 0;
    bool shaderFloat16 = false;
    bool shaderInt8 = false;
    bool storage16Bit = false;
    bool storage8Bit = false;
    bool subgroupSizeControl = false; // the subgroup size can be pinned per pipeline
    bool unifiedMemory = false;       // device-local memory is also host-visible
    // Buffers carry a uniform texel view (RGBA32UI) that the mat-vecs read weights and x
    // through: on a CPU device (lavapipe) a texel fetch is branch-free vector code, where a
    // storage-buffer load is a loop over lanes with a bounds check on each.
    bool texelReads = false;
    uint64_t maxTexelElements = 0;          // maxTexelBufferElements
};

struct ContextOptions {
    std::string preferredDevice; // substring of a device name; empty picks by kind
    bool validation = false;     // FACET_VK_VALIDATION=1 turns it on as well
    bool texelReads = true;      // false keeps every kernel on storage buffers (tests of both paths)
};

// The chosen device with its compute queue. Owned by whoever runs the engine (one
// per loaded model session); every object made from it must be used from one thread
// at a time.
class Context {
public:
    explicit Context(const ContextOptions& options = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    Instance& instance() { return m_instance; }
    const Instance& instance() const { return m_instance; }
    VkPhysicalDevice physical() const { return m_physical; }
    VkDevice device() const { return m_device; }
    VkQueue queue() const { return m_queue; }
    uint32_t queueFamily() const { return m_queueFamily; }
    const DeviceReport& report() const { return m_report; }
    const GpuDevice& gpu() const { return m_report.devices[m_report.chosen]; }
    const DeviceLimits& limits() const { return m_limits; }
    const VkPhysicalDeviceProperties& properties() const { return m_properties; }

    // Index of a memory type allowed by typeBits that has all `required` flags,
    // preferring one that also has `preferred`. Throws when none fits.
    uint32_t memoryType(uint32_t typeBits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred) const;
    bool memoryTypeHas(uint32_t index, VkMemoryPropertyFlags flags) const;

    // Runs `record` in a one-off command buffer and waits; for uploads, not for decoding.
    template <class F> void runOnce(F&& record);

private:
    VkCommandBuffer beginOnce();
    void endOnce(VkCommandBuffer cb);

    Instance m_instance;
    VkPhysicalDevice m_physical = VK_NULL_HANDLE;
    VkDevice m_device = VK_NULL_HANDLE;
    VkQueue m_queue = VK_NULL_HANDLE;
    uint32_t m_queueFamily = 0;
    VkCommandPool m_oncePool = VK_NULL_HANDLE;
    DeviceReport m_report;
    DeviceLimits m_limits;
    VkPhysicalDeviceProperties m_properties{};
    VkPhysicalDeviceMemoryProperties m_memory{};
};

template <class F> void Context::runOnce(F&& record)
{
    VkCommandBuffer cb = beginOnce();
    record(cb);
    endOnce(cb);
}

} // namespace facet::vk
