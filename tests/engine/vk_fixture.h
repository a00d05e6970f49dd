// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/context.h"
#include "vk/pipeline_cache.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <memory>

// A Vulkan context under the validation layer for one test class. ctest sets
// FACET_VK_VALIDATION=1, so a missing layer fails the test rather than skipping checks;
// every test function is followed by a look at the layer's error count.
class VkFixture {
public:
    void init(const facet::vk::ContextOptions& options = {})
    {
        m_ctx = std::make_unique<facet::vk::Context>(options);
        const char* v = std::getenv("FACET_VK_VALIDATION");
        if (v && std::string(v) == "1")
            QVERIFY2(m_ctx->instance().validating(), "the validation layer is not active");
        m_pipelines = std::make_unique<facet::vk::PipelineCache>(*m_ctx, m_cacheDir.path().toStdString());
        qInfo("Vulkan device: %s; %s Subgroup size %u.", m_ctx->gpu().name.c_str(), m_ctx->report().reason.c_str(),
              m_ctx->limits().subgroupSize);
    }

    void checkNoValidationErrors()
    {
        const auto messages = m_ctx->instance().validationMessages();
        for (const auto& m : messages)
            qWarning("%s", m.c_str());
        QCOMPARE(m_ctx->instance().validationErrors(), 0u);
    }

    void release()
    {
        m_pipelines.reset();
        if (m_ctx)
            checkNoValidationErrors();
        m_ctx.reset();
    }

    facet::vk::Context& ctx() { return *m_ctx; }
    facet::vk::PipelineCache& pipelines() { return *m_pipelines; }

private:
    QTemporaryDir m_cacheDir;
    std::unique_ptr<facet::vk::Context> m_ctx;
    std::unique_ptr<facet::vk::PipelineCache> m_pipelines;
};

// The device twice: as the engine uses it, and with texel reads off, so tests of kernels
// that read through texels on a CPU device (lavapipe) also prove the storage-buffer ones.
class VkFixtures {
public:
    void init()
    {
        m_default.init();
        facet::vk::ContextOptions o;
        o.texelReads = false;
        m_storage.init(o);
        QVERIFY(!m_storage.ctx().limits().texelReads);
    }
    void checkNoValidationErrors()
    {
        m_default.checkNoValidationErrors();
        m_storage.checkNoValidationErrors();
    }
    void release()
    {
        m_default.release();
        m_storage.release();
    }
    // Whether the two contexts run different kernels (only then is the second worth a pass).
    bool differ() { return m_default.ctx().limits().texelReads; }

    VkFixture& byDefault() { return m_default; }
    VkFixture& storage() { return m_storage; }

private:
    VkFixture m_default;
    VkFixture m_storage;
};
