// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace facet {

// One Vulkan device as the user should see it in settings and status lines.
struct GpuDevice {
    std::string name;        // "NVIDIA H100 80GB HBM3", "llvmpipe (LLVM 15.0.6, 256 bits)"
    std::string kind;        // "discrete GPU", "integrated GPU", "virtual GPU", "CPU"
    uint64_t memoryBytes = 0;   // largest device-local heap
    uint32_t subgroupSize = 0;
    bool usable = false;
    std::string unusableBecause; // empty when usable
};

struct DeviceReport {
    std::vector<GpuDevice> devices;
    size_t chosen = 0;  // index into devices
    std::string reason; // one sentence: which device runs Facet and why
};

// Lists the Vulkan devices and picks one: a name match when `preferred` is not empty,
// else discrete > integrated > virtual > CPU. Throws facet::Error when Vulkan is
// missing, nothing is usable, or no device matches `preferred`.
DeviceReport probeDevices(std::string_view preferred = {});

} // namespace facet
