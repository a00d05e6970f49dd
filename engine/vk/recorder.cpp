// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/recorder.h"

#include "vk/vk_check.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace facet::vk {
namespace {

constexpr uint32_t kSetsPerPool = 512;
constexpr uint32_t kBuffersPerPool = kSetsPerPool * 8;
constexpr uint32_t kMaxQueries = 16384;

} // namespace

Recorder::Recorder(Context& ctx) : m_ctx(ctx)
{
    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = ctx.queueFamily();
    check(vkCreateCommandPool(ctx.device(), &pci, nullptr, &m_pool), "create a command pool");
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_pool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(ctx.device(), &ai, &m_cb), "allocate a command buffer");
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(ctx.device(), &fci, nullptr, &m_fence), "create a fence");
    m_descriptorPools.push_back(newPool());
    if (const char* prof = std::getenv("FACET_PROFILE"); prof && std::string(prof) == "1") {
        VkQueryPoolCreateInfo qci{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
        qci.queryType = VK_QUERY_TYPE_TIMESTAMP;
        qci.queryCount = kMaxQueries;
        check(vkCreateQueryPool(ctx.device(), &qci, nullptr, &m_queries), "create a timestamp pool");
    }
}

Recorder::~Recorder()
{
    const VkDevice dev = m_ctx.device();
    if (m_pending)
        vkWaitForFences(dev, 1, &m_fence, VK_TRUE, UINT64_MAX);
    if (m_queries) {
        std::vector<std::pair<std::string_view, KernelTime>> rows(m_profile.begin(), m_profile.end());
        std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
        double total = 0;
        for (const auto& r : rows)
            total += r.second.ms;
        std::fprintf(stderr, "facet profile: %.1f ms of device time in %zu kernels\n", total, rows.size());
        for (const auto& [name, t] : rows)
            std::fprintf(stderr, "  %-28.*s %10.1f ms %8llu calls %9.1f us/call\n", int(name.size()), name.data(), t.ms,
                         static_cast<unsigned long long>(t.calls), 1000.0 * t.ms / double(t.calls));
        vkDestroyQueryPool(dev, m_queries, nullptr);
    }
    for (auto pool : m_descriptorPools)
        vkDestroyDescriptorPool(dev, pool, nullptr);
    vkDestroyFence(dev, m_fence, nullptr);
    vkDestroyCommandPool(dev, m_pool, nullptr);
}

VkDescriptorPool Recorder::newPool()
{
    const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kBuffersPerPool},
                                          {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, kBuffersPerPool}};
    VkDescriptorPoolCreateInfo ci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    ci.maxSets = kSetsPerPool;
    ci.poolSizeCount = 2;
    ci.pPoolSizes = sizes;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    check(vkCreateDescriptorPool(m_ctx.device(), &ci, nullptr, &pool), "create a descriptor pool");
    return pool;
}

void Recorder::begin()
{
    if (m_recording)
        throw std::logic_error("Recorder::begin while recording");
    if (m_pending) {
        check(vkWaitForFences(m_ctx.device(), 1, &m_fence, VK_TRUE, UINT64_MAX), "wait for the device");
        m_pending = false;
    }
    check(vkResetFences(m_ctx.device(), 1, &m_fence), "reset a fence");
    for (auto pool : m_descriptorPools)
        vkResetDescriptorPool(m_ctx.device(), pool, 0);
    m_activePool = 0;
    m_dispatches = 0;
    check(vkResetCommandBuffer(m_cb, 0), "reset a command buffer");
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    check(vkBeginCommandBuffer(m_cb, &bi), "begin a command buffer");
    m_recording = true;
    if (m_queries) {
        vkCmdResetQueryPool(m_cb, m_queries, 0, kMaxQueries);
        vkCmdWriteTimestamp(m_cb, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, m_queries, 0);
        m_queryCount = 1;
        m_queryNames.clear();
    }
}

VkDescriptorSet Recorder::allocateSet(VkDescriptorSetLayout layout)
{
    for (;;) {
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = m_descriptorPools[m_activePool];
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &layout;
        VkDescriptorSet set = VK_NULL_HANDLE;
        const VkResult r = vkAllocateDescriptorSets(m_ctx.device(), &ai, &set);
        if (r == VK_SUCCESS)
            return set;
        if (r != VK_ERROR_OUT_OF_POOL_MEMORY && r != VK_ERROR_FRAGMENTED_POOL)
            check(r, "allocate a descriptor set");
        if (++m_activePool == m_descriptorPools.size())
            m_descriptorPools.push_back(newPool());
    }
}

void Recorder::dispatch(const Pipeline& p, std::span<const BufferRange> bindings, std::span<const std::byte> push,
                        std::array<uint32_t, 3> groups)
{
    const std::string name(p.name);
    if (!m_recording)
        throw std::logic_error(name + ": dispatch outside begin()/submitAndWait()");
    if (bindings.size() != p.interface.storageBindings)
        throw std::logic_error(name + ": shader has " + std::to_string(p.interface.storageBindings) + " bindings, got " +
                               std::to_string(bindings.size()));
    if (push.size() != p.interface.pushConstantBytes)
        throw std::logic_error(name + ": push constants are " + std::to_string(p.interface.pushConstantBytes) +
                               " bytes in the shader, " + std::to_string(push.size()) + " in C++");
    const auto& lim = m_ctx.limits();
    for (int k = 0; k < 3; ++k) {
        if (groups[k] == 0 || groups[k] > lim.maxWorkGroupCount[k])
            throw std::logic_error(name + ": workgroup count " + std::to_string(groups[k]) + " outside the device's limits");
    }
    std::vector<VkDescriptorBufferInfo> infos(bindings.size());
    std::vector<VkWriteDescriptorSet> writes(bindings.size());
    const VkDescriptorSet set = allocateSet(p.setLayout);
    for (size_t b = 0; b < bindings.size(); ++b) {
        const BufferRange& r = bindings[b];
        writes[b] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[b].dstSet = set;
        writes[b].dstBinding = static_cast<uint32_t>(b);
        writes[b].descriptorCount = 1;
        if ((p.interface.texelMask >> b) & 1u) {
            // The whole buffer's view; the kernel adds the range's offset to its indices.
            if (!r.texels || r.offset % 16 != 0)
                throw std::logic_error(name + ": binding " + std::to_string(b) + " needs a texel view at a 16-byte offset");
            writes[b].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
            writes[b].pTexelBufferView = &r.texels;
            continue;
        }
        if (r.size == 0 || r.size > lim.maxStorageBufferRange)
            throw std::logic_error(name + ": binding " + std::to_string(b) + " covers " + std::to_string(r.size) +
                                   " bytes; the device allows 1 to " + std::to_string(lim.maxStorageBufferRange));
        if (r.offset % lim.storageOffsetAlignment != 0)
            throw std::logic_error(name + ": binding " + std::to_string(b) + " offset is not aligned");
        infos[b] = {r.buffer, r.offset, r.size};
        writes[b].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[b].pBufferInfo = &infos[b];
    }
    vkUpdateDescriptorSets(m_ctx.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
    vkCmdBindPipeline(m_cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
    vkCmdBindDescriptorSets(m_cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout, 0, 1, &set, 0, nullptr);
    if (!push.empty())
        vkCmdPushConstants(m_cb, p.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, static_cast<uint32_t>(push.size()), push.data());
    vkCmdDispatch(m_cb, groups[0], groups[1], groups[2]);
    ++m_dispatches;
    if (m_queries && m_queryCount < kMaxQueries) {
        vkCmdWriteTimestamp(m_cb, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, m_queries, m_queryCount++);
        m_queryNames.push_back(p.name);
    }
}

void Recorder::collectProfile()
{
    if (!m_queries || m_queryCount < 2)
        return;
    std::vector<uint64_t> ts(m_queryCount);
    check(vkGetQueryPoolResults(m_ctx.device(), m_queries, 0, m_queryCount, ts.size() * 8, ts.data(), 8,
                                VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
          "read timestamps");
    const double msPerTick = double(m_ctx.properties().limits.timestampPeriod) * 1e-6;
    for (uint32_t q = 1; q < m_queryCount; ++q) {
        auto& k = m_profile[m_queryNames[q - 1]];
        k.ms += double(ts[q] - ts[q - 1]) * msPerTick;
        ++k.calls;
    }
    m_queryCount = 0;
}

std::array<uint32_t, 3> Recorder::groupsFor(uint64_t n) const
{
    const uint64_t maxX = m_ctx.limits().maxWorkGroupCount[0];
    if (n <= maxX)
        return {static_cast<uint32_t>(n), 1, 1};
    const uint64_t y = (n + maxX - 1) / maxX;
    const uint64_t x = (n + y - 1) / y;
    if (y > m_ctx.limits().maxWorkGroupCount[1])
        throw std::logic_error("dispatch of " + std::to_string(n) + " workgroups exceeds the device's grid");
    return {static_cast<uint32_t>(x), static_cast<uint32_t>(y), 1};
}

void Recorder::computeBarrier()
{
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    mb.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
    vkCmdPipelineBarrier(m_cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &mb, 0,
                         nullptr, 0, nullptr);
}

void Recorder::submitAndWait()
{
    if (!m_recording)
        throw std::logic_error("Recorder::submitAndWait without begin()");
    // Shader writes must reach host reads of mapped memory after the fence.
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    mb.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(m_cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, nullptr, 0, nullptr);
    check(vkEndCommandBuffer(m_cb), "end a command buffer");
    m_recording = false;
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &m_cb;
    check(vkQueueSubmit(m_ctx.queue(), 1, &si, m_fence), "submit work");
    m_pending = true;
    check(vkWaitForFences(m_ctx.device(), 1, &m_fence, VK_TRUE, UINT64_MAX), "wait for the device");
    m_pending = false;
    collectProfile();
}

} // namespace facet::vk
