// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

namespace facet {

// A read-only memory map of a whole file. Model weights are read through it so the
// OS pages them in on demand and the process never holds a second copy.
class MappedFile {
public:
    // Throws facet::Error with a sentence naming the file when it cannot be opened.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&&) = delete;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::span<const std::byte> bytes() const { return {m_data, m_size}; }
    size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }
    // The file's name as users see it in messages ("model.gguf").
    std::string displayName() const { return m_path.filename().string(); }

private:
    std::filesystem::path m_path;
    const std::byte* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace facet
