// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/device_choice.h"

#include "facet/error.h"
#include "vk/instance.h"

#include <algorithm>
#include <cctype>

#include <unistd.h>

namespace facet::vk {
namespace {

std::string lower(std::string_view s)
{
    std::string r(s);
    for (auto& c : r)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

Candidate describe(VkPhysicalDevice pd)
{
    Candidate c;
    c.physical = pd;
    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    props.pNext = &subgroup;
    vkGetPhysicalDeviceProperties2(pd, &props);
    const auto& p = props.properties;
    GpuDevice& d = c.description;
    d.name = p.deviceName;
    d.subgroupSize = subgroup.subgroupSize;
    switch (p.deviceType) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: d.kind = "discrete GPU"; c.rank = 4; break;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: d.kind = "integrated GPU"; c.rank = 3; break;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: d.kind = "virtual GPU"; c.rank = 2; break;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: d.kind = "CPU"; c.rank = 1; break;
    default: d.kind = "other device"; c.rank = 0; break;
    }
    VkPhysicalDeviceMemoryProperties mem{};
    vkGetPhysicalDeviceMemoryProperties(pd, &mem);
    for (uint32_t h = 0; h < mem.memoryHeapCount; ++h) {
        if (mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
            d.memoryBytes = std::max<uint64_t>(d.memoryBytes, mem.memoryHeaps[h].size);
    }
    // A CPU device's memory is the machine's: lavapipe reports a 2 GiB heap but
    // allocates from system memory (an E4B-shape model, 2.8 GiB, runs there), so the
    // budget is the RAM.
    if (p.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU) {
        const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
        if (pages > 0 && pageSize > 0)
            d.memoryBytes = std::max<uint64_t>(d.memoryBytes, uint64_t(pages) * uint64_t(pageSize));
    }

    // What every Facet shader relies on: Vulkan 1.2, a compute queue, subgroup
    // arithmetic and shuffles in compute shaders (the mat-vecs add their rows' sums over
    // the lanes with both).
    uint32_t nq = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &nq, nullptr);
    std::vector<VkQueueFamilyProperties> families(nq);
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &nq, families.data());
    bool haveQueue = false;
    for (uint32_t i = 0; i < nq; ++i) {
        if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
            c.computeQueueFamily = i;
            haveQueue = true;
            break;
        }
    }
    if (p.apiVersion < VK_API_VERSION_1_2)
        d.unusableBecause = "it supports only Vulkan " + std::to_string(VK_API_VERSION_MAJOR(p.apiVersion)) + "." +
                            std::to_string(VK_API_VERSION_MINOR(p.apiVersion)) + " and Facet needs 1.2";
    else if (!haveQueue)
        d.unusableBecause = "it has no compute queue";
    else if (!(subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) ||
             !(subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT) ||
             !(subgroup.supportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT))
        d.unusableBecause = "it lacks subgroup arithmetic or shuffles in compute shaders";
    d.usable = d.unusableBecause.empty();
    return c;
}

std::string joinNames(const std::vector<Candidate>& cs, size_t skip)
{
    std::string s;
    for (size_t i = 0; i < cs.size(); ++i) {
        if (i == skip)
            continue;
        s += (s.empty() ? "" : ", ") + cs[i].description.name + " (" + cs[i].description.kind + ")";
    }
    return s;
}

} // namespace

Choice chooseDevice(VkInstance instance, std::string_view preferred)
{
    uint32_t n = 0;
    vkEnumeratePhysicalDevices(instance, &n, nullptr);
    std::vector<VkPhysicalDevice> pds(n);
    vkEnumeratePhysicalDevices(instance, &n, pds.data());
    if (n == 0)
        throw Error("No Vulkan device was found; install your GPU's Vulkan driver, or Mesa's lavapipe (mesa-vulkan-drivers) to run on the CPU.");

    Choice choice;
    for (auto pd : pds)
        choice.candidates.push_back(describe(pd));
    for (const auto& c : choice.candidates)
        choice.report.devices.push_back(c.description);

    const auto& cs = choice.candidates;
    if (!preferred.empty()) {
        const std::string want = lower(preferred);
        for (size_t i = 0; i < cs.size(); ++i) {
            if (lower(cs[i].description.name).find(want) == std::string::npos)
                continue;
            if (!cs[i].description.usable)
                throw Error(cs[i].description.name + " was asked for, but Facet cannot use it: " + cs[i].description.unusableBecause + ".");
            choice.report.chosen = i;
            choice.report.reason = cs[i].description.name + " runs Facet because it was asked for by name.";
            return choice;
        }
        throw Error("No Vulkan device matches \"" + std::string(preferred) + "\"; the devices found are " + joinNames(cs, cs.size()) + ".");
    }

    size_t best = cs.size();
    for (size_t i = 0; i < cs.size(); ++i) {
        if (cs[i].description.usable && (best == cs.size() || cs[i].rank > cs[best].rank))
            best = i;
    }
    if (best == cs.size())
        throw Error("No Vulkan device can run Facet: " + cs[0].description.name + " cannot because " + cs[0].description.unusableBecause + ".");
    choice.report.chosen = best;
    const GpuDevice& d = cs[best].description;
    const std::string others = joinNames(cs, best);
    if (others.empty())
        choice.report.reason = d.name + " runs Facet because it is the only Vulkan device" +
                               (d.kind == "CPU" ? "; it computes on the processor, so replies come slower than on a GPU." : ".");
    else
        choice.report.reason = d.name + " runs Facet because a " + d.kind + " is preferred over " + others + ".";
    return choice;
}

} // namespace facet::vk

namespace facet {

DeviceReport probeDevices(std::string_view preferred)
{
    vk::Instance instance;
    return vk::chooseDevice(instance.handle(), preferred).report;
}

} // namespace facet
