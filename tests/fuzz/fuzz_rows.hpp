// The incident row readers of `vigil classify` (src/cli/io.cpp), read to the end or the first error.
#pragma once

#include "io.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

inline int fuzz_rows(const std::uint8_t* data, std::size_t size, const char* format) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    auto reader = vigil::cli::make_reader(in, format, "<fuzz>");
    for (int i = 0; i < 100000; ++i) {
        auto r = reader->next();
        if (!r || !*r) break;
    }
    return 0;
}
