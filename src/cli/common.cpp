#include "cli.hpp"
#include "lang.hpp"

#include <algorithm>
#include <iostream>

namespace vigil::cli {

int& status() {
    static int s = exit_ok;
    return s;
}

void print_warnings(const std::vector<vigil::diagnostic>& w) {
    for (const auto& d : w) std::cerr << "vigil: " << said("log.warning", {{"what", d.to_string(current_lang())}}) << '\n';
}

void print_error(const vigil::error& e) {
    for (const auto& d : e.diagnostics) std::cerr << "vigil: " << d.to_string(current_lang()) << '\n';
    if (e.diagnostics.empty()) std::cerr << "vigil: " << e.message(current_lang()) << '\n';
}

std::string said(std::string_view id, message_args args) { return render_message(id, args, current_lang()); }

void say(std::string_view id, message_args args) { std::cerr << "vigil: " << said(id, std::move(args)) << '\n'; }

plan_ptr open_plan(const std::string& id_or_path) {
    auto p = find_plan(id_or_path);
    if (!p) {
        print_error(p.error());
        status() = p.error().code == errc::unknown_name ? exit_bad_usage : exit_bad_input;
        return nullptr;
    }
    return *p;
}

std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0) len = 4, cp = c & 0x07;
        else if (c >= 0xE0) len = 3, cp = c & 0x0F;
        else if (c >= 0xC0) len = 2, cp = c & 0x1F;
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += len;
        // East Asian wide: CJK, Hangul, full-width forms
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}

std::string pad(std::string_view s, std::size_t w) {
    std::string r(s);
    for (std::size_t n = display_width(s); n < w; ++n) r += ' ';
    return r;
}

void print_table(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::vector<std::string>* notes) {
    std::vector<std::size_t> w;
    for (const auto& r : rows) {
        if (w.size() < r.size()) w.resize(r.size(), 0);
        for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], display_width(r[i]));
    }
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto& r = rows[k];
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) line += i + 1 < r.size() ? pad(r[i], w[i]) + "  " : r[i];
        os << line << '\n';
        if (notes && k > 0 && k - 1 < notes->size()) os << "    " << (*notes)[k - 1] << '\n';
    }
}

}  // namespace vigil::cli
