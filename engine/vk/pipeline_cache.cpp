// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/pipeline_cache.h"

#include "facet/error.h"
#include "vk/vk_check.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <exception>
#include <iterator>
#include <thread>

namespace facet::vk {
namespace {

std::filesystem::path defaultCacheDir()
{
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        return std::filesystem::path(x) / "facet";
    if (const char* h = std::getenv("HOME"); h && *h)
        return std::filesystem::path(h) / ".cache" / "facet";
    return {};
}

// The blob starts with VkPipelineCacheHeaderVersionOne; a blob from another device or
// driver is dropped rather than handed to the driver.
bool headerMatches(const std::vector<char>& blob, const VkPhysicalDeviceProperties& p)
{
    if (blob.size() < 32)
        return false;
    uint32_t header[4];
    std::memcpy(header, blob.data(), sizeof header);
    return header[0] >= 32 && header[1] == VK_PIPELINE_CACHE_HEADER_VERSION_ONE && header[2] == p.vendorID &&
           header[3] == p.deviceID && std::memcmp(blob.data() + 16, p.pipelineCacheUUID, VK_UUID_SIZE) == 0;
}

} // namespace

PipelineCache::PipelineCache(Context& ctx, std::filesystem::path cacheDir, bool persist) : m_ctx(ctx), m_persist(persist)
{
    std::vector<char> blob;
    if (m_persist) {
        if (cacheDir.empty())
            cacheDir = defaultCacheDir();
        if (!cacheDir.empty()) {
            char name[96];
            std::snprintf(name, sizeof name, "vk-pipelines-%04x-%04x.bin", ctx.properties().vendorID, ctx.properties().deviceID);
            m_file = cacheDir / name;
            std::ifstream in(m_file, std::ios::binary);
            if (in)
                blob.assign(std::istreambuf_iterator<char>(in), {});
            if (!headerMatches(blob, ctx.properties()))
                blob.clear();
            m_loaded = !blob.empty();
        }
    }
    VkPipelineCacheCreateInfo ci{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    ci.initialDataSize = blob.size();
    ci.pInitialData = blob.empty() ? nullptr : blob.data();
    if (vkCreatePipelineCache(ctx.device(), &ci, nullptr, &m_cache) != VK_SUCCESS) {
        // A blob the driver rejects is only a lost speed-up: start empty.
        ci.initialDataSize = 0;
        ci.pInitialData = nullptr;
        m_loaded = false;
        check(vkCreatePipelineCache(ctx.device(), &ci, nullptr, &m_cache), "create a pipeline cache");
    }
}

PipelineCache::~PipelineCache()
{
    try {
        save();
    } catch (...) {
        // A cache that cannot be written costs start-up time only.
    }
    for (auto& [key, p] : m_pipelines) {
        vkDestroyPipeline(m_ctx.device(), p->pipeline, nullptr);
        vkDestroyPipelineLayout(m_ctx.device(), p->layout, nullptr);
        vkDestroyDescriptorSetLayout(m_ctx.device(), p->setLayout, nullptr);
    }
    vkDestroyPipelineCache(m_ctx.device(), m_cache, nullptr);
}

void PipelineCache::save() const
{
    if (!m_persist || m_file.empty())
        return;
    size_t size = 0;
    if (vkGetPipelineCacheData(m_ctx.device(), m_cache, &size, nullptr) != VK_SUCCESS || size == 0)
        return;
    std::vector<char> blob(size);
    if (vkGetPipelineCacheData(m_ctx.device(), m_cache, &size, blob.data()) != VK_SUCCESS)
        return;
    std::error_code ec;
    std::filesystem::create_directories(m_file.parent_path(), ec);
    const auto tmp = m_file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(blob.data(), static_cast<std::streamsize>(size));
        if (!out)
            return;
    }
    std::filesystem::rename(tmp, m_file, ec); // atomic: a reader never sees half a file
}

const Pipeline& PipelineCache::get(ShaderId id, std::vector<uint32_t> specialization)
{
    auto key = std::make_pair(id, specialization);
    if (auto it = m_pipelines.find(key); it != m_pipelines.end())
        return *it->second;
    return *m_pipelines.emplace(std::move(key), build(id, std::move(specialization))).first->second;
}

void PipelineCache::prepare(std::span<const PipelineKey> keys)
{
    std::vector<PipelineKey> missing;
    for (const auto& k : keys)
        if (!m_pipelines.count(k) && std::find(missing.begin(), missing.end(), k) == missing.end())
            missing.push_back(k);
    std::vector<std::unique_ptr<Pipeline>> made(missing.size());
    std::vector<std::exception_ptr> errors(missing.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i; (i = next++) < missing.size();) {
            try {
                made[i] = build(missing[i].first, missing[i].second);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    const size_t threads = std::min<size_t>(missing.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (auto& th : pool)
        th.join();
    // Every pipeline made is kept (and destroyed with the cache) before an error is passed on.
    for (size_t i = 0; i < missing.size(); ++i)
        if (made[i])
            m_pipelines.emplace(std::move(missing[i]), std::move(made[i]));
    for (const auto& e : errors)
        if (e)
            std::rethrow_exception(e);
}

std::unique_ptr<Pipeline> PipelineCache::build(ShaderId id, std::vector<uint32_t> specialization) const
{
    const auto& blob = shaders::shader(id);
    auto p = std::make_unique<Pipeline>();
    p->id = id;
    p->name = blob.name;
    p->interface = reflect(blob.spirv);
    p->specialization = std::move(specialization);
    for (uint32_t k = 0; k < p->interface.specIds.size(); ++k) {
        if (p->interface.specIds[k] != k)
            throw std::logic_error(std::string(blob.name) + ": specialization ids must be 0..n-1");
    }
    if (p->specialization.size() != p->interface.specIds.size())
        throw std::logic_error(std::string(blob.name) + ": expected " + std::to_string(p->interface.specIds.size()) +
                               " specialization values, got " + std::to_string(p->specialization.size()));
    p->workgroupSize = p->specialization.empty() ? 0 : p->specialization[0];

    const VkDevice dev = m_ctx.device();
    std::vector<VkDescriptorSetLayoutBinding> binds(p->interface.storageBindings);
    for (uint32_t b = 0; b < binds.size(); ++b)
        binds[b] = {b, (p->interface.texelMask >> b) & 1u ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                    VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo dl{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    dl.bindingCount = static_cast<uint32_t>(binds.size());
    dl.pBindings = binds.data();
    check(vkCreateDescriptorSetLayout(dev, &dl, nullptr, &p->setLayout), "create a descriptor set layout");

    VkPushConstantRange pcr{VK_SHADER_STAGE_COMPUTE_BIT, 0, p->interface.pushConstantBytes};
    VkPipelineLayoutCreateInfo pl{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pl.setLayoutCount = 1;
    pl.pSetLayouts = &p->setLayout;
    pl.pushConstantRangeCount = pcr.size ? 1 : 0;
    pl.pPushConstantRanges = &pcr;
    check(vkCreatePipelineLayout(dev, &pl, nullptr, &p->layout), "create a pipeline layout");

    VkShaderModuleCreateInfo smi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    smi.codeSize = blob.spirv.size_bytes();
    smi.pCode = blob.spirv.data();
    VkShaderModule module = VK_NULL_HANDLE;
    check(vkCreateShaderModule(dev, &smi, nullptr, &module), "load a shader");

    std::vector<VkSpecializationMapEntry> entries;
    for (uint32_t k = 0; k < p->specialization.size(); ++k)
        entries.push_back({k, k * 4u, 4});
    VkSpecializationInfo si{static_cast<uint32_t>(entries.size()), entries.data(), p->specialization.size() * 4, p->specialization.data()};

    VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    ci.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    ci.stage.module = module;
    ci.stage.pName = "main";
    ci.stage.pSpecializationInfo = entries.empty() ? nullptr : &si;
    // Kernels reduce with subgroupAdd over a workgroup of whole subgroups: pin the
    // size the kernel was specialized for where the device lets us.
    VkPipelineShaderStageRequiredSubgroupSizeCreateInfo req{VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO};
    const uint32_t sg = m_ctx.limits().subgroupSize;
    if (m_ctx.limits().subgroupSizeControl && p->workgroupSize && p->workgroupSize % sg == 0) {
        req.requiredSubgroupSize = sg;
        ci.stage.pNext = &req;
        ci.stage.flags = VK_PIPELINE_SHADER_STAGE_CREATE_REQUIRE_FULL_SUBGROUPS_BIT;
    }
    ci.layout = p->layout;
    const VkResult r = vkCreateComputePipelines(dev, m_cache, 1, &ci, nullptr, &p->pipeline);
    vkDestroyShaderModule(dev, module, nullptr);
    check(r, "compile a compute pipeline");
    return p;
}

} // namespace facet::vk
