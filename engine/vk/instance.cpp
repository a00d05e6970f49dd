// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/instance.h"

#include "facet/error.h"
#include "vk/vk_check.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace facet::vk {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool envWantsValidation()
{
    const char* v = std::getenv("FACET_VK_VALIDATION");
    return v && std::strcmp(v, "1") == 0;
}

bool layerPresent(const char* name)
{
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> layers(n);
    vkEnumerateInstanceLayerProperties(&n, layers.data());
    for (const auto& l : layers) {
        if (std::strcmp(l.layerName, name) == 0)
            return true;
    }
    return false;
}

// lavapipe splits each dispatch's workgroups into LP_NUM_THREADS equal runs up front,
// one per thread, default one per core, and the dispatch waits for the slowest run:
// where one core is slowed (other work, a VM's other guests) the other idles. With
// twice as many runs the scheduler evens the cores out: E2B Q4_K_M decode 9-16 % faster
// on this 2-core VM (median of per-round ratios, four sets of 6-8 rounds), prefill
// within noise. Other drivers ignore the variable, and a user's own setting stands.
void spreadLavapipeWork()
{
    const unsigned cores = std::thread::hardware_concurrency();
    if (cores > 1 && !std::getenv("LP_NUM_THREADS"))
#if defined(_WIN32)
        _putenv_s("LP_NUM_THREADS", std::to_string(2 * cores).c_str());
#else
        setenv("LP_NUM_THREADS", std::to_string(2 * cores).c_str(), 0);
#endif
}

} // namespace

Instance::Instance(bool validation)
{
    spreadLavapipeWork(); // read when the driver sets up its device, below
    validation = validation || envWantsValidation();
    if (validation && !layerPresent(kValidationLayer))
        throw Error("Vulkan validation was asked for, but VK_LAYER_KHRONOS_validation is not installed (Debian package vulkan-validationlayers).");

    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Facet";
    app.applicationVersion = VK_MAKE_VERSION(0, 1, 0);
    app.pEngineName = "Facet engine";
    app.apiVersion = VK_API_VERSION_1_3;

    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    VkDebugUtilsMessengerCreateInfoEXT dbg{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    dbg.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    dbg.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                      VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    dbg.pfnUserCallback = &Instance::onMessage;
    dbg.pUserData = this;

    VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ci.pApplicationInfo = &app;
    if (validation) {
        layers.push_back(kValidationLayer);
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        ci.pNext = &dbg; // also report problems in vkCreateInstance/vkDestroyInstance
    }
    ci.enabledLayerCount = static_cast<uint32_t>(layers.size());
    ci.ppEnabledLayerNames = layers.data();
    ci.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    ci.ppEnabledExtensionNames = extensions.data();
    const VkResult r = vkCreateInstance(&ci, nullptr, &m_instance);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED)
        throw Error("No Vulkan driver was found; install your GPU's Vulkan driver, or Mesa's lavapipe (mesa-vulkan-drivers) to run on the CPU.");
    check(r, "create an instance");

    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(m_instance, "vkCreateDebugUtilsMessengerEXT"));
        if (!create)
            throw Error("Vulkan validation was asked for, but VK_EXT_debug_utils is unavailable.");
        check(create(m_instance, &dbg, nullptr, &m_messenger), "attach the validation messenger");
    }
}

Instance::~Instance()
{
    if (m_messenger) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(m_instance, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy)
            destroy(m_instance, m_messenger, nullptr);
    }
    if (m_instance)
        vkDestroyInstance(m_instance, nullptr);
}

std::vector<std::string> Instance::validationMessages() const
{
    std::lock_guard lock(m_mutex);
    return m_messages;
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data, void* self)
{
    auto* inst = static_cast<Instance*>(self);
    const bool error = severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    const std::string text = std::string(error ? "validation error: " : "validation warning: ") +
                             (data && data->pMessage ? data->pMessage : "");
    std::fprintf(stderr, "[facet.vk] %s\n", text.c_str());
    if (error) {
        inst->m_errors.fetch_add(1);
        std::lock_guard lock(inst->m_mutex);
        inst->m_messages.push_back(text);
    }
    return VK_FALSE;
}

} // namespace facet::vk
