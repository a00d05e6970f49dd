// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <vulkan/vulkan.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace facet::vk {

// The VkInstance, with VK_LAYER_KHRONOS_validation when asked for. Validation errors
// are counted (and printed to stderr) so tests can fail on any of them.
// Created once per Context; used from the thread that owns the Context.
class Instance {
public:
    // validation: true forces the layer on; the environment variable
    // FACET_VK_VALIDATION=1 turns it on too (every Vulkan test sets it).
    explicit Instance(bool validation = false);
    ~Instance();
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    VkInstance handle() const { return m_instance; }
    bool validating() const { return m_messenger != VK_NULL_HANDLE; }
    uint32_t validationErrors() const { return m_errors.load(); }
    std::vector<std::string> validationMessages() const;

private:
    static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                    VkDebugUtilsMessageTypeFlagsEXT types,
                                                    const VkDebugUtilsMessengerCallbackDataEXT* data, void* self);

    VkInstance m_instance = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT m_messenger = VK_NULL_HANDLE;
    std::atomic<uint32_t> m_errors{0};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_messages;
};

} // namespace facet::vk
