// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/device.h"

#include <vulkan/vulkan.h>

#include <string_view>
#include <vector>

namespace facet::vk {

struct Candidate {
    VkPhysicalDevice physical = VK_NULL_HANDLE;
    uint32_t computeQueueFamily = 0;
    GpuDevice description;
    int rank = 0; // higher is preferred
};

// Describes every physical device and says which one Facet should use; see
// facet::probeDevices for the rule.
struct Choice {
    std::vector<Candidate> candidates;
    DeviceReport report;
    const Candidate& chosen() const { return candidates[report.chosen]; }
};

Choice chooseDevice(VkInstance instance, std::string_view preferred);

} // namespace facet::vk
