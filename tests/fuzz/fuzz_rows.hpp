// The incident row readers of `vigil classify` (src/cli/io.cpp), read to the end or the first error;
// and, where built with it (VIGIL_FUZZ_BULK), the bulk path's readers (src/cli/classify_bulk.cpp:
// CSV and JSON Lines by hand) over the same bytes, every line it does not take handed to
// the general reader as the command does.
#pragma once

#include "io.hpp"

#ifdef VIGIL_FUZZ_BULK
#include "classify_bulk.hpp"
#endif

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>

inline int fuzz_rows(const std::uint8_t* data, std::size_t size, const char* format) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    {
        std::istringstream in(text);
        auto reader = vigil::cli::make_reader(in, format, "<fuzz>");
        for (int i = 0; i < 100000; ++i) {
            auto r = reader->next();
            if (!r || !*r) break;
        }
    }
#ifdef VIGIL_FUZZ_BULK
    static const vigil::plan_ptr plan = [] {
        auto p = vigil::find_plan("guiyang");  // a built-in plan: facts of every kind, a scope
        return p ? *p : nullptr;
    }();
    if (!plan) return 0;
    const bool csv = std::string(format) == "csv";
    vigil::cli::line_fallback fallback = [&](std::string_view header, std::size_t, std::string_view line) -> vigil::result<std::string> {
        std::istringstream one(csv ? std::string(header) + "\n" + std::string(line) + "\n" : "\n" + std::string(line) + "\n");
        auto rd = vigil::cli::make_reader(one, format, "<fuzz>");
        auto r = rd->next();
        if (!r) return r.error();
        return std::string();
    };
    vigil::cli::bulk_options o;
    o.header = "id,grade,grade_zh,reasons,warning,response\n";
    o.ignored = {"note"};
    o.kept = {"batch"};
    std::istringstream in(text);
    std::ostringstream out;
    auto* err = std::cerr.rdbuf(nullptr);  // the bulk path's messages: not wanted here
    if (csv) vigil::cli::classify_csv_bulk(*plan, in, out, fallback, o);
    else vigil::cli::classify_jsonl_bulk(*plan, in, out, fallback, o);
    std::cerr.rdbuf(err);
#endif
    return 0;
}
