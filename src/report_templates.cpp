// Report templates: a plan's report forms filled in from given fields.
#include <vigil/obligations.hpp>

#include "detail/digits.hpp"

#include <algorithm>

namespace vigil {
inline namespace v0 {

result<rendered_report> render_report(const plan& p, std::string_view template_id,
                                      const std::map<std::string, std::string>& fields) {
    const report_template* t = p.obligations ? p.obligations->find_template(template_id) : nullptr;
    if (!t) {
        std::string list;
        if (p.obligations)
            for (const auto& x : p.obligations->templates) list += (list.empty() ? "" : ", ") + x.id;
        return error{errc::unknown_name, "report.no_template",
                     {{"plan", p.info.id}, {"template", std::string(template_id)}, {"list", list.empty() ? "list.none" : list}}};
    }
    std::vector<diagnostic> diags;
    std::map<std::string, std::string> text;
    for (const auto& [k, v] : fields) {
        auto it = std::find_if(t->fields.begin(), t->fields.end(), [&key = k](const report_field& f) { return f.id == key; });  // Clang 14 captures no structured binding
        if (it == t->fields.end()) {
            std::string list;
            for (const auto& f : t->fields) list += (list.empty() ? "" : ", ") + f.id;
            diags.push_back(diagnostic::of("", 0, 0, "/fields/" + k, "report.template_unknown_field", {{"field", k}, {"known", list}}));
            continue;
        }
        if (v.empty()) continue;
        if (it->type == "time") {
            auto at = parse_instant(v);
            if (!at) {
                diagnostic d = at.error().diagnostics.front();
                d.pointer = "/fields/" + k;
                diags.push_back(std::move(d));
                continue;
            }
            instant l = to_local(*at);
            text[k] = detail::digits(l.date().year(), 4) + "年" + detail::digits(l.date().month(), 2) + "月" +
                      detail::digits(l.date().day(), 2) + "日" + detail::digits(l.time_of_day().hours(), 2) + "时" +
                      detail::digits(l.time_of_day().minutes(), 2) + "分";
        } else if (it->type == "count") {
            bool ok = v.size() <= 9;
            for (char c : v) ok = ok && c >= '0' && c <= '9';
            if (!ok) {
                diags.push_back(diagnostic::of("", 0, 0, "/fields/" + k, "report.expected_count", {{"found", v}}));
                continue;
            }
            text[k] = std::to_string(std::stol(v));
        } else {
            text[k] = v;
        }
    }
    if (!diags.empty()) return error{errc::invalid_input, std::move(diags)};
    rendered_report out;
    out.clause = t->clause;
    const std::string& b = t->body;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i] != '{') {
            out.text += b[i];
            continue;
        }
        auto j = b.find('}', i);
        std::string id = b.substr(i + 1, j - i - 1);
        i = j;
        auto it = text.find(id);
        if (it != text.end()) {
            out.text += it->second;
            continue;
        }
        const auto* f = &*std::find_if(t->fields.begin(), t->fields.end(), [&](const report_field& x) { return x.id == id; });
        out.text += f->type == "time" ? "____年__月__日__时__分" : "______";
        if (std::find(out.missing.begin(), out.missing.end(), id) == out.missing.end()) out.missing.push_back(id);
    }
    return out;
}

}  // namespace v0
}  // namespace vigil
