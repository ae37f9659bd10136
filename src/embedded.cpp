// The built-in plans: the files of data/plans/, embedded at build time (cmake/embed.cmake).
#include <vigil/plan.hpp>

#include "detail/embedded.hpp"

#include <mutex>

namespace vigil {
inline namespace v0 {

namespace detail {
std::string_view embedded(std::string_view name) noexcept {
    for (const embedded_file* f = embedded_files; f->name; ++f)
        if (name == f->name) return {f->data, f->size};
    return {};
}
}  // namespace detail

std::vector<std::string> builtin_plan_names() {
    std::vector<std::string> names;
    constexpr std::string_view prefix = "plans/", suffix = ".json";
    for (const detail::embedded_file* f = detail::embedded_files; f->name; ++f) {
        std::string_view n = f->name;
        if (n.size() > prefix.size() + suffix.size() && n.substr(0, prefix.size()) == prefix &&
            n.substr(n.size() - suffix.size()) == suffix)
            names.emplace_back(n.substr(prefix.size(), n.size() - prefix.size() - suffix.size()));
    }
    return names;
}

result<plan_ptr> builtin_plan(std::string_view id) {
    const auto names = builtin_plan_names();
    auto it = std::find(names.begin(), names.end(), id);
    if (it == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return error{errc::unknown_name, "plan.no_builtin", {{"id", std::string(id)}, {"list", list}}};
    }
    // Each built-in plan is loaded once, on first use, and shared (it is immutable).
    static std::mutex mu;
    static std::vector<std::pair<std::string, plan_ptr>> cache;
    std::lock_guard lock(mu);
    for (const auto& [n, p] : cache)
        if (n == id) return p;
    const std::string file = "plans/" + std::string(id) + ".json";
    auto p = load_plan(detail::embedded(file), "<builtin:" + std::string(id) + ">");
    if (!p) return p;
    auto marked = std::make_shared<plan>(**p);
    marked->builtin = true;
    cache.emplace_back(std::string(id), marked);
    return plan_ptr(std::move(marked));
}

result<plan_ptr> find_plan(std::string_view id_or_path) {
    const auto names = builtin_plan_names();
    if (std::find(names.begin(), names.end(), id_or_path) != names.end()) return builtin_plan(id_or_path);
    auto r = load_plan_file(std::string(id_or_path));
    // A bare word that is no file ("yuzong") was meant as a built-in plan's id: say which ones exist.
    if (!r && r.error().code == errc::io_error && id_or_path.find_first_of("/\\.") == std::string_view::npos) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return error{errc::unknown_name, "plan.neither", {{"id", std::string(id_or_path)}, {"list", list}}};
    }
    return r;
}

}  // namespace v0
}  // namespace vigil
