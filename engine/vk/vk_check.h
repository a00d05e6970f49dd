// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <vulkan/vulkan.h>

#include <string>

namespace facet::vk {

std::string resultName(VkResult r);

// Throws facet::Error("Vulkan could not <what> (VK_ERROR_...).") on failure.
void check(VkResult r, const char* what);

} // namespace facet::vk
