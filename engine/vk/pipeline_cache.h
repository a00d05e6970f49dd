// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet_shaders/shader_table.h"
#include "vk/context.h"
#include "vk/spirv_reflect.h"

#include <filesystem>
#include <map>
#include <memory>
#include <vector>

namespace facet::vk {

using shaders::ShaderId;

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
    // Writes the driver's cache blob; also done on destruction.
    void save() const;
    const std::filesystem::path& file() const { return m_file; }
    bool loadedFromDisk() const { return m_loaded; }

private:
    Context& m_ctx;
    std::filesystem::path m_file;
    bool m_persist;
    bool m_loaded = false;
    VkPipelineCache m_cache = VK_NULL_HANDLE;
    std::map<std::pair<ShaderId, std::vector<uint32_t>>, std::unique_ptr<Pipeline>> m_pipelines;
};

} // namespace facet::vk
