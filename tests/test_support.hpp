// Helpers shared by the tests: reading the data tables under tests/data/.
#pragma once

#include <vigil/error.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace vigil::test {

inline std::string data_path(const std::string& rel) { return std::string(VIGIL_TEST_DATA) + "/" + rel; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string trim(std::string s) {
    const char* ws = " \t\r\n";
    s.erase(0, s.find_first_not_of(ws));
    auto e = s.find_last_not_of(ws);
    s.erase(e == std::string::npos ? 0 : e + 1);
    return s;
}

inline std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(trim(cur));
    return out;
}

/// A '|'-separated table: one row per non-comment line ('#' starts a comment line).
struct table_row {
    int line;
    std::vector<std::string> cells;
};
inline std::vector<table_row> read_table(const std::string& path) {
    std::ifstream in(path);
    std::vector<table_row> rows;
    std::string l;
    int n = 0;
    while (std::getline(in, l)) {
        ++n;
        if (trim(l).empty() || trim(l)[0] == '#') continue;
        rows.push_back({n, split(l, '|')});
    }
    return rows;
}

}  // namespace vigil::test

// Catch prints a vigil::result as its error message (or "a value").
namespace Catch {
template <class T>
struct StringMaker<boost::system::result<T, vigil::error>> {
    static std::string convert(const boost::system::result<T, vigil::error>& r) {
        return r ? std::string("a value") : "error: " + r.error().message();
    }
};
}  // namespace Catch
