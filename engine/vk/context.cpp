// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/context.h"

#include "facet/error.h"
#include "vk/vk_check.h"

#include <algorithm>

namespace facet::vk {

Context::Context(const ContextOptions& options) : m_instance(options.validation)
{
    Choice choice = chooseDevice(m_instance.handle(), options.preferredDevice);
    m_report = choice.report;
    m_physical = choice.chosen().physical;
    m_queueFamily = choice.chosen().computeQueueFamily;

    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceMaintenance3Properties maint3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
    subgroup.pNext = &maint3;
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    props.pNext = &subgroup;
    vkGetPhysicalDeviceProperties2(m_physical, &props);
    m_properties = props.properties;
    vkGetPhysicalDeviceMemoryProperties(m_physical, &m_memory);
    const auto& lim = m_properties.limits;
    m_limits.subgroupSize = subgroup.subgroupSize;
    m_limits.maxStorageBufferRange = lim.maxStorageBufferRange;
    m_limits.maxAllocationSize = maint3.maxMemoryAllocationSize;
    m_limits.storageOffsetAlignment = lim.minStorageBufferOffsetAlignment;
    m_limits.maxWorkGroupCount = {lim.maxComputeWorkGroupCount[0], lim.maxComputeWorkGroupCount[1], lim.maxComputeWorkGroupCount[2]};
    m_limits.maxWorkGroupInvocations = lim.maxComputeWorkGroupInvocations;
    m_limits.maxSharedMemoryBytes = lim.maxComputeSharedMemorySize;
    m_limits.maxTexelElements = lim.maxTexelBufferElements;
    VkFormatProperties texelFormat{};
    vkGetPhysicalDeviceFormatProperties(m_physical, VK_FORMAT_R32G32B32A32_UINT, &texelFormat);
    m_limits.texelReads = options.texelReads && m_properties.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU &&
                          (texelFormat.bufferFeatures & VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT) &&
                          lim.minTexelBufferOffsetAlignment <= 16;

    // Enable the optional features the device has; kernels pick variants by them.
    VkPhysicalDeviceVulkan11Features have11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceVulkan12Features have12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan13Features have13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
    const bool is13 = m_properties.apiVersion >= VK_API_VERSION_1_3;
    have11.pNext = &have12;
    if (is13)
        have12.pNext = &have13;
    VkPhysicalDeviceFeatures2 have{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    have.pNext = &have11;
    vkGetPhysicalDeviceFeatures2(m_physical, &have);

    VkPhysicalDeviceVulkan11Features on11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceVulkan12Features on12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan13Features on13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
    on11.storageBuffer16BitAccess = have11.storageBuffer16BitAccess;
    on12.shaderFloat16 = have12.shaderFloat16;
    on12.shaderInt8 = have12.shaderInt8;
    on12.storageBuffer8BitAccess = have12.storageBuffer8BitAccess;
    on13.subgroupSizeControl = is13 && have13.subgroupSizeControl;
    on13.computeFullSubgroups = is13 && have13.computeFullSubgroups;
    on11.pNext = &on12;
    if (is13)
        on12.pNext = &on13;
    VkPhysicalDeviceFeatures2 on{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    on.features.shaderInt64 = have.features.shaderInt64;
    on.features.shaderInt16 = have.features.shaderInt16;
    on.pNext = &on11;
    m_limits.shaderFloat16 = on12.shaderFloat16;
    m_limits.shaderInt8 = on12.shaderInt8;
    m_limits.storage16Bit = on11.storageBuffer16BitAccess;
    m_limits.storage8Bit = on12.storageBuffer8BitAccess;
    if (is13 && on13.subgroupSizeControl && on13.computeFullSubgroups) {
        VkPhysicalDeviceSubgroupSizeControlProperties ssc{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES};
        VkPhysicalDeviceProperties2 p2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
        p2.pNext = &ssc;
        vkGetPhysicalDeviceProperties2(m_physical, &p2);
        m_limits.subgroupSizeControl = (ssc.requiredSubgroupSizeStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                                       m_limits.subgroupSize >= ssc.minSubgroupSize && m_limits.subgroupSize <= ssc.maxSubgroupSize;
    }

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qci.queueFamilyIndex = m_queueFamily;
    qci.queueCount = 1;
    qci.pQueuePriorities = &priority;
    VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dci.pNext = &on;
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    check(vkCreateDevice(m_physical, &dci, nullptr, &m_device), "open the device");
    vkGetDeviceQueue(m_device, m_queueFamily, 0, &m_queue);

    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT | VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = m_queueFamily;
    check(vkCreateCommandPool(m_device, &pci, nullptr, &m_oncePool), "create a command pool");

    for (uint32_t i = 0; i < m_memory.memoryTypeCount; ++i) {
        const auto f = m_memory.memoryTypes[i].propertyFlags;
        if ((f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) && (f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) &&
            m_memory.memoryHeaps[m_memory.memoryTypes[i].heapIndex].size >= gpu().memoryBytes)
            m_limits.unifiedMemory = true;
    }
}

Context::~Context()
{
    if (m_device) {
        vkDeviceWaitIdle(m_device);
        vkDestroyCommandPool(m_device, m_oncePool, nullptr);
        vkDestroyDevice(m_device, nullptr);
    }
}

uint32_t Context::memoryType(uint32_t typeBits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred) const
{
    uint32_t fallback = UINT32_MAX;
    for (uint32_t i = 0; i < m_memory.memoryTypeCount; ++i) {
        if (!(typeBits & (1u << i)))
            continue;
        const auto f = m_memory.memoryTypes[i].propertyFlags;
        if ((f & required) != required)
            continue;
        if ((f & preferred) == preferred)
            return i;
        if (fallback == UINT32_MAX)
            fallback = i;
    }
    if (fallback == UINT32_MAX)
        throw Error(gpu().name + " offers no suitable memory for a buffer.");
    return fallback;
}

bool Context::memoryTypeHas(uint32_t index, VkMemoryPropertyFlags flags) const
{
    return (m_memory.memoryTypes[index].propertyFlags & flags) == flags;
}

VkCommandBuffer Context::beginOnce()
{
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_oncePool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cb = VK_NULL_HANDLE;
    check(vkAllocateCommandBuffers(m_device, &ai, &cb), "allocate a command buffer");
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    check(vkBeginCommandBuffer(cb, &bi), "begin a command buffer");
    return cb;
}

void Context::endOnce(VkCommandBuffer cb)
{
    check(vkEndCommandBuffer(cb), "end a command buffer");
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cb;
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence = VK_NULL_HANDLE;
    check(vkCreateFence(m_device, &fci, nullptr, &fence), "create a fence");
    VkResult r = vkQueueSubmit(m_queue, 1, &si, fence);
    if (r == VK_SUCCESS)
        r = vkWaitForFences(m_device, 1, &fence, VK_TRUE, UINT64_MAX);
    vkDestroyFence(m_device, fence, nullptr);
    vkFreeCommandBuffers(m_device, m_oncePool, 1, &cb);
    check(r, "run a transfer");
}

} // namespace facet::vk
