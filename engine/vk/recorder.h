// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"

#include <array>
#include <map>
#include <string>
#include <initializer_list>
#include <span>
#include <vector>

namespace facet::vk {

// Records a whole unit of work (one decoded token, one prefill chunk) into a single
// command buffer, then submits it once. Descriptor sets come from pools that are reset
// with the recording, so nothing is freed one by one. One Recorder per thread.
class Recorder {
public:
    explicit Recorder(Context& ctx);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Waits for the previous submission, then starts a new recording.
    void begin();

    // Binds `bindings` to set 0 in order and dispatches `groups` workgroups. Checks, before
    // recording, what a mistake here would otherwise turn into a device fault: binding
    // count and push-constant size against the shader's SPIR-V, ranges against
    // maxStorageBufferRange and offset alignment, group counts against the device.
    void dispatch(const Pipeline& pipeline, std::span<const BufferRange> bindings, std::span<const std::byte> push,
                  std::array<uint32_t, 3> groups);

    template <class Push>
    void dispatch(const Pipeline& pipeline, std::initializer_list<BufferRange> bindings, const Push& push,
                  std::array<uint32_t, 3> groups)
    {
        static_assert(std::is_trivially_copyable_v<Push>);
        dispatch(pipeline, std::span(bindings.begin(), bindings.size()), std::as_bytes(std::span(&push, 1)), groups);
    }

    // Lays `n` workgroups out as x*y within the device's per-dimension limit; shaders
    // index groups as gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x and
    // skip the few past n.
    std::array<uint32_t, 3> groupsFor(uint64_t n) const;

    // Every shader write recorded so far is visible to every shader read recorded next.
    // Call sites say why in a comment; barriers are the cost per op on lavapipe.
    void computeBarrier();

    // Ends the recording, submits it and waits for the device.
    void submitAndWait();

    uint32_t dispatchCount() const { return m_dispatches; }
    Context& context() const { return m_ctx; }

private:
    VkDescriptorSet allocateSet(VkDescriptorSetLayout layout);
    VkDescriptorPool newPool();
    void collectProfile();

    // FACET_PROFILE=1: a timestamp after every dispatch, summed per shader and printed
    // to stderr when the Recorder goes (where the device time of a token goes).
    struct KernelTime {
        double ms = 0;
        uint64_t calls = 0;
    };
    VkQueryPool m_queries = VK_NULL_HANDLE;
    uint32_t m_queryCount = 0;
    std::vector<std::string_view> m_queryNames;
    std::map<std::string_view, KernelTime> m_profile;

    Context& m_ctx;
    VkCommandPool m_pool = VK_NULL_HANDLE;
    VkCommandBuffer m_cb = VK_NULL_HANDLE;
    VkFence m_fence = VK_NULL_HANDLE;
    bool m_recording = false;
    bool m_pending = false;
    std::vector<VkDescriptorPool> m_descriptorPools;
    size_t m_activePool = 0;
    uint32_t m_dispatches = 0;
};

} // namespace facet::vk
