// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet_shaders/shader_table.h"
#include "vk/context.h"
#include "vk/spirv_reflect.h"

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace facet::vk {

using shaders::ShaderId;

// A pipeline's identity: its shader and specialization values (spec id k at index k).
using PipelineKey = std::pair<ShaderId, std::vector<uint32_t>>;

// A compute pipeline with the interface its SPIR-V declares.
struct Pipeline {
    ShaderId id{};
    std::string_view name;
    ShaderInterface interface;
    std::vector<uint32_t> specialization; // values for spec ids 0..n-1
    uint32_t workgroupSize = 0;           // spec id 0 by Facet convention
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkPipeline pipeline = VK_NULL_HANDLE;
};

// Pipelines, made on first request and keyed by ShaderId plus specialization values.
// Driver-compiled code is kept in a VkPipelineCache saved to disk so the second start
// skips most compilation. Lives as long as the Context, on its thread.
class PipelineCache {
public:
    // cacheDir empty: the user's cache folder ($XDG_CACHE_HOME/facet or ~/.cache/facet);
    // persist false: nothing is read from or written to disk.
    PipelineCache(Context& ctx, std::filesystem::path cacheDir = {}, bool persist = true);
    ~PipelineCache();
    PipelineCache(const PipelineCache&) = delete;
    PipelineCache& operator=(const PipelineCache&) = delete;

    // specialization[k] is the value of spec id k; spec id 0 is the workgroup size.
    const Pipeline& get(ShaderId id, std::vector<uint32_t> specialization);
    // Compiles those of `keys` not made yet, a thread per core, so their first get() finds
    // them: a CPU device (lavapipe) keeps no compiled code in its pipeline cache, and a
    // model's mat-vecs took about half a second to compile inside its first prefill.
    void prepare(std::span<const PipelineKey> keys);
    // Writes the driver's cache blob; also done on destruction.
    void save() const;
    const std::filesystem::path& file() const { return m_file; }
    bool loadedFromDisk() const { return m_loaded; }

private:
    // A new pipeline; touches nothing of this object but m_ctx and m_cache (which Vulkan
    // synchronizes), so prepare() runs several at once.
    std::unique_ptr<Pipeline> build(ShaderId id, std::vector<uint32_t> specialization) const;

    Context& m_ctx;
    std::filesystem::path m_file;
    bool m_persist;
    bool m_loaded = false;
    VkPipelineCache m_cache = VK_NULL_HANDLE;
    std::map<PipelineKey, std::unique_ptr<Pipeline>> m_pipelines;
};

} // namespace facet::vk
