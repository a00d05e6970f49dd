// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The Vulkan runtime: device choice and its reason, queried limits, memory, the
// pipeline cache on disk, and shader interfaces read from SPIR-V.
#include "facet/device.h"
#include "facet/error.h"
#include "vk/kernels/matvec.h"
#include "vk/memory.h"
#include "vk/recorder.h"
#include "vk/spirv_reflect.h"
#include "vk_fixture.h"

#include <QFile>

#include <cstdlib>
#include <fstream>

using namespace facet;
using namespace facet::vk;

class TestVkRuntime : public QObject {
    Q_OBJECT
    VkFixture m_vk;

private slots:
    void initTestCase() { m_vk.init(); }
    void cleanup() { m_vk.checkNoValidationErrors(); }
    void cleanupTestCase() { m_vk.release(); }

    void countsValidationErrors()
    {
        // The guard every Vulkan test relies on: an invalid call must be counted.
        Context ctx(ContextOptions{{}, true});
        QVERIFY(ctx.instance().validating());
        VkBufferCreateInfo bci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
        bci.size = 256;
        bci.usage = 0; // VUID-VkBufferCreateInfo-None-09500/usage-requiredbitmask: usage must not be 0
        VkBuffer b = VK_NULL_HANDLE;
        if (vkCreateBuffer(ctx.device(), &bci, nullptr, &b) == VK_SUCCESS)
            vkDestroyBuffer(ctx.device(), b, nullptr);
        QVERIFY(ctx.instance().validationErrors() >= 1);
    }

    void choosesADeviceAndSaysWhy()
    {
        const DeviceReport report = probeDevices();
        QVERIFY(!report.devices.empty());
        QVERIFY(report.chosen < report.devices.size());
        const GpuDevice& d = report.devices[report.chosen];
        QVERIFY(d.usable);
        QVERIFY(report.reason.starts_with(d.name + " runs Facet because "));
        // Kind ranking: nothing usable outranks the choice.
        auto rank = [](const std::string& k) {
            return k == "discrete GPU" ? 4 : k == "integrated GPU" ? 3 : k == "virtual GPU" ? 2 : k == "CPU" ? 1 : 0;
        };
        for (const auto& other : report.devices) {
            if (other.usable)
                QVERIFY(rank(other.kind) <= rank(d.kind));
        }
        QCOMPARE(m_vk.ctx().gpu().name, d.name);
    }

    void picksByNameAndRefusesUnknownNames()
    {
        const DeviceReport all = probeDevices();
        const std::string name = all.devices[all.chosen].name;
        const DeviceReport byName = probeDevices(name.substr(0, 4));
        QCOMPARE(byName.reason, byName.devices[byName.chosen].name + " runs Facet because it was asked for by name.");
        try {
            probeDevices("no such gpu 9000");
            QFAIL("an unknown device name was accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).starts_with("No Vulkan device matches \"no such gpu 9000\"; the devices found are "));
        }
    }

    void queriesTheSubgroupSize()
    {
        const auto& lim = m_vk.ctx().limits();
        QVERIFY(lim.subgroupSize >= 4 && lim.subgroupSize <= 128);
        QCOMPARE(lim.subgroupSize & (lim.subgroupSize - 1), 0u);
        // lavapipe: 256-bit vectors give 8 lanes of f32, 512-bit give 16.
        if (m_vk.ctx().gpu().name.starts_with("llvmpipe")) {
            const char* width = std::getenv("LP_NATIVE_VECTOR_WIDTH");
            QCOMPARE(lim.subgroupSize, width ? uint32_t(std::atoi(width) / 32) : 8u);
        }
        QVERIFY(lim.maxStorageBufferRange > 0);
        QVERIFY(lim.maxAllocationSize >= lim.maxStorageBufferRange || lim.maxAllocationSize > 0);
    }

    void refusesBuffersBeyondTheAllocationLimit()
    {
        auto& ctx = m_vk.ctx();
        const uint64_t tooBig = ctx.limits().maxAllocationSize + 1;
        try {
            Buffer b(ctx, tooBig, MemoryUse::Device);
            QFAIL("an impossible allocation was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("is larger than the") != std::string::npos, e.what());
        }
    }

    void refusesRowsWiderThanOneBinding()
    {
        auto& ctx = m_vk.ctx();
        try {
            RowChunkedBuffer b(ctx, 2, 4096, MemoryUse::Device, 1024);
            QFAIL("a row wider than a binding was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).starts_with("A tensor row of 1 MiB is larger than the 1 MiB one shader binding"), e.what());
        }
    }

    void roundTripsBufferContents()
    {
        auto& ctx = m_vk.ctx();
        std::vector<uint32_t> v(100000);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = uint32_t(i * 2654435761u);
        Buffer b(ctx, v.size() * 4, MemoryUse::Device);
        b.uploadValues(std::span<const uint32_t>(v));
        QCOMPARE(b.downloadValues<uint32_t>(v.size()), v);
    }

    void readsShaderInterfacesFromSpirv()
    {
        const auto mv = reflect(shaders::shader(ShaderId::matvec_f32).spirv);
        QCOMPARE(mv.storageBindings, 3u);
        QCOMPARE(mv.pushConstantBytes, uint32_t(sizeof(kernels::MatvecPush)));
        QCOMPARE(mv.specIds, (std::vector<uint32_t>{0, 1, 2}));
        const auto rn = reflect(shaders::shader(ShaderId::rms_norm_f32).spirv);
        QCOMPARE(rn.storageBindings, 3u);
        QCOMPARE(rn.pushConstantBytes, 16u);
        QCOMPARE(shaders::shader(ShaderId::rms_norm_f32).name, std::string_view("rms_norm_f32"));
    }

    void keepsCompiledPipelinesOnDisk()
    {
        auto& ctx = m_vk.ctx();
        QTemporaryDir dir;
        std::filesystem::path file;
        {
            PipelineCache cache(ctx, dir.path().toStdString());
            QVERIFY(!cache.loadedFromDisk());
            cache.get(ShaderId::rms_norm_f32, {ctx.limits().subgroupSize});
            file = cache.file();
        }
        QVERIFY(std::filesystem::exists(file));
        QVERIFY(std::filesystem::file_size(file) >= 32);
        {
            PipelineCache cache(ctx, dir.path().toStdString());
            QVERIFY(cache.loadedFromDisk());
            const auto& p = cache.get(ShaderId::rms_norm_f32, {ctx.limits().subgroupSize});
            QCOMPARE(&p, &cache.get(ShaderId::rms_norm_f32, {ctx.limits().subgroupSize})); // made once
        }
        // A damaged cache file costs only the speed-up.
        {
            std::ofstream out(file, std::ios::binary | std::ios::trunc);
            out << "not a pipeline cache at all, but long enough to have a header";
        }
        PipelineCache cache(ctx, dir.path().toStdString());
        QVERIFY(!cache.loadedFromDisk());
        QVERIFY(cache.get(ShaderId::rms_norm_f32, {ctx.limits().subgroupSize}).pipeline != VK_NULL_HANDLE);
    }

    void preparesPipelinesAhead()
    {
        // prepare() compiles the missing pipelines (several threads) once; get() then finds
        // them, and a key that cannot compile is reported after the rest are kept.
        auto& ctx = m_vk.ctx();
        PipelineCache cache(ctx, {}, false);
        const uint32_t sg = ctx.limits().subgroupSize;
        const std::vector<PipelineKey> keys = {{ShaderId::rms_norm_f32, {sg}},
                                               {ShaderId::matvec_f32, {sg, 4, 1}},
                                               {ShaderId::matvec_f32, {sg, 4, 8}},
                                               {ShaderId::rms_norm_f32, {sg}}};
        cache.prepare(keys);
        const Pipeline* norm = &cache.get(ShaderId::rms_norm_f32, {sg});
        QVERIFY(norm->pipeline != VK_NULL_HANDLE);
        QCOMPARE(cache.get(ShaderId::matvec_f32, {sg, 4, 8}).specialization, (std::vector<uint32_t>{sg, 4, 8}));
        cache.prepare(keys); // all there: nothing made again
        QCOMPARE(&cache.get(ShaderId::rms_norm_f32, {sg}), norm);
        const std::vector<PipelineKey> bad = {{ShaderId::matvec_f32, {sg}}, {ShaderId::matvec_f32, {sg, 2, 1}}};
        QVERIFY_THROWS_EXCEPTION(std::logic_error, cache.prepare(bad));
        QCOMPARE(cache.get(ShaderId::matvec_f32, {sg, 2, 1}).workgroupSize, sg);
    }

    void recordsManyDispatchesInOneSubmission()
    {
        // More descriptor sets than one pool holds: the recorder must grow, not fail.
        auto& ctx = m_vk.ctx();
        Buffer x(ctx, 64 * 4, MemoryUse::Device), w(ctx, 64 * 4, MemoryUse::Device), y(ctx, 64 * 4, MemoryUse::Readback);
        std::vector<float> ones(64, 1.0f);
        x.uploadValues(std::span<const float>(ones));
        w.uploadValues(std::span<const float>(ones));
        const auto& p = m_vk.pipelines().get(ShaderId::rms_norm_f32, {ctx.limits().subgroupSize});
        Recorder rec(ctx);
        for (int round = 0; round < 2; ++round) {
            rec.begin();
            for (int i = 0; i < 1200; ++i) {
                struct Push {
                    uint32_t n, rows;
                    float eps;
                    uint32_t hasWeight;
                } push{64, 1, 0.0f, 1};
                rec.dispatch(p, {x.range(), w.range(), y.range()}, push, {1, 1, 1});
                rec.computeBarrier();
            }
            rec.submitAndWait();
            QCOMPARE(rec.dispatchCount(), 1200u);
            QCOMPARE(y.downloadValues<float>(64), ones);
        }
    }
};

QTEST_APPLESS_MAIN(TestVkRuntime)
#include "tst_vk_runtime.moc"
