// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/error.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace facet::tools {

// Minimal "--name value" / "--flag" parsing shared by facet-cli and facet-bench; every
// mistake is one sentence.
class Args {
public:
    Args(int argc, char** argv, const std::vector<std::string>& withValue, const std::vector<std::string>& flags)
    {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
                m_values[a] = "1";
            } else if (std::find(withValue.begin(), withValue.end(), a) != withValue.end()) {
                if (i + 1 >= argc)
                    throw Error(a + " needs a value.");
                m_values[a] = argv[++i];
                m_all[a].push_back(m_values[a]);
            } else {
                throw Error("Unknown option " + a + "; see --help.");
            }
        }
    }

    bool has(const std::string& k) const { return m_values.count(k) != 0; }
    std::string get(const std::string& k, const std::string& fallback = {}) const
    {
        auto it = m_values.find(k);
        return it == m_values.end() ? fallback : it->second;
    }
    // Every value of an option that may be repeated, in order.
    std::vector<std::string> all(const std::string& k) const
    {
        auto it = m_all.find(k);
        return it == m_all.end() ? std::vector<std::string>{} : it->second;
    }
    long number(const std::string& k, long fallback, long lo, long hi) const
    {
        if (!has(k))
            return fallback;
        char* end = nullptr;
        const std::string v = get(k);
        const long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || n < lo || n > hi)
            throw Error(k + " takes a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", not \"" + v + "\".");
        return n;
    }

private:
    std::map<std::string, std::string> m_values;
    std::map<std::string, std::vector<std::string>> m_all;
};

// Runs a tool's main body; any facet::Error becomes "<tool>: <sentence>" on stderr and
// exit code 1.
template <class F> int guardedMain(const char* tool, F&& run)
{
    try {
        return run();
    } catch (const Error& e) {
        std::fprintf(stderr, "%s: %s\n", tool, e.what());
        return 1;
    }
}

} // namespace facet::tools
